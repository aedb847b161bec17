"""The use case behind the ratings job: every employee with a plan in force in a period (or
in one unit's subtree) rated, then every unit's distribution checked.

* **Set-based**: the approved plans are rated by one statement per batch
  (:mod:`kinerja.services.ratings.statement`); plans under revision are rated from their
  approved version by the pure rules (:mod:`kinerja.services.ratings.reference`), through
  the same upsert.
* **Idempotent**: ratings and checks are upserts on their natural keys that rewrite a row
  only where it changes; a run that dies half-way leaves whole batches, and running it
  again completes the rest and changes nothing else.
* **One at a time per period**: on PostgreSQL a session advisory lock keyed by the period
  makes a second run wait for the first (it then finds nothing to change); the unique
  constraints and upserts alone already keep one rating per employee and period.

Batches of ``KINERJA_RATINGS_BATCH`` plans are committed one by one, with progress; by
default the whole period is one batch, the fastest. ``KINERJA_RATINGS_PAUSE_MS`` pauses
between batches (for tests that stop a run half-way; never needed in production).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import Integer, Select, cast, exists, func, select, text

from kinerja.domain.errors import N_, AccessDenied, FieldErrors, NotFoundError
from kinerja.domain.planning import PlanStatus
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.org import Unit
from kinerja.models.planning import Period, WorkPlan, WorkPlanVersion
from kinerja.models.ratings import Rating
from kinerja.models.trees import unit_subtree_ids
from kinerja.security.policies import is_within, periods, ratings
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import transaction
from kinerja.services.job_runs import ProgressReporter
from kinerja.services.plans.periods import check_open
from kinerja.services.ratings import (
    distribution,
    facts,
    notices,
    reference,
    statement,
    totals,
    upsert,
)
from kinerja.services.ratings.sql import Json
from kinerja.services.reports.achievement import thresholds
from kinerja.services.validation import NOT_FOUND

LOCK_NAMESPACE = 0x4B52  # the first key of the ratings' advisory locks ("KR")
# An agency's plans are named by id, at most this many per batch: PostgreSQL then knows
# how few they are and reads their realizations by index (a subtree condition is estimated
# at thousands of units, and every agency read all of the period's realizations).
PART_BATCH = 20_000
WORK_MEM = "256MB"

SUMMARY = N_(
    "%(rated)d employees rated: %(final)d final, %(provisional)d provisional, "
    "%(changed)d changed; %(warned)d of %(units)d units off their expected distribution."
)
SUMMARY_KEYS = ("rated", "final", "provisional", "changed", "warned", "units")


@dataclass(frozen=True)
class RatingRun:
    """What one computation did, for the jobs screen."""

    period_id: int
    unit_id: int | None
    rated: int
    changed: int
    final: int
    provisional: int
    without_predikat: int
    units: int
    warned: int
    checks_changed: int
    seconds: float

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Part:
    """One agency of a run fanned out per agency (:mod:`kinerja.services.ratings.fan_out`):
    ``unit_id`` with its whole subtree, or (``whole`` False) that unit alone."""

    unit_id: int
    whole: bool = True

    def unit_ids(self) -> Select[Any]:
        if self.whole:
            return unit_subtree_ids(self.unit_id)
        return select(Unit.id).where(Unit.id == self.unit_id)


class InForce(NamedTuple):
    id: int
    approved: bool  # False: under revision, rated from its approved version


def reach(scope: Scope, unit_id: int | None) -> int | None:
    """The unit whose subtree ``scope`` asks to rate (None: every unit, for the Admin).
    An Operator who names no unit rates their own; a unit out of their reach is not found."""
    if unit_id is None:
        if ratings.may_compute_all(scope):
            return None
        if not scope.is_operator:
            raise AccessDenied()
        unit_id = scope.operator_unit_id
    if not is_within(ratings.computable_units(scope), Unit, unit_id):
        if not scope.manages_all and not scope.is_operator:
            raise AccessDenied()
        raise FieldErrors.single("unit", NOT_FOUND)
    return unit_id


def rateable_period(scope: Scope, period_id: int | None) -> Period:
    """A period one may see, not closed (ratings of a closed period stay as they were)."""
    period = periods.readable(scope, period_id)
    if period is None:
        raise NotFoundError()
    check_open(period)
    return period


def compute_period_ratings(
    period_id: int,
    unit_id: int | None,
    scope: Scope,
    *,
    run_id: int | None = None,
    progress: ProgressReporter | None = None,
    part: Part | None = None,
) -> RatingRun:
    """Rate every employee with a plan in force in the period (in ``unit_id``'s subtree),
        then check the distribution of every unit rated, and record the emails it gives rise to
    (:mod:`kinerja.services.ratings.notices`); see the module's docstring. A ``part`` of a
    run fanned out per agency rates that agency only and leaves the run's summary email to
    whoever finishes the whole run."""
    started = time.perf_counter()
    period = rateable_period(scope, period_id)
    unit_id = reach(scope, part.unit_id if part else unit_id)
    unit_ids = unit_subtree_ids(unit_id) if unit_id is not None else None
    if part is not None:
        unit_ids = part.unit_ids()
    above_at, expected_at = thresholds()
    stamp = upsert.Stamp(period.id, above_at, expected_at, utcnow(), run_id)
    report = progress or (lambda done, total: None)
    with period_lock(period.id, part):
        plans = plans_in_force(period.id, unit_ids)
        report(0, len(plans))
        changed = 0
        for done, batch in _batches(plans, PART_BATCH if part is not None else 0):
            with transaction():
                changed += _rate(stamp, batch, unit_ids, by_id=part is not None)
            report(done, len(plans))
            _pause(done < len(plans))
        with transaction():
            checked = distribution.check_units(period.id, unit_ids, stamp.now)
        tally = _tally(period.id, unit_ids)
    run = (run_id, stamp.now)
    changes = bool(changed or checked.changed)
    notices.after_run(period.id, unit_id, unit_ids, run, changes, summarise=part is None)
    return RatingRun(
        period_id=period.id,
        unit_id=unit_id,
        rated=len(plans),
        changed=changed,
        final=tally["final"],
        provisional=tally["rated"] - tally["final"],
        without_predikat=tally["without_predikat"],
        units=checked.units,
        warned=checked.warned,
        checks_changed=checked.changed,
        seconds=round(time.perf_counter() - started, 3),
    )


def summary(run: RatingRun) -> tuple[str, dict[str, Any]]:
    """The run's outcome as a message template and its parameters."""
    return SUMMARY, {key: getattr(run, key) for key in SUMMARY_KEYS}


@contextmanager
def period_lock(period_id: int, part: Part | None = None) -> Iterator[None]:
    """Hold the period's advisory lock (PostgreSQL) on a connection of its own, so that
    the batches commit meanwhile; a process that dies releases it with its connection.
    The agencies of a fanned-out run share the period's lock (they run side by side, and
    a whole run waits for them) and each holds its agency's own."""
    if db.engine.dialect.name != "postgresql":
        yield
        return
    keys = [(LOCK_NAMESPACE, period_id)]
    if part is not None:
        keys.append((LOCK_NAMESPACE + 1, part.unit_id))
    kinds = ["_shared" if part is not None else "", ""]
    with db.engine.connect() as connection:
        for kind, (namespace, key) in zip(kinds, keys, strict=False):
            lock = getattr(func, f"pg_advisory_lock{kind}")
            connection.execute(select(lock(cast(namespace, Integer), cast(key, Integer))))
        connection.commit()
        try:
            yield
        finally:
            for kind, (namespace, key) in zip(kinds, keys, strict=False):
                unlock = getattr(func, f"pg_advisory_unlock{kind}")
                connection.execute(select(unlock(cast(namespace, Integer), cast(key, Integer))))
            connection.commit()


def plans_in_force(period_id: int, unit_ids: Select[Any] | None) -> list[InForce]:
    """The plans rated: approved, or under revision with an approved version (rated as
    approved), by id."""
    revising = exists().where(WorkPlanVersion.work_plan_id == WorkPlan.id)
    query = select(WorkPlan.id, WorkPlan.status == PlanStatus.APPROVED).where(
        WorkPlan.period_id == period_id,
        (WorkPlan.status == PlanStatus.APPROVED) | revising,
    )
    if unit_ids is not None:
        query = query.where(WorkPlan.unit_id.in_(unit_ids))
    return [
        InForce(plan_id, bool(approved))
        for plan_id, approved in db.session.execute(query.order_by(WorkPlan.id))
    ]


def _batches(plans: list[InForce], limit: int = 0) -> Iterator[tuple[int, list[InForce]]]:
    size = int(current_app.config.get("KINERJA_RATINGS_BATCH") or 0) or len(plans) or 1
    size = min(size, limit) if limit else size
    for start in range(0, len(plans), size):
        batch = plans[start : start + size]
        yield start + len(batch), batch


def _pause(more: bool) -> None:
    milliseconds = int(current_app.config.get("KINERJA_RATINGS_PAUSE_MS") or 0)
    if more and milliseconds > 0:
        time.sleep(milliseconds / 1000)


def _tune(dialect: str) -> None:
    """PostgreSQL, for this transaction only: room to hash and sort ~5 M realizations in
    memory, and no JIT compilation (seconds of compiling for one run of the statement)."""
    if dialect == "postgresql":
        db.session.execute(text(f"SET LOCAL work_mem = '{WORK_MEM}'"))
        db.session.execute(text("SET LOCAL jit = off"))


def _rate(
    stamp: upsert.Stamp, batch: Sequence[InForce], unit_ids: Any, *, by_id: bool = False
) -> int:
    """Rate one batch of plans; the number of ratings written (new or changed)."""
    dialect = db.engine.dialect.name
    _tune(dialect)
    where = [WorkPlan.id.between(batch[0].id, batch[-1].id)]
    if by_id:
        where = [WorkPlan.id.in_([plan.id for plan in batch])]
    elif unit_ids is not None:
        where.append(WorkPlan.unit_id.in_(unit_ids))
    db.session.execute(totals.create(statement.of_rated_plans(stamp, where), dialect))
    if dialect == "postgresql":
        db.session.execute(totals.analyze())
    written = _written(statement.rate_approved_plans(stamp, where, dialect))
    db.session.execute(totals.drop())
    revising = [plan.id for plan in batch if not plan.approved]
    rows = [
        {
            **reference.rate(found, stamp.above_at, stamp.expected_at).row(),
            "period_id": stamp.period_id,
            "computed_at": stamp.now,
            "run_id": stamp.run_id,
            "created_at": stamp.now,
            "updated_at": stamp.now,
        }
        for found in facts.load_facts(revising, stamp.period_id)
    ]
    for row in rows:  # few: plans under revision
        written += _written(upsert.on_conflict(upsert.upsert(dialect).values(row), Json(dialect)))
    return written


def _written(query: Any) -> int:
    """Run an upsert; the rows it inserted or updated (not those it left alone). Python's
    sqlite3 counts no rows of a statement that starts with WITH: SQLite itself does."""
    result = db.session.execute(query, execution_options={"preserve_rowcount": True})
    count = int(getattr(result, "rowcount", -1))
    if count < 0 and db.engine.dialect.name == "sqlite":
        count = int(db.session.scalar(select(func.changes())) or 0)
    return max(count, 0)


def _tally(period_id: int, unit_ids: Select[Any] | None) -> dict[str, int]:
    query = select(
        func.count().label("rated"),
        func.coalesce(func.sum(cast(Rating.final, Integer)), 0).label("final"),
        func.count().filter(Rating.predikat.is_(None)).label("without_predikat"),
    ).where(Rating.period_id == period_id)
    if unit_ids is not None:
        query = query.where(Rating.unit_id.in_(unit_ids))
    row = db.session.execute(query).one()
    return {"rated": row.rated, "final": int(row.final), "without_predikat": row.without_predikat}
