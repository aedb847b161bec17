"""Flask-AppBuilder's security manager, narrowed to what kinerja needs: the account screens
of ``account_views``, sessions and tokens that end with what ended them (``sessions``), and
the forced change of a one-time password, in the screens and the API alike."""

from __future__ import annotations

from typing import Any

from flask import Flask, flash, g, redirect, request, url_for
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_babel import lazy_gettext as _l
from flask_jwt_extended import JWTManager
from flask_login import current_user

from kinerja.models.security import KinerjaUser
from kinerja.models.service_accounts import service_account_of
from kinerja.security import api_limits, apikeys, sessions, sign_in_limits
from kinerja.security.account_views import (
    AdminPasswordView,
    KinerjaUserDBModelView,
    OwnPasswordView,
    TokenApi,
)
from kinerja.security.permission_cache import CachedPermissions

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


class KinerjaSecurityManager(CachedPermissions, SecurityManager):
    user_model = KinerjaUser
    userdbmodelview = KinerjaUserDBModelView
    resetmypasswordview = OwnPasswordView
    resetpasswordview = AdminPasswordView
    security_api = TokenApi

    def create_jwt_manager(self, app: Flask) -> JWTManager:
        """Every JWT carries its login's token version and is checked against it; none is
        honoured while the login's password must be changed."""
        jwt_manager = super().create_jwt_manager(app)
        jwt_manager.additional_claims_loader(sessions.token_claims)
        jwt_manager.token_in_blocklist_loader(sessions.token_revoked)
        jwt_manager.revoked_token_loader(sessions.token_revoked_answer)
        jwt_manager.token_verification_loader(sessions.token_allowed)
        jwt_manager.token_verification_failed_loader(sessions.password_change_pending_answer)
        return jwt_manager

    def register_views(self) -> None:
        """FAB's, and the own-password form limited like the sign-in form: it checks the
        current password, so it must not become a way to guess it."""
        super().register_views()
        if not self.is_auth_limited:
            return
        for view in self.appbuilder.baseviews:
            if isinstance(view, OwnPasswordView):
                self.limiter.limit(self.auth_rate_limit, methods=["POST"])(view.blueprint)

    def load_user(self, pk: Any) -> KinerjaUser | None:
        """Flask-Login's loader: the session's id carries the token version."""
        return sessions.session_user(pk)

    def load_user_jwt(self, _jwt_header: Any, jwt_data: dict[str, Any]) -> KinerjaUser | None:
        user = sessions.token_user(jwt_data)
        if user is not None:
            g.user = user  # as FAB does: JWT requests have no session user
            api_limits.count_request(user.id)
        return user

    def validate_api_key(self, api_key_string: str) -> KinerjaUser | None:
        """An API key's account (``kinerja.security.apikeys``), counted by the API's rate
        limit like a JWT's."""
        user = apikeys.authenticate(api_key_string)
        if user is not None:
            api_limits.count_request(user.id)
        return user

    def auth_user_db(self, username: str, password: str) -> KinerjaUser | None:
        """Service accounts sign in with their API keys only, never with a password. Failed
        attempts are counted per account and per address (``sign_in_limits``): over either
        limit, :class:`~kinerja.security.sign_in_limits.SignInRefused` is raised before the
        password is even checked."""
        sign_in_limits.check(username)
        user = super().auth_user_db(username, password)
        if user is not None and service_account_of(user.id) is not None:
            user = None
        if user is None:
            sign_in_limits.record_failure(username)
        else:
            sign_in_limits.record_success(username)
        return user

    def reset_password(self, userid: Any, password: str) -> None:
        """A password set by someone else is temporary; one set by its owner is not. Either
        way the login's sessions and tokens end (the model bumps its version), except the
        owner's session that made the change."""
        user = self.get_user_by_id(int(userid))
        if user is None:
            return
        own = sessions.is_signed_in(user)
        user.must_change_password = not own
        super().reset_password(user.id, password)  # saves both
        if own:
            sessions.renew_own_session(user)

    def on_user_logout(self, user: KinerjaUser) -> None:
        """Signing out ends every session and token of the login, saved copies included."""
        user.end_sessions()
        self.session.commit()

    @staticmethod
    def before_request() -> Any:
        SecurityManager.before_request()
        user = current_user
        if not (user.is_authenticated and getattr(user, "must_change_password", False)):
            return None
        if (request.path or "").startswith("/api/"):
            return sessions.password_change_pending_answer()
        if request.endpoint not in _OPEN_WHILE_PASSWORD_EXPIRED:
            flash(_l("Please choose a new password before you continue."), "warning")
            return redirect(url_for(f"{OwnPasswordView.__name__}.this_form_get"))
        return None
