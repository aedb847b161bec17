"""A ratings run fanned out per agency: one job run per agency that any number of workers
take, under a parent run that shows the overall progress and is finished by its last part.

* **Parts**: the agencies are the top-level units (the *instansi* of a national deployment);
  while the reach is a single unit (one regional government running its own instance, or
  an Operator's unit), its children are taken instead, and the unit itself becomes a part
  of its own for the employees placed directly in it. The parts cover every unit of the
  reach exactly once, so each unit's distribution is checked by exactly one part and the
  ratings and checks are the same as one run's (a test compares them).
* **When**: only with Redis (workers to share the parts) and from
  ``KINERJA_RATINGS_FAN_OUT`` plans in force (0: never); otherwise the run rates itself.
* **Finishing**: each part records its figures on its own run and, under the parent's row
  lock, marks itself done; the part that finds no sibling left finishes the parent (its
  summary, and the one summary email of the whole run). A part refused or out of retries
  fails the parent.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app
from sqlalchemy import func, select, update

from kinerja.domain.errors import NotFoundError
from kinerja.domain.planning import PlanStatus
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.jobs import JobName, JobRun, JobStatus
from kinerja.models.org import Unit
from kinerja.models.planning import WorkPlan, WorkPlanVersion
from kinerja.security.policies.scope import Scope
from kinerja.services import outbox
from kinerja.services.boundary import transaction
from kinerja.services.job_runs import WAITING_FOR_PARTS, ProgressReporter
from kinerja.services.ratings import compute, notices
from kinerja.services.ratings.compute import Part

PART_JOB = JobName.COMPUTE_AGENCY_RATINGS.value
SUMMED = ("rated", "changed", "final", "provisional", "without_predikat", "units", "warned")


def parts(unit_id: int | None) -> list[Part]:
    """The agencies of a reach (``None``: every unit), see the module's docstring."""
    children: dict[int | None, list[int]] = {}
    for uid, parent_id in db.session.execute(select(Unit.id, Unit.parent_id).order_by(Unit.id)):
        children.setdefault(parent_id, []).append(uid)
    found: list[Part] = []
    level = children.get(None, []) if unit_id is None else [unit_id]
    while len(level) == 1 and children.get(level[0]):
        found.append(Part(level[0], whole=False))
        level = children[level[0]]
    return found + [Part(uid) for uid in level]


def plans_per_part(period_id: int, found: Iterable[Part]) -> dict[Part, int]:
    """Plans in force in each part (the parts with none included: their stale checks go)."""
    revising = select(WorkPlanVersion.work_plan_id).where(
        WorkPlanVersion.work_plan_id == WorkPlan.id
    )
    counted = {}
    for part in found:
        counted[part] = int(
            db.session.scalar(
                select(func.count()).where(
                    WorkPlan.period_id == period_id,
                    (WorkPlan.status == PlanStatus.APPROVED) | revising.exists(),
                    WorkPlan.unit_id.in_(part.unit_ids()),
                )
            )
            or 0
        )
    return counted


def wanted(plans: int) -> bool:
    """Whether a run of ``plans`` plans is worth fanning out (see the module's docstring)."""
    threshold = int(current_app.config.get("KINERJA_RATINGS_FAN_OUT") or 0)
    return bool(current_app.config.get("REDIS_URL")) and threshold > 0 and plans >= threshold


