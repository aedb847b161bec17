"""The audit trail's writer: one entry per created, changed or deleted row of an audited
model, in the same transaction as the change.

A session listener does it for every use case, screen, API call, job and CLI command alike,
so no use case can forget it: ``before_flush`` settles who is acting, ``after_flush`` (rows
have their ids, the attribute history still holds the values before) writes the entries
with one ``INSERT`` on the flush's own connection. A rollback takes the entries with it.

What is audited is declared in :data:`AUDITED`: the model and the columns left out (bulk
noise such as last-login stamps, and ``updated_at``/``row_version`` everywhere). Secrets
(password hashes, API-key hashes) are recorded as changed, never with their values.
Set-based statements (imports' ``INSERT``/``UPDATE`` in chunks, the ratings job's
``INSERT … SELECT``) bypass the ORM and are recorded by their job run instead
(see ``docs/audit.md``).

The actor is the signed-in person of the request; outside a request, whoever
:func:`acting_as` names (the job's starter), else nobody (the system).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

from flask import current_app, has_request_context, request
from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.sql import ClauseElement

from kinerja.extensions import db
from kinerja.models.audit import AuditAction, AuditEntry
from kinerja.models.base import utcnow
from kinerja.models.competency import Assessment, PositionCompetency
from kinerja.models.org import Employee, Position, Unit
from kinerja.models.planning import (
    BehaviourExpectation,
    Indicator,
    Objective,
    Period,
    SubPeriod,
    WorkPlan,
)
from kinerja.models.ratings import Rating, UnitRating
from kinerja.models.reports import (
    BehaviourRating,
    DialogueNote,
    Evaluation,
    Evidence,
    IndicatorLevel,
    Realization,
    Report,
)
from kinerja.models.security import KinerjaUser
from kinerja.models.service_accounts import ServiceAccount
from kinerja.models.webhooks import WebhookSubscription

ALWAYS_SKIPPED = frozenset({"created_at", "updated_at", "row_version"})
HIDDEN = "***"  # a secret column: recorded as changed, never its value
MAX_TEXT = 2000


@dataclass(frozen=True)
class Audited:
    """How one model is audited: columns left out, columns whose values are secret, and
    many-to-many collections recorded by the names of their members."""

    skipped: frozenset[str] = frozenset()
    secret: frozenset[str] = frozenset()
    collections: tuple[str, ...] = ()


_LOGIN_NOISE = frozenset(
    {
        "last_login",
        "login_count",
        "fail_login_count",
        "changed_on",
        "changed_by_fk",
        "created_on",
        "created_by_fk",
        "token_version",  # bumped with the password, roles or active flag, recorded themselves
        "credentials_sent_at",
    }
)

AUDITED: dict[type[Any], Audited] = {
    # people
    Employee: Audited(),
    KinerjaUser: Audited(
        skipped=_LOGIN_NOISE, secret=frozenset({"password"}), collections=("roles",)
    ),
    # organisation
    Unit: Audited(),
    Position: Audited(),
    # plans and their content
    Period: Audited(),
    SubPeriod: Audited(),
    WorkPlan: Audited(),
    Objective: Audited(),
    Indicator: Audited(),
    BehaviourExpectation: Audited(),
    # reports and evaluations
    Report: Audited(),
    Realization: Audited(),
    Evidence: Audited(),
    DialogueNote: Audited(),
    Evaluation: Audited(),
    IndicatorLevel: Audited(),
    BehaviourRating: Audited(),
    # ratings
    Rating: Audited(),
    UnitRating: Audited(),
    # development records kept by people
    PositionCompetency: Audited(),
    Assessment: Audited(),
    # roles and settings
    Role: Audited(),
    ServiceAccount: Audited(),
    WebhookSubscription: Audited(secret=frozenset({"secret"})),
}
"""The audited models. The person's own settings (language, digests) are columns of the
login, audited with it."""

_ACTOR = "kinerja_audit_actor"
_ACTING_AS = "kinerja_audit_acting_as"
_REQUEST_ID = re.compile(r"[^A-Za-z0-9._:-]")


@dataclass(frozen=True)
class Actor:
    id: int | None
    name: str | None
    via: str | None
    request_id: str | None = None


def install() -> None:
    """Listen to the app's sessions (once per process; idempotent)."""
    if not event.contains(db.session, "before_flush", _settle_actor):
        event.listen(db.session, "before_flush", _settle_actor)
        event.listen(db.session, "after_flush", _write_entries)


