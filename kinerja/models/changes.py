"""The change log behind the change feed (``/api/v1/changes``).

Every insert, update and delete of a tracked table writes a :class:`Change` row *in the
same transaction*, by a database trigger (see :data:`TRACKED` and the migration that
installs the triggers). A trigger, not a session event, because it also sees what the ORM
never sees: set-based ``INSERT … SELECT … ON CONFLICT`` of the ratings job, core statements
of imports and the demo, ``COPY``, and the rows a foreign key's ``ON DELETE CASCADE``
removes. On PostgreSQL the triggers are statement-level with transition tables (one
``INSERT … SELECT`` per statement, whatever its size); SQLite has row triggers only.

A change is born without a ``seq``: ids are handed out when rows are written, not when
they commit, so they cannot be a cursor (a transaction that commits late would slip in
behind a reader). The sequencer (:mod:`kinerja.services.changes.sequencer`) numbers the
committed rows, under a lock, in one statement: readers only ever see a gap-free prefix.

``employee_id`` and ``unit_id`` are the scope keys of the row when it changed: the feed
uses them to decide who may see a tombstone of a row that no longer exists.
"""

# The DDL below is written from the constant table specs of this module, never from input.
# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kinerja.extensions import BaseModel
from kinerja.models.base import UTCDateTime

Id = BigInteger().with_variant(Integer(), "sqlite")  # SQLite: the rowid, in commit order