def split(
    period_id: int, unit_id: int | None, scope: Scope, run_id: int, *, force: bool = False
) -> int:
    """Fan the run ``run_id`` out into one run per agency, with the rights of ``scope``;
    the number of parts (0: not worth it, the caller rates by itself). A retried parent
    keeps the parts it has."""
    period_id = compute.rateable_period(scope, period_id).id
    unit_id = compute.reach(scope, unit_id)
    existing = db.session.scalar(select(func.count()).where(JobRun.parent_id == run_id))
    if existing:
        finish_if_done(run_id)
        return int(existing)
    found = parts(unit_id)
    if len(found) < 2:
        return 0
    counted = plans_per_part(period_id, found)
    total = sum(counted.values())
    if not (force or wanted(total)):
        db.session.rollback()
        return 0
    with transaction():
        parent = db.session.get(JobRun, run_id)
        if parent is None:
            raise NotFoundError()
        parent.total, parent.done = total, 0
        parent.message, parent.message_params = WAITING_FOR_PARTS, {"parts": len(found)}
        for part in sorted(found, key=lambda p: -counted[p]):  # the largest first
            child = outbox.schedule(PART_JOB, period_id, part.unit_id, part.whole)
            child.parent_id, child.total = run_id, counted[part]
            child.requested_by_id = parent.requested_by_id
    return len(found)


def parent_of(run_id: int | None) -> int | None:
    if run_id is None:
        return None
    return db.session.scalar(select(JobRun.parent_id).where(JobRun.id == run_id))


def part_progress(run_id: int | None, parent_id: int | None) -> ProgressReporter:
    """Progress of a part on its own run and, summed over the parts, on the parent's."""

    def progress(done: int, total: int) -> None:
        if run_id is None:
            return
        children = select(func.coalesce(func.sum(JobRun.done), 0)).where(
            JobRun.parent_id == parent_id
        )
        with db.engine.begin() as connection:
            now = utcnow()
            connection.execute(
                update(JobRun).where(JobRun.id == run_id).values(done=done, total=total)
            )
            if parent_id is not None:
                connection.execute(
                    update(JobRun)
                    .where(JobRun.id == parent_id, JobRun.status == JobStatus.RUNNING)
                    .values(done=children.scalar_subquery(), updated_at=now)
                )

    return progress


def part_done(run_id: int, figures: dict[str, Any]) -> bool:
    """Record a finished part (its figures on its own run) and finish the parent if it was
    the last; True if this part finished it."""
    parent_id = parent_of(run_id)
    if parent_id is None:
        return False
    with transaction():
        db.session.execute(select(JobRun.id).where(JobRun.id == parent_id).with_for_update())
        db.session.execute(
            update(JobRun)
            .where(JobRun.id == run_id)
            .values(result=figures, finished_at=utcnow(), done=figures.get("rated", 0))
        )
    return finish_if_done(parent_id)


def finish_if_done(parent_id: int) -> bool:
    """Finish the parent once every part has finished (each part's ``finished_at`` is set
    under the parent's row lock, so exactly one part sees none left); True if finished now."""
    with transaction():
        parent = db.session.scalar(select(JobRun).where(JobRun.id == parent_id).with_for_update())
        if parent is None or parent.status not in (JobStatus.RUNNING, JobStatus.FAILED):
            return False
        rows = db.session.execute(
            select(JobRun.finished_at, JobRun.result).where(JobRun.parent_id == parent_id)
        ).all()
        results: list[dict[str, Any]] = [dict(row.result or {}) for row in rows]
        if any(row.finished_at is None for row in rows) or any("rated" not in r for r in results):
            return False
        now = utcnow()
        figures: dict[str, Any] = {key: sum(int(r.get(key, 0)) for r in results) for key in SUMMED}
        figures["checks_changed"] = sum(int(r.get("checks_changed", 0)) for r in results)
        figures["parts"] = len(results)
        started = parent.started_at or now
        figures["seconds"] = round((now - started).total_seconds(), 3)
        period_id, unit_id = parent.args[0], parent.args[1]
        figures.update(period_id=period_id, unit_id=unit_id)
        parent.status, parent.finished_at, parent.error = JobStatus.SUCCEEDED, now, None
        parent.done = figures["rated"]
        parent.message = compute.SUMMARY
        parent.message_params = {key: figures[key] for key in compute.SUMMARY_KEYS}
        parent.result = figures
    if figures["changed"] or figures["checks_changed"]:
        unit_ids = None if unit_id is None else Part(unit_id).unit_ids()
        notices.summarise_run(period_id, unit_id, unit_ids, (parent_id, now))
    return True
