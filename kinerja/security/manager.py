"""Flask-AppBuilder's security manager, narrowed to what kinerja needs."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.views import UserDBModelView
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from kinerja.models.security import KinerjaUser

# Endpoints a person with a one-time password may still reach before changing it.
_OPEN_WHILE_PASSWORD_EXPIRED = {
    "ResetMyPasswordView.this_form_get",
    "ResetMyPasswordView.this_form_post",
    "AuthDBView.logout",
    "AuthDBView.login",
    "LocaleView.index",
    "static",
    "appbuilder.static",
}


class KinerjaUserDBModelView(UserDBModelView):
    """The user admin, with the unit an Operator manages and the forced password change."""

    # Keep FAB's permission names, so the self-service rights (own profile, own password)
    # granted on UserDBModelView apply to this view too.
    class_permission_name = "UserDBModelView"

    add_columns = [
        "first_name",
        "last_name",
        "username",
        "active",
        "email",
        "roles",
        "operator_unit",
        "must_change_password",
        "password",
        "conf_password",
    ]
    edit_columns = [
        "first_name",
        "last_name",
        "username",
        "active",
        "email",
        "roles",
        "operator_unit",
        "must_change_password",
    ]
    show_fieldsets = [
        (
            _l("User info"),
            {
                "fields": [
                    "username",
                    "active",
                    "roles",
                    "login_count",
                    "operator_unit",
                    "must_change_password",
                ]
            },
        ),
        (_l("Personal Info"), {"fields": ["first_name", "last_name", "email"], "expanded": True}),
        (
            _l("Audit Info"),
            {
                "fields": [
                    "last_login",
                    "fail_login_count",
                    "created_on",
                    "created_by",
                    "changed_on",
                    "changed_by",
                ],
                "expanded": False,
            },
        ),
    ]
    search_columns = [
        "username",
        "first_name",
        "last_name",
        "email",
        "active",
        "roles",
        "operator_unit",
    ]
    list_columns = [
        "first_name",
        "last_name",
        "username",
        "email",
        "active",
        "roles",
        "operator_unit",
    ]
    label_columns = {
        "operator_unit": _l("Operator of unit"),
        "must_change_password": _l("Must change password at next login"),
    }
    description_columns = {
        "operator_unit": _l(
            "For the Operator role: the unit (with its sub-units) this user manages."
        ),
    }


class KinerjaSecurityManager(SecurityManager):
    user_model = KinerjaUser
    userdbmodelview = KinerjaUserDBModelView

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
            return redirect(url_for("ResetMyPasswordView.this_form_get"))
        return None