class ChangeOp(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class Change(BaseModel):
    """One committed insert, update or delete of a tracked row."""

    __tablename__ = "change"
    __table_args__ = (
        CheckConstraint("op IN ('create', 'update', 'delete')", name="op"),
        Index("ix_change_resource_row", "resource", "row_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    seq: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    resource: Mapped[str] = mapped_column(String(40), nullable=False)
    row_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    op: Mapped[str] = mapped_column(String(10), nullable=False)
    employee_id: Mapped[int | None] = mapped_column(Integer)
    unit_id: Mapped[int | None] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


@dataclass(frozen=True)
class Tracked:
    """A tracked table: its API resource name and the SQL of its scope keys, written over
    the changed row ``{r}`` (``NEW``/``OLD`` in SQLite, the transition table in
    PostgreSQL). ``None``: the resource has no scope (periods: everyone reads them)."""

    resource: str
    table: str
    employee: str | None = None
    unit: str | None = None


def _via(table: str, column: str, key: str) -> str:
    return f"(SELECT {column} FROM {table} WHERE id = {{r}}.{key})"


_PLAN_OF_OBJECTIVE = "(SELECT work_plan_id FROM objective WHERE id = {r}.objective_id)"

FIRST_TRACKED: tuple[Tracked, ...] = (
    Tracked("unit", "unit", None, "{r}.id"),
    Tracked("position", "position", None, "{r}.unit_id"),
    Tracked("employee", "employee", "{r}.id", "{r}.unit_id"),
    Tracked("period", "period"),
    Tracked("sub_period", "sub_period"),
    Tracked("work_plan", "work_plan", "{r}.employee_id", "{r}.unit_id"),
    Tracked(
        "objective",
        "objective",
        _via("work_plan", "employee_id", "work_plan_id"),
        _via("work_plan", "unit_id", "work_plan_id"),
    ),
    Tracked(
        "indicator",
        "indicator",
        f"(SELECT employee_id FROM work_plan WHERE id = {_PLAN_OF_OBJECTIVE})",
        f"(SELECT unit_id FROM work_plan WHERE id = {_PLAN_OF_OBJECTIVE})",
    ),
    Tracked("activity", "activity", "{r}.employee_id", _via("employee", "unit_id", "employee_id")),
    Tracked("report", "report", "{r}.employee_id", "{r}.unit_id"),
    *(
        Tracked(
            name,
            name,
            _via("report", "employee_id", "report_id"),
            _via("report", "unit_id", "report_id"),
        )
        for name in ("realization", "evidence", "dialogue_note")
    ),
    Tracked("evaluation", "evaluation", "{r}.employee_id", _via("report", "unit_id", "report_id")),
    Tracked("unit_rating", "unit_rating", None, "{r}.unit_id"),
    Tracked("rating", "rating", "{r}.employee_id", "{r}.unit_id"),
)
"""The tables tracked since the change log was installed (its migration installs these)."""

_SERVICE_OF_SURVEY = "(SELECT service_id FROM survey WHERE id = {r}.survey_id)"
_UNIT_OF_SURVEY = f"(SELECT unit_id FROM service WHERE id = {_SERVICE_OF_SURVEY})"
_OF_EMPLOYEE = ("{r}.employee_id", _via("employee", "unit_id", "employee_id"))

SURVEY_AND_COMPETENCY_TRACKED: tuple[Tracked, ...] = (
    Tracked("service", "service", None, "{r}.unit_id"),
    Tracked("survey", "survey", None, _via("service", "unit_id", "service_id")),
    Tracked("survey_response", "survey_response", None, _UNIT_OF_SURVEY),
    Tracked("survey_result", "survey_result", None, _UNIT_OF_SURVEY),
    Tracked("competency", "competency"),
    Tracked("training", "training"),
    Tracked(
        "position_competency",
        "position_competency",
        None,
        _via("position", "unit_id", "position_id"),
    ),
    *(
        Tracked(name, name, *_OF_EMPLOYEE)
        for name in ("assessment", "training_record", "recommendation", "reward_candidate")
    ),
)
"""The survey and competency tables, tracked since their own migration: the satisfaction
surveys (the public's answers too: their comments are moderated and published) and the
competency dictionary, catalogue, standards, assessments, records and the job's outputs."""

TRACKED: tuple[Tracked, ...] = (*FIRST_TRACKED, *SURVEY_AND_COMPETENCY_TRACKED)
"""The tracked tables, by resource name: the REST resources whose rows integrators mirror."""

RESOURCES: frozenset[str] = frozenset(t.resource for t in TRACKED)
UNSCOPED: frozenset[str] = frozenset(t.resource for t in TRACKED if t.unit is None)


def _key(expression: str | None, row: str, tracked: Tracked, column: str) -> str:
    """The scope key's SQL; on delete, when the parent is gone too (a cascade), the key the
    row's previous change recorded."""
    if expression is None:
        return "NULL"
    value = expression.format(r=row)
    if "SELECT" not in expression:
        return value
    previous = (
        f"(SELECT c.{column} FROM change c WHERE c.resource = '{tracked.resource}' "
        f"AND c.row_id = {row}.id ORDER BY c.id DESC LIMIT 1)"
    )
    return f"COALESCE({value}, {previous})"


_PG_EVENTS = (("INSERT", "new_rows", "create"), ("UPDATE", "new_rows", "update"))


def postgresql_triggers(tracked: Tracked) -> list[str]:
    """The statements that install ``tracked``'s triggers on PostgreSQL: one function, and a
    statement-level trigger per operation with its transition table."""
    name = f"record_change_{tracked.table}"
    branches = []
    for event, rows, op in (*_PG_EVENTS, ("DELETE", "old_rows", "delete")):
        employee = _key(tracked.employee, "r", tracked, "employee_id")
        unit = _key(tracked.unit, "r", tracked, "unit_id")
        branches.append(
            f"IF TG_OP = '{event}' THEN INSERT INTO change "
            "(resource, row_id, op, employee_id, unit_id, changed_at) "
            f"SELECT '{tracked.resource}', r.id, '{op}', {employee}, {unit}, now() "
            f"FROM {rows} r ORDER BY r.id; END IF;"
        )
    body = " ".join(branches)
    statements = [
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {body} RETURN NULL; END $$"
    ]
    for event, alias in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        statements.append(
            f"CREATE TRIGGER {name}_{event.lower()} AFTER {event} ON {tracked.table} "
            f"REFERENCING {alias} TABLE AS {alias.lower()}_rows "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )
    return statements


def sqlite_triggers(tracked: Tracked) -> list[str]:
    """The row triggers of ``tracked`` on SQLite (``make run``)."""
    statements = []
    for event, row, op in (("INSERT", "NEW", "create"), ("UPDATE", "NEW", "update")):
        statements.append(_sqlite_trigger(tracked, event, row, op))
    statements.append(_sqlite_trigger(tracked, "DELETE", "OLD", "delete"))
    return statements


def _sqlite_trigger(tracked: Tracked, event: str, row: str, op: str) -> str:
    employee = _key(tracked.employee, row, tracked, "employee_id")
    unit = _key(tracked.unit, row, tracked, "unit_id")
    return (
        f"CREATE TRIGGER record_change_{tracked.table}_{event.lower()} AFTER {event} "
        f"ON {tracked.table} FOR EACH ROW BEGIN INSERT INTO change "
        "(resource, row_id, op, employee_id, unit_id, changed_at) "
        f"VALUES ('{tracked.resource}', {row}.id, '{op}', {employee}, {unit}, "
        "strftime('%Y-%m-%d %H:%M:%f', 'now')); END"
    )


def drop_triggers(tracked: Tracked, dialect: str) -> list[str]:
    names = [f"record_change_{tracked.table}_{e}" for e in ("insert", "update", "delete")]
    if dialect == "postgresql":
        drops = [f"DROP TRIGGER IF EXISTS {n} ON {tracked.table}" for n in names]
        return [*drops, f"DROP FUNCTION IF EXISTS record_change_{tracked.table}()"]
    return [f"DROP TRIGGER IF EXISTS {n}" for n in names]


def trigger_statements(tracked: Tracked, dialect: str) -> list[str]:
    if dialect == "postgresql":
        return postgresql_triggers(tracked)
    return sqlite_triggers(tracked)


def backfill_statement(tracked: Tracked) -> str:
    """A ``create`` for every row already there, so that a mirror built from cursor 0 holds
    everything (run once, when the log is installed)."""
    employee = _key(tracked.employee, "r", tracked, "employee_id")
    unit = _key(tracked.unit, "r", tracked, "unit_id")
    return (
        "INSERT INTO change (resource, row_id, op, employee_id, unit_id, changed_at) "
        f"SELECT '{tracked.resource}', r.id, 'create', {employee}, {unit}, CURRENT_TIMESTAMP "
        f"FROM {tracked.table} r ORDER BY r.id"
    )
