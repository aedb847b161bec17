"""Flask-AppBuilder's security manager, narrowed to what kinerja needs: the account screens
of ``account_views`` and the forced change of a one-time password."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from kinerja.models.security import KinerjaUser
from kinerja.security.account_views import (
    AdminPasswordView,
    KinerjaUserDBModelView,
    OwnPasswordView,
)

# Endpoints a person with a one-time password may still reach before changing it.
_OPEN_WHILE_PASSWORD_EXPIRED = {
    f"{OwnPasswordView.__name__}.this_form_get",
    f"{OwnPasswordView.__name__}.this_form_post",
    "AuthDBView.logout",
    "AuthDBView.login",
    "LocaleView.index",
    "static",
    "appbuilder.static",
}


class KinerjaSecurityManager(SecurityManager):
    user_model = KinerjaUser
    userdbmodelview = KinerjaUserDBModelView
    resetmypasswordview = OwnPasswordView
    resetpasswordview = AdminPasswordView

    def register_views(self) -> None:
        """FAB's, and the own-password form limited like the sign-in form: it checks the
        current password, so it must not become a way to guess it."""
        super().register_views()
        if not self.is_auth_limited:
            return
        for view in self.appbuilder.baseviews:
            if isinstance(view, OwnPasswordView):
                self.limiter.limit(self.auth_rate_limit, methods=["POST"])(view.blueprint)

    def reset_password(self, userid: Any, password: str) -> None:
        """A password set by someone else is temporary; one set by its owner is not."""
        super().reset_password(userid, password)
        user = self.get_user_by_id(int(userid))
        if user is None:
            return
        own = current_user.is_authenticated and int(current_user.id) == int(userid)
        user.must_change_password = not own
        self.session.commit()

    @staticmethod
    def before_request() -> Any:
        SecurityManager.before_request()
        user = current_user
        if (
            user.is_authenticated
            and getattr(user, "must_change_password", False)
            and request.endpoint not in _OPEN_WHILE_PASSWORD_EXPIRED
            and not (request.path or "").startswith("/api/")
        ):
            flash(_l("Please choose a new password before you continue."), "warning")
            return redirect(url_for(f"{OwnPasswordView.__name__}.this_form_get"))
        return None
