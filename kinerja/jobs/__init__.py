"""Background jobs: the outbox, dispatch to RQ (or inline without Redis), and run records.

A use case calls :func:`schedule` inside its transaction; the :class:`JobRun` row commits with
the data, and only after the commit is the job handed to Redis. If Redis is down the row stays
``pending`` and :func:`dispatch_pending` (run by the worker and ``flask kinerja jobs sweep``)
hands it over later: nothing is lost. Without ``REDIS_URL`` jobs run inline after the commit.

Job functions are verb-first, take ids, are idempotent, and register with :func:`job`.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask, current_app, g, has_request_context
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.jobs import JobRun, JobStatus

log = logging.getLogger(__name__)

JobFunc = Callable[..., Any]
REGISTRY: dict[str, JobFunc] = {}
RETRY_INTERVALS = [10, 60, 300]
PENDING_GRACE = timedelta(seconds=30)


def job(func: JobFunc) -> JobFunc:
    """Register a job function under its name; only registered functions can be run."""
    REGISTRY[func.__name__] = func
    return func


def init_jobs(app: Flask) -> None:
    app.extensions["kinerja_jobs"] = {"redis": None}
    from kinerja.jobs import imports, logins  # noqa: F401 - registers the jobs


def redis_connection() -> Redis | None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    state = current_app.extensions["kinerja_jobs"]
    if state["redis"] is None:
        state["redis"] = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
    return state["redis"]


def queue(name: str = "default") -> Queue:
    connection = redis_connection()
    if connection is None:
        raise RuntimeError("REDIS_URL is not set: jobs run inline.")
    return Queue(name, connection=connection)


def schedule(
    func: JobFunc, *args: Any, queue_name: str = "default", total: int | None = None
) -> JobRun:
    """Record a job run in the current transaction; it is dispatched after the commit."""
    if func.__name__ not in REGISTRY:
        raise ValueError(f"{func.__name__} is not a registered job")
    user = g.get("user") if has_request_context() else None
    run = JobRun(
        name=func.__name__,
        args=list(args),
        queue=queue_name,
        total=total,
        requested_by_id=getattr(user, "id", None)
        if getattr(user, "is_authenticated", False)
        else None,
    )
    db.session.add(run)
    db.session.flush()
    db.session.info.setdefault("kinerja_jobs_to_dispatch", []).append(run.id)
    return run


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    ids = session.info.pop("kinerja_jobs_to_dispatch", None)
    if ids:
        session.info.setdefault("kinerja_jobs_committed", []).extend(ids)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop("kinerja_jobs_to_dispatch", None)


def dispatch_committed() -> None:
    """Hand over the runs committed by this session (called after a use case commits)."""
    ids = db.session.info.pop("kinerja_jobs_committed", None)
    for run_id in ids or []:
        dispatch(run_id)


def dispatch(run_id: int) -> None:
    """Give one pending run to RQ, or run it inline without Redis."""
    if not current_app.config.get("REDIS_URL"):
        run_job(run_id)
        return
    run = db.session.get(JobRun, run_id)
    if run is None or run.status != JobStatus.PENDING:
        return
    try:
        queue(run.queue).enqueue(
            run_job,
            run_id,
            job_id=f"kinerja-run-{run_id}",
            retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS),
            job_timeout=3600,
            failure_ttl=7 * 24 * 3600,
        )
    except RedisError as exc:
        log.warning("Redis unavailable, run %s stays pending: %s", run_id, exc)
        return
    db.session.execute(
        update(JobRun)
        .where(JobRun.id == run_id, JobRun.status == JobStatus.PENDING)
        .values(status=JobStatus.QUEUED, updated_at=utcnow())
    )
    db.session.commit()


def dispatch_pending(older_than: timedelta = PENDING_GRACE) -> int:
    """Sweep: dispatch runs that stayed pending (Redis was down, or the process died)."""
    cutoff = utcnow() - older_than
    ids = db.session.scalars(
        select(JobRun.id).where(JobRun.status == JobStatus.PENDING, JobRun.created_at <= cutoff)
    ).all()
    for run_id in ids:
        dispatch(run_id)
    return len(ids)


def retry(run_id: int) -> bool:
    """Put a failed run back in line (the back office's "Retry")."""
    changed = db.session.execute(
        update(JobRun)
        .where(JobRun.id == run_id, JobRun.status == JobStatus.FAILED)
        .values(status=JobStatus.PENDING, error=None, updated_at=utcnow())
    ).rowcount
    db.session.commit()
    if changed:
        dispatch(run_id)
    return bool(changed)


def run_job(run_id: int) -> None:
    """Run a recorded job: mark it running, call it, record success or the failure.

    Re-raises a failure so RQ's ``Retry`` tries again; each attempt is counted.
    """
    run = db.session.get(JobRun, run_id)
    if run is None or run.status == JobStatus.SUCCEEDED:
        return
    func = REGISTRY.get(run.name)
    run.status = JobStatus.RUNNING
    run.attempts += 1
    run.started_at = utcnow()
    run.error = None
    db.session.commit()
    try:
        if func is None:
            raise LookupError(f"Unknown job {run.name!r}")
        message = func(*run.args, run_id=run_id)
    except Exception as exc:
        db.session.rollback()
        run = db.session.get(JobRun, run_id)
        run.status = JobStatus.FAILED
        run.error = "".join(traceback.format_exception_only(exc)).strip()
        run.finished_at = utcnow()
        db.session.commit()
        log.exception("Job run %s (%s) failed", run_id, run.name)
        if current_app.config.get("REDIS_URL"):
            raise
        return
    run = db.session.get(JobRun, run_id)
    run.status = JobStatus.SUCCEEDED
    if isinstance(message, dict):
        run.result = message
        message = message.get("summary")
    run.message = message if isinstance(message, str) else None
    run.finished_at = utcnow()
    db.session.commit()


def report_progress(run_id: int | None, done: int, total: int | None = None) -> None:
    """Record progress of a long job so the back office can show it.

    Written on its own connection: the job's transaction stays open and uncommitted.
    """
    if run_id is None:
        return
    values: dict[str, Any] = {"done": done, "updated_at": utcnow()}
    if total is not None:
        values["total"] = total
    with db.engine.begin() as connection:
        connection.execute(update(JobRun).where(JobRun.id == run_id).values(**values))
