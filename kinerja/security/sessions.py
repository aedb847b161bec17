"""Sessions and tokens end with what ended them.

Each login has a token version (``KinerjaUser.token_version``). Every JWT, access and
refresh alike, carries it in the ``ver`` claim; every session carries it in its Flask-Login
id (``<user id>:<version>``). Both are compared with the login's row on every request, so
signing out, a password change (one's own or by an Admin), a role change and a deactivation,
which bump the version, end every session and token issued before, on every device.

A login whose one-time password has not been changed yet gets no token and may call no API:
the change is made in the screens (``KinerjaUser.must_change_password``).
"""

from __future__ import annotations

from typing import Any

from flask import Response, g, has_request_context, jsonify
from flask_babel import gettext
from flask_login import current_user, login_user
from sqlalchemy.orm import joinedload

from kinerja.extensions import db
from kinerja.models.security import KinerjaUser

VERSION_CLAIM = "ver"


def _user(user_id: object) -> KinerjaUser | None:
    """The login by id, read once per request: the token checks ask three times, and the
    session's identity map alone forgets a row nobody holds on to."""
    try:
        key = int(str(user_id))
    except ValueError:
        return None
    held: dict[int, KinerjaUser | None] | None = None
    if has_request_context():
        held = g.setdefault("_kinerja_logins", {})
        if key in held:
            return held[key]
    # with its roles and groups, which the permission check reads next: one query, not three
    options = [joinedload(KinerjaUser.roles), joinedload(KinerjaUser.groups)]
    user = db.session.get(KinerjaUser, key, options=options)
    if held is not None:
        held[key] = user
    return user


def token_claims(identity: object) -> dict[str, Any]:
    """Claims added to every JWT issued for ``identity`` (the user id)."""
    user = _user(identity)
    return {VERSION_CLAIM: user.token_version if user is not None else None}


def token_revoked(_header: dict[str, Any], payload: dict[str, Any]) -> bool:
    """A token is revoked once its login's version has moved on, or the login is gone or
    inactive."""
    user = _user(payload.get("sub"))
    return user is None or not user.is_active or payload.get(VERSION_CLAIM) != user.token_version


def token_allowed(_header: dict[str, Any], payload: dict[str, Any]) -> bool:
    """No API while the login's password must be changed."""
    user = _user(payload.get("sub"))
    return user is not None and not user.must_change_password


def token_user(payload: dict[str, Any]) -> KinerjaUser | None:
    user = _user(payload.get("sub"))
    return user if user is not None and user.is_active else None


def session_user(session_id: object) -> KinerjaUser | None:
    """The login of a session whose version is still current (``KinerjaUser.get_id``)."""
    user_id, _, version = str(session_id).partition(":")
    user = _user(user_id)
    if user is None or not user.is_active or version != str(user.token_version):
        return None
    return user


def is_signed_in(user: KinerjaUser) -> bool:
    """Whether ``user`` is the person behind this request's session."""
    return (
        has_request_context()
        and current_user.is_authenticated
        and int(current_user.id) == int(user.id)
    )


def renew_own_session(user: KinerjaUser) -> None:
    """After a change that ended ``user``'s sessions, keep the one that made it, if it is
    theirs: it carries the new version from now on."""
    if is_signed_in(user) and user.is_active:
        login_user(user, remember=False)


def password_change_pending_answer(*_args: Any) -> Response:
    response = jsonify(
        message=gettext(
            "The password must be changed first: sign in to the screens and choose a new one."
        )
    )
    response.status_code = 403
    return response


def token_revoked_answer(*_args: Any) -> Response:
    response = jsonify(message=gettext("This token is no longer valid: sign in again."))
    response.status_code = 401
    return response
