"""The record of each background job run, kept by use cases: a job never writes it itself.

The runner (:mod:`kinerja.jobs.runner`) asks these use cases to mark a run running,
succeeded, retrying or failed; the back office asks them to retry a failed run. What a run
reports is stored as a message template with parameters (:class:`JobOutcome`), so that the
jobs screen says it in each reader's language.

A work horse killed mid-run (SIGKILL, out of memory) cannot say so itself: its worker
records the lost attempt (:func:`record_lost_attempt`), RQ retries it and the retry takes the
run over (:func:`start`). A run left "running" by a worker that died whole is set right by
the periodic sweep (:func:`recover_stale`), from what RQ knows of its job.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.orm import aliased

from kinerja.domain.errors import N_, ConflictError, DomainError, NotFoundError
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.jobs import JobRun, JobStatus
from kinerja.models.security import KinerjaUser
from kinerja.security.policies import job_runs as job_run_policy
from kinerja.security.policies.scope import NOBODY, SYSTEM, Scope, scope_for_user
from kinerja.services import outbox
from kinerja.services.boundary import transaction, use_case

ProgressReporter = Callable[[int, int], None]
STALE_AFTER = timedelta(minutes=5)
UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.RETRYING)
LOST = N_("The worker stopped while running this job.")
PART_FAILED = N_("A part of this run failed: see the runs of its parts.")
WAITING_FOR_PARTS = N_("Split into %(parts)d parts, run by the workers in parallel.")


@dataclass(frozen=True)
class JobOutcome:
    """What a job reports when it is done: a summary sentence (an English template, the
    msgid, with its parameters) and data for the screens that show the result in detail."""

    message: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] | None = None
    # The job has handed its work to parts (runs of their own): the run stays running and
    # its last part finishes it.
    parts: int = 0


@dataclass(frozen=True)
class StartedRun:
    """What the runner needs of a run it has started (no ORM object leaves the use case)."""

    id: int
    name: str
    args: list[Any]
    requested_by_id: int | None = None  # the actor of the audit trail's entries


@use_case
def start(run_id: int) -> StartedRun | None:
    """Mark the run running and count the attempt; None when there is nothing to run (the
    run is gone, or an earlier attempt already succeeded: a duplicate delivery)."""
    run = db.session.scalar(select(JobRun).where(JobRun.id == run_id).with_for_update())
    if run is None or run.status == JobStatus.SUCCEEDED:
        return None
    run.status = JobStatus.RUNNING
    run.attempts += 1
    run.started_at = utcnow()
    run.finished_at = None
    run.error = None
    return StartedRun(run.id, run.name, list(run.args), run.requested_by_id)


@use_case
def succeed(run_id: int, outcome: JobOutcome) -> None:
    if outcome.parts:
        _wait_for_parts(run_id, outcome.parts)
        return
    run = _run(run_id)
    run.status = JobStatus.SUCCEEDED
    run.message = outcome.message
    run.message_params = dict(outcome.params) if outcome.message else None
    run.result = outcome.result
    run.error = None
    run.finished_at = utcnow()


def _wait_for_parts(run_id: int, parts: int) -> None:
    """The run has handed its work to ``parts`` runs: it stays running (unless its last
    part has finished it meanwhile, under the same row lock)."""
    run = db.session.scalar(select(JobRun).where(JobRun.id == run_id).with_for_update())
    if run is None or run.status != JobStatus.RUNNING:
        return
    run.message, run.message_params = WAITING_FOR_PARTS, {"parts": parts}


def _fail_parent(run: JobRun) -> None:
    """A part has failed for good: so has the run it is part of (a *Retry* of the part
    may still finish it)."""
    if run.parent_id is None:
        return
    db.session.execute(
        update(JobRun)
        .where(JobRun.id == run.parent_id, JobRun.status == JobStatus.RUNNING)
        .values(
            status=JobStatus.FAILED,
            message=PART_FAILED,
            message_params={},
            finished_at=utcnow(),
            updated_at=utcnow(),
        )
    )


def record_failure(run_id: int, exc: BaseException, *, retrying: bool) -> None:
    """Record a failed attempt: ``retrying`` while RQ will try again, else failed.

    Whatever the job left in its session is abandoned first: a failure is never committed
    together with half of the work that failed. A refusal (:class:`DomainError`) keeps its
    translatable message beside the technical error.
    """
    db.session.rollback()
    with transaction():
        run = _run(run_id)
        run.status = JobStatus.RETRYING if retrying else JobStatus.FAILED
        run.error = "".join(traceback.format_exception_only(exc)).strip()
        if isinstance(exc, DomainError):
            run.message, run.message_params = exc.template, dict(exc.params)
        else:
            run.message, run.message_params = None, None
        run.finished_at = None if retrying else utcnow()
        if not retrying:
            _fail_parent(run)


@use_case
def retry(run_id: int, scope: Scope) -> None:
    """Put a failed run back in line (the back office's *Retry*); it is handed to the queue
    once this commits. Only a failed run can be retried: a retrying one is still RQ's."""
    run = job_run_policy.manageable(scope, run_id)
    if run is None:
        raise NotFoundError()
    if run.status != JobStatus.FAILED:
        raise ConflictError(N_("Only a failed job can be retried."))
    run.status = JobStatus.PENDING
    run.error = None
    run.message = run.message_params = None
    run.finished_at = None
    outbox.dispatch_after_commit(run.id)


class LostAttempt(RuntimeError):
    """An attempt that ended without a word: its work horse was killed, or its worker died."""


@use_case
def record_lost_attempt(run_id: int, reason: str, *, retrying: bool) -> bool:
    """Record an attempt whose work horse was killed (the worker tells): retrying while RQ
    will try again, else failed. Only a run still marked running is changed; True if so."""
    run = db.session.scalar(select(JobRun).where(JobRun.id == run_id).with_for_update())
    if run is None or run.status != JobStatus.RUNNING:
        return False
    _lost(run, reason, retrying=retrying)
    return True


def recover_stale(older_than: timedelta = STALE_AFTER) -> int:
    """Set right the runs that say they are on their way (queued, running, retrying) but
    have not moved for ``older_than``, from what RQ knows of their job: gone from Redis →
    pending again, and handed over; failed in RQ → failed; waiting for a retry in RQ while
    marked running → retrying. The number of runs set right. Idempotent; without Redis
    there is nothing to ask."""
    if outbox.redis_connection() is None:
        return 0
    cutoff = utcnow() - older_than
    part = aliased(JobRun)
    has_parts = exists().where(part.parent_id == JobRun.id)  # its parts are set right instead
    ids = db.session.scalars(
        select(JobRun.id)
        .where(JobRun.status.in_(UNFINISHED), JobRun.updated_at <= cutoff, ~has_parts)
        .order_by(JobRun.id)
    ).all()
    db.session.rollback()  # end the read: each run is set right in its own transaction
    return sum(1 for run_id in ids if _reconcile(run_id, outbox.queue_state(run_id)))


@use_case
def _reconcile(run_id: int, state: str | None) -> bool:
    run = db.session.scalar(select(JobRun).where(JobRun.id == run_id).with_for_update())
    if run is None or run.status not in UNFINISHED:
        return False
    if state is None:
        run.status = JobStatus.PENDING
        outbox.dispatch_after_commit(run.id)
        return True
    if state in outbox.GAVE_UP:
        _lost(run, "RQ job " + state, retrying=False)
        return True
    if state in outbox.WAITING and run.status == JobStatus.RUNNING:
        _lost(run, "RQ job " + state, retrying=True)
        return True
    return False


def _lost(run: JobRun, reason: str, *, retrying: bool) -> None:
    run.status = JobStatus.RETRYING if retrying else JobStatus.FAILED
    run.error = f"{LostAttempt.__name__}: {reason}"
    run.message, run.message_params = (None, None) if retrying else (LOST, {})
    run.finished_at = None if retrying else utcnow()
    if not retrying:
        _fail_parent(run)


def requester_scope(run_id: int | None) -> Scope:
    """The rights a job runs with: those of whoever asked for the run, as they are now
    (nobody's once deactivated); the system's for a run nobody asked for (the schedule,
    the CLI)."""
    requester_id = None
    if run_id is not None:
        requester_id = db.session.scalar(select(JobRun.requested_by_id).where(JobRun.id == run_id))
    if requester_id is None:
        return SYSTEM
    user = db.session.get(KinerjaUser, requester_id)
    return scope_for_user(user) if user is not None and user.active else NOBODY


def requested_at(run_id: int | None) -> datetime | None:
    """When the run was asked for: what a job compares with to know what an earlier attempt
    of the same run already did."""
    if run_id is None:
        return None
    return db.session.scalar(select(JobRun.created_at).where(JobRun.id == run_id))


def report_progress(run_id: int | None, done: int, total: int | None = None) -> None:
    """Record how far a long job is, so the back office can show it while the job runs.

    Written and committed on a connection of its own: the job's unit of work (an import
    applies every row in one transaction) stays open and uncommitted meanwhile.
    """
    if run_id is None:
        return
    values: dict[str, Any] = {"done": done, "updated_at": utcnow()}
    if total is not None:
        values["total"] = total
    with db.engine.begin() as connection:
        connection.execute(update(JobRun).where(JobRun.id == run_id).values(**values))


def progress_reporter(run_id: int | None, every: int = 1) -> ProgressReporter:
    """A ``progress(done, total)`` callback for services, writing every ``every`` items and
    at the end."""

    def progress(done: int, total: int) -> None:
        if done == total or done % every == 0:
            report_progress(run_id, done, total)

    return progress


def _run(run_id: int) -> JobRun:
    run = db.session.get(JobRun, run_id)
    if run is None:
        raise NotFoundError()
    return run


def schedule_once(name: str, args: list[Any], requester_id: int | None) -> JobRun:
    """Schedule ``name`` with ``args`` unless the same request of the same person still
    waits in line (pending or queued): then that run, so a repeated click asks once."""
    waiting = db.session.scalars(
        select(JobRun)
        .where(
            JobRun.name == name,
            JobRun.status.in_((JobStatus.PENDING, JobStatus.QUEUED)),
            JobRun.requested_by_id.is_(None)
            if requester_id is None
            else JobRun.requested_by_id == requester_id,
        )
        .order_by(JobRun.id)
    )
    for run in waiting:
        if list(run.args) == args:
            return run
    return outbox.schedule(name, *args)
