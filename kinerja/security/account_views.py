"""FAB's account screens and token API, held to kinerja's rules: the user admin, the password
forms (``password_forms``) and the API sign-in that refuses a one-time password.

They keep FAB's permission names, so the rights of ``kinerja.security.roles`` apply as they
are. Their writes go through the security manager (FAB's own unit of work for accounts)."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, g, jsonify, redirect, request, url_for
from flask_appbuilder.actions import action
from flask_appbuilder.api import safe
from flask_appbuilder.const import (
    API_SECURITY_ACCESS_TOKEN_KEY,
    API_SECURITY_PROVIDER_DB,
    API_SECURITY_REFRESH_TOKEN_KEY,
)
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.decorators import has_access
from flask_appbuilder.security.schemas import login_post
from flask_appbuilder.security.views import (
    ResetMyPasswordView,
    ResetPasswordView,
    UserDBModelView,
)
from flask_appbuilder.views import expose
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_jwt_extended import create_access_token, create_refresh_token
from marshmallow import ValidationError
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import BooleanField

from kinerja.models.security import KinerjaUser
from kinerja.security import sessions, sign_in_limits
from kinerja.security.password_forms import (
    OwnPasswordForm,
    PasswordForm,
    new_login_password_fields,
)


class OwnPasswordView(ResetMyPasswordView):
    """One's own password, given the current one."""

    class_permission_name = "ResetMyPasswordView"
    form = OwnPasswordForm


class AdminPasswordView(ResetPasswordView):
    """An Admin sets someone's password: a one-time password, to be changed at the next
    sign-in. Not one's own: that takes the current password (``OwnPasswordView``)."""

    class_permission_name = "ResetPasswordView"
    form = PasswordForm

    def form_post(self, form: Any) -> Any:
        if str(request.args.get("pk")) == str(g.user.id):
            flash(gettext("Change your own password here, with the current one."), "warning")
            return redirect(url_for(f"{OwnPasswordView.__name__}.this_form_get"))
        return super().form_post(form)


class TokenApi(SecurityApi):
    """FAB's ``/api/v1/security`` (``login`` and ``refresh``), refusing a one-time password:
    it must be changed in the screens before the API can be used."""

    @expose("/login", methods=["POST"])
    @safe
    def login(self) -> Response:
        if not request.is_json:
            return self.response_400(message="Request payload is not JSON")
        try:
            payload = login_post.load(request.json)
        except ValidationError as error:
            return self.response_400(message=error.messages)
        user = None
        if payload["provider"] == API_SECURITY_PROVIDER_DB:
            try:
                user = self.appbuilder.sm.auth_user_db(payload["username"], payload["password"])
            except sign_in_limits.SignInRefused as refused:
                return _refused_answer(refused)
        if not user:
            return self.response_401()
        if user.must_change_password:
            return sessions.password_change_pending_answer()
        answer = {API_SECURITY_ACCESS_TOKEN_KEY: create_access_token(str(user.id), fresh=True)}
        if payload.get("refresh"):
            answer[API_SECURITY_REFRESH_TOKEN_KEY] = create_refresh_token(str(user.id))
        return self.response(200, **answer)


def _refused_answer(refused: sign_in_limits.SignInRefused) -> Response:
    """429 with Retry-After; the API's error shape is applied on the way out."""
    response = jsonify(message=refused.message)
    response.status_code = 429
    response.headers["Retry-After"] = str(refused.seconds)
    return response


_MUST_CHANGE_PASSWORD = _l("Must change password at next login")
_LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
_EMAIL_SETTINGS = (
    _l("Email settings"),
    {"fields": ["locale", "email_digests", "email_reminders"], "expanded": True},
)


class KinerjaUserDBModelView(UserDBModelView):
    """The user admin, with the unit an Operator manages and the forced password change."""

    # Keep FAB's permission names, so the self-service rights (own profile, own password)
    # granted on UserDBModelView apply to this view too.
    class_permission_name = "UserDBModelView"

    add_form_extra_fields = {
        **new_login_password_fields(),
        # A checkbox: unticked is an answer, not a missing value.
        "must_change_password": BooleanField(_MUST_CHANGE_PASSWORD),
    }
    edit_form_extra_fields = {"must_change_password": BooleanField(_MUST_CHANGE_PASSWORD)}

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
        _EMAIL_SETTINGS,
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
        **UserDBModelView.label_columns,
        "operator_unit": _l("Operator of unit"),
        "must_change_password": _MUST_CHANGE_PASSWORD,
        "locale": _l("Language of my emails"),
        "email_digests": _l("Send me digests"),
        "email_reminders": _l("Send me reminders"),
    }
    description_columns = {
        "operator_unit": _l(
            "For the Operator role: the unit (with its sub-units) this user manages."
        ),
    }

    user_show_fieldsets = [*UserDBModelView.user_show_fieldsets, _EMAIL_SETTINGS]

    formatters_columns = {
        "locale": lambda code: _LANGUAGE_NAMES.get(code or "", gettext("The default language")),
        "email_digests": lambda on: gettext("Yes") if on else gettext("No"),
        "email_reminders": lambda on: gettext("Yes") if on else gettext("No"),
    }

    @expose("/userinfo/")
    @has_access
    def userinfo(self) -> WerkzeugResponse:
        """FAB's profile page, with the button to one's email settings."""
        actions = {
            name: self.actions.get(name)
            for name in ("resetmypassword", "userinfoedit", "emailsettings")
        }
        item = self.datamodel.get(g.user.id, self._base_filters)
        widgets = self._get_show_widget(
            g.user.id, item, actions=actions, show_fieldsets=self.user_show_fieldsets
        )
        self.update_redirect()
        return self.render_template(
            self.show_template,
            title=self.user_info_title,
            widgets=widgets,
            appbuilder=self.appbuilder,
        )

    @action("emailsettings", _l("Email settings"), "", "fa-envelope", multiple=False)
    def emailsettings(self, item: Any) -> WerkzeugResponse:
        return redirect(url_for("EmailSettingsView.this_form_get"))

    def post_update(self, item: KinerjaUser) -> None:
        """An Admin who changed their own roles stays signed in (everyone else's sessions and
        tokens of this login ended with the change)."""
        sessions.renew_own_session(item)
