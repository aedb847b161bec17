"""The scope of the person behind the current request (session or JWT), once per request."""

from __future__ import annotations

from flask import current_app, g, has_request_context

from kinerja.security.policies.scope import SYSTEM, Scope, scope_for_user


def current_scope() -> Scope:
    """Scope of the signed-in user; outside a request (CLI, jobs) the system scope."""
    if not has_request_context():
        return SYSTEM
    user = current_app.appbuilder.sm.current_user  # type: ignore[attr-defined]
    cached: Scope | None = g.get("_kinerja_scope")
    if cached is not None and cached.user_id == getattr(user, "id", None):
        return cached
    scope = scope_for_user(user)
    g._kinerja_scope = scope
    return scope
