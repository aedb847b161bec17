"""The record of each background job run, kept by use cases: a job never writes it itself.

The runner (:mod:`kinerja.jobs.runner`) asks these use cases to mark a run running,
succeeded, retrying or failed; the back office asks them to retry a failed run. What a run
reports is stored as a message template with parameters (:class:`JobOutcome`), so that the
jobs screen says it in each reader's language.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from kinerja.domain.errors import N_, ConflictError, DomainError, NotFoundError
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.jobs import JobRun, JobStatus
from kinerja.security.policies import job_runs as job_run_policy
from kinerja.security.policies.scope import Scope
from kinerja.services import outbox
from kinerja.services.boundary import transaction, use_case

ProgressReporter = Callable[[int, int], None]


@dataclass(frozen=True)
class JobOutcome:
    """What a job reports when it is done: a summary sentence (an English template, the
    msgid, with its parameters) and data for the screens that show the result in detail."""

    message: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] | None = None


@dataclass(frozen=True)
class StartedRun:
    """What the runner needs of a run it has started (no ORM object leaves the use case)."""

    id: int
    name: str
    args: list[Any]


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
    return StartedRun(run.id, run.name, list(run.args))


@use_case
def succeed(run_id: int, outcome: JobOutcome) -> None:
    run = _run(run_id)
    run.status = JobStatus.SUCCEEDED
    run.message = outcome.message
    run.message_params = dict(outcome.params) if outcome.message else None
    run.result = outcome.result
    run.error = None
    run.finished_at = utcnow()


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