@contextmanager
def acting_as(user_id: int | None, via: str) -> Iterator[None]:
    """Outside a request (a job, the CLI): record changes as made by ``user_id`` (the job's
    starter; None for the system) through ``via`` (``job:import_employees``)."""
    info = db.session.info
    previous = info.get(_ACTING_AS)
    info[_ACTING_AS] = (user_id, via)
    try:
        yield
    finally:
        info[_ACTING_AS] = previous


def current_actor() -> Actor:
    """Who is changing things now (queries allowed: called before a flush)."""
    if has_request_context():
        user = current_app.appbuilder.sm.current_user  # type: ignore[attr-defined]
        via = "api" if request.path.startswith("/api/") else "screen"
        request_id = _REQUEST_ID.sub("", request.headers.get("X-Request-Id", ""))[:64] or None
        if user is not None and getattr(user, "is_authenticated", False):
            return Actor(user.id, user.username, via, request_id)
        return Actor(None, None, via, request_id)
    acting = db.session.info.get(_ACTING_AS)
    if acting is None:
        return Actor(None, None, "system")
    user_id, via = acting
    name = None
    if user_id is not None:
        with db.session.no_autoflush:
            user = db.session.get(KinerjaUser, user_id)
        name = user.username if user is not None else None
    return Actor(user_id, name, via)


def _settle_actor(session: Session, _context: UOWTransaction, _instances: Any) -> None:
    if any(_audited(obj) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[_ACTOR] = current_actor()


def _audited(obj: Any) -> Audited | None:
    for cls in type(obj).__mro__:
        spec = AUDITED.get(cls)
        if spec is not None:
            return spec
    return None


def _write_entries(session: Session, _context: UOWTransaction) -> None:
    entries: list[dict[str, Any]] = []
    for action, objects in (
        (AuditAction.CREATE, session.new),
        (AuditAction.UPDATE, session.dirty),
        (AuditAction.DELETE, session.deleted),
    ):
        for obj in objects:
            spec = _audited(obj)
            if spec is None:
                continue
            changes = _changes(obj, spec, action)
            if action == AuditAction.UPDATE and not changes:
                continue  # only skipped columns changed (a login's stamps)
            entries.append(
                {
                    "action": action.value,
                    "table_name": type(obj).__table__.name,
                    "row_id": _row_id(obj),
                    "changes": changes,
                }
            )
    if not entries:
        return
    actor: Actor = session.info.get(_ACTOR) or Actor(None, None, "system")
    now = utcnow()
    rows = [
        {
            **entry,
            "at": now,
            "actor_id": actor.id,
            "actor_name": actor.name,
            "via": actor.via,
            "request_id": actor.request_id,
        }
        for entry in entries
    ]
    session.connection().execute(insert(AuditEntry.__table__), rows)


def _row_id(obj: Any) -> int | None:
    """The row's id (a new row has it once inserted, before its identity is registered)."""
    state = inspect(obj)
    keys = state.mapper.primary_key
    value = state.dict.get(keys[0].key) if len(keys) == 1 else None
    if value is None and state.identity:
        value = state.identity[0]
    return value if isinstance(value, int) else None


def _changes(obj: Any, spec: Audited, action: AuditAction) -> dict[str, list[Any]]:
    """``{column: [before, after]}`` of the row's recorded columns."""
    state = inspect(obj)
    skipped = ALWAYS_SKIPPED | spec.skipped
    changes: dict[str, list[Any]] = {}
    for column_attr in state.mapper.column_attrs:
        key = column_attr.key
        if key in skipped:
            continue
        if action != AuditAction.UPDATE:
            value = _plain(state.dict.get(key))
            if value is None:
                continue
            value = HIDDEN if key in spec.secret else value
            changes[key] = [None, value] if action == AuditAction.CREATE else [value, None]
            continue
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        before = _plain(history.deleted[0]) if history.deleted else None
        after = _plain(history.added[0]) if history.added else None
        if key in spec.secret:
            changes[key] = [HIDDEN, HIDDEN]
        elif before != after:
            changes[key] = [before, after]
    for name in spec.collections:
        history = state.attrs[name].history
        if action == AuditAction.UPDATE and not history.has_changes():
            continue
        kept = [str(m) for m in history.unchanged]
        before = sorted(kept + [str(m) for m in history.deleted])
        after = sorted(kept + [str(m) for m in history.added])
        if action == AuditAction.CREATE:
            before = []
        elif action == AuditAction.DELETE:
            after = []
        if before != after:
            changes[name] = [before, after]
    return changes


def _plain(value: Any) -> Any:
    """A value as JSON can hold it (a SQL expression, e.g. ``n + 1``, is unknown here)."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, ClauseElement):
        return None
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(bytes(value))} bytes>"
    if isinstance(value, dict | list):
        return value
    text = str(value)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"
