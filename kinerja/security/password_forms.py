"""The password forms: one's own (the current password required) and an Admin's for someone
else (the same rules, no current password). The rules are ``kinerja.security.passwords``."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget
from flask_appbuilder.forms import DynamicForm
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.security import check_password_hash
from wtforms import Field, Form, PasswordField
from wtforms.validators import DataRequired, EqualTo, ValidationError

from kinerja.models.security import KinerjaUser
from kinerja.security import sign_in_limits
from kinerja.security.passwords import MIN_LENGTH, password_problem

NEW_PASSWORD_HELP = _l(
    "At least %(min)d characters. A few unrelated words make a password that is easy to "
    "remember and hard to guess.",
    min=MIN_LENGTH,
)


def _is_current_password(password: str | None) -> bool:
    stored = getattr(current_user, "password", None)
    return bool(password and stored and check_password_hash(stored, password))


def _target_username() -> str:
    """Whose password the form sets: the login named by ``pk`` (an Admin's form) or the
    person signed in."""
    pk = request.args.get("pk")
    if pk is None:
        return str(getattr(current_user, "username", "") or "")
    user = current_app.appbuilder.sm.get_user_by_id(int(pk)) if pk.isdigit() else None  # type: ignore[attr-defined]
    return user.username if isinstance(user, KinerjaUser) else ""


def acceptable_password(_form: Form, field: Field) -> None:
    """WTForms validator: the password rules."""
    problem = password_problem(field.data or "", username=_target_username())
    if problem is not None:
        raise ValidationError(gettext(problem.template, **problem.params))


def acceptable_new_login_password(form: Form, field: Field) -> None:
    """WTForms validator for the form that creates a login: the rules, with its username."""
    username = getattr(form, "username", None)
    problem = password_problem(field.data or "", username=str(getattr(username, "data", "")))
    if problem is not None:
        raise ValidationError(gettext(problem.template, **problem.params))


def current_password_given(_form: Form, field: Field) -> None:
    """A wrong current password counts as a failed sign-in of the account: the form must
    not become a way around the sign-in limits."""
    username = str(getattr(current_user, "username", "") or "")
    sign_in_limits.check(username)
    if not _is_current_password(field.data):
        sign_in_limits.record_failure(username)
        raise ValidationError(gettext("The current password is not correct."))


def differs_from_current(_form: Form, field: Field) -> None:
    if _is_current_password(field.data):
        raise ValidationError(gettext("The new password must differ from the current one."))


def _new_password(*checks: Any) -> PasswordField:
    return PasswordField(
        _l("New password"),
        description=NEW_PASSWORD_HELP,
        validators=[DataRequired(), acceptable_password, *checks],
        widget=BS3PasswordFieldWidget(),
    )


def _confirmation() -> PasswordField:
    return PasswordField(
        _l("Confirm Password"),
        description=_l("Please rewrite the password to confirm"),
        validators=[DataRequired(), EqualTo("password", message=_l("Passwords must match"))],
        widget=BS3PasswordFieldWidget(),
    )


class OwnPasswordForm(DynamicForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), current_password_given],
        widget=BS3PasswordFieldWidget(),
    )
    password = _new_password(differs_from_current)
    conf_password = _confirmation()


class PasswordForm(DynamicForm):
    password = _new_password()
    conf_password = _confirmation()


def new_login_password_fields() -> dict[str, PasswordField]:
    """The password fields of the form that creates a login (FAB's, with the rules)."""
    return {
        "password": PasswordField(
            _l("Password"),
            description=NEW_PASSWORD_HELP,
            validators=[DataRequired(), acceptable_new_login_password],
            widget=BS3PasswordFieldWidget(),
        ),
        "conf_password": _confirmation(),
    }
