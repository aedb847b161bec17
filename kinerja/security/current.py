"""The scope of the person behind the current request (session or JWT), once per request."""

from __future__ import annotations

from dataclasses import replace

from flask import current_app, g, has_request_context

from kinerja.extensions import db
from kinerja.models.trees import unit_subtree_ids
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


def with_units_listed() -> Scope:
    """This request's scope with the Operator's units resolved into a list, once. Only for
    requests that change nothing (a list): a unit added during the request would not be in
    the list. With the list, PostgreSQL estimates the rows of an Operator's condition
    (a recursive query it guesses at), and pages through a large unit tree by index."""
    scope = current_scope()
    if not scope.is_operator or scope.operator_subtree is not None:
        return scope
    units = tuple(db.session.scalars(unit_subtree_ids(scope.operator_unit_id)))
    g._kinerja_scope = listed = replace(scope, operator_subtree=units)
    return listed
