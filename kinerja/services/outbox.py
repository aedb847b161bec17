"""The outbox: follow-up jobs are recorded by name in the use case's own transaction and
handed to the queue only after it commits.

A use case calls :func:`schedule` with a job's name; the :class:`JobRun` row commits with the
data, then :func:`dispatch_committed` (called by the use-case boundary) gives it to RQ. If
Redis is down the row stays ``pending`` and :func:`dispatch_pending` — run every minute by
the periodic jobs of :mod:`kinerja.jobs.schedule` — hands it over later: nothing is lost.
Without ``REDIS_URL`` the run is executed inline after the commit. Services never import
job modules: RQ imports the runner by its dotted name in the worker, and the inline runner
is registered by :func:`kinerja.jobs.init_jobs`.

Handing a run over is bookkeeping of its own, apart from any use case: it locks the row on
a connection of its own (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), enqueues it and marks it
``queued`` there. Two sweeps at once (two workers) therefore never hand over the same run
twice, and a sweep never touches the session of whoever called it.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import current_app, g, has_request_context
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.jobs import RETRY_INTERVALS, JobRun, JobStatus

log = logging.getLogger(__name__)

RUNNER = "kinerja.jobs.runner.run_job"
PENDING_GRACE = timedelta(seconds=30)
JOB_TIMEOUT = 3600
FAILURE_TTL = 7 * 24 * 3600

# What RQ says of a job that will not run again, and of one waiting to (a retry).
GAVE_UP = frozenset({"failed", "stopped", "canceled"})
WAITING = frozenset({"queued", "scheduled", "deferred"})

_TO_DISPATCH = "kinerja_jobs_to_dispatch"
_COMMITTED = "kinerja_jobs_committed"


def _state() -> dict[str, Any]:
    state: dict[str, Any] = current_app.extensions["kinerja_jobs"]
    return state


def redis_connection() -> Redis | None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    state = _state()
    if state.get("redis") is None:
        state["redis"] = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
    connection: Redis = state["redis"]
    return connection


def queue(name: str = "default") -> Queue:
    connection = redis_connection()
    if connection is None:
        raise RuntimeError("REDIS_URL is not set: jobs run inline.")
    return Queue(name, connection=connection)


def schedule(
    name: str, *args: Any, queue_name: str = "default", total: int | None = None
) -> JobRun:
    """Record a run of the job ``name`` in the current transaction; it is dispatched after
    the commit. ``args`` stay JSON-simple: ids and enum values, never ORM objects."""
    if name not in _state()["names"]:
        raise ValueError(f"{name} is not a registered job")
    user = g.get("user") if has_request_context() else None
    run = JobRun(
        name=name,
        args=list(args),
        queue=queue_name,
        total=total,
        requested_by_id=getattr(user, "id", None)
        if getattr(user, "is_authenticated", False)
        else None,
    )
    db.session.add(run)
    db.session.flush()
    dispatch_after_commit(run.id)
    return run


def dispatch_after_commit(run_id: int) -> None:
    """Hand the run over once the current transaction commits (nothing if it rolls back)."""
    db.session.info.setdefault(_TO_DISPATCH, []).append(run_id)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    ids = session.info.pop(_TO_DISPATCH, None)
    if ids:
        session.info.setdefault(_COMMITTED, []).extend(ids)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_TO_DISPATCH, None)


def dispatch_committed() -> None:
    """Hand over the runs committed by this session."""
    ids = db.session.info.pop(_COMMITTED, None)
    for run_id in ids or []:
        dispatch(run_id)


def dispatch(run_id: int) -> bool:
    """Give one pending run to RQ (or run it inline without Redis); True if it was handed
    over by this call. Safe to call twice at once: the second finds it locked or queued."""
    if not current_app.config.get("REDIS_URL"):
        _state()["run_inline"](run_id)
        return True
    with db.engine.connect() as connection, connection.begin():
        found = connection.execute(
            select(JobRun.queue)
            .where(JobRun.id == run_id, JobRun.status == JobStatus.PENDING)
            .with_for_update(skip_locked=True)
        ).first()
        if found is None:
            return False
        try:
            _enqueue(run_id, found.queue)
        except RedisError as exc:
            log.warning("Redis unavailable, run %s stays pending: %s", run_id, exc)
            return False
        connection.execute(
            update(JobRun)
            .where(JobRun.id == run_id, JobRun.status == JobStatus.PENDING)
            .values(status=JobStatus.QUEUED, updated_at=utcnow())
        )
    return True


def job_id(run_id: int) -> str:
    """The RQ job id of a run: one job per run, whichever attempt."""
    return f"kinerja-run-{run_id}"


def queue_state(run_id: int) -> str | None:
    """What RQ says of the run's job (``queued``, ``started``, ``failed``…); None when Redis
    has no such job (never handed over, expired, or Redis lost its data)."""
    try:
        job = Job.fetch(job_id(run_id), connection=redis_connection())
    except NoSuchJobError:
        return None
    status = job.get_status(refresh=False)
    return None if status is None else str(getattr(status, "value", status))


def _enqueue(run_id: int, queue_name: str) -> None:
    queue(queue_name).enqueue(
        RUNNER,
        run_id,
        job_id=job_id(run_id),
        retry=Retry(max=len(RETRY_INTERVALS), interval=list(RETRY_INTERVALS)),
        job_timeout=JOB_TIMEOUT,
        failure_ttl=FAILURE_TTL,
    )


def dispatch_pending(older_than: timedelta = PENDING_GRACE) -> int:
    """Sweep: hand over the runs that stayed pending (Redis was down, or the process died
    between commit and hand-over); the number handed over. Idempotent, and safe while
    another sweep runs (see the module's docstring)."""
    cutoff = utcnow() - older_than
    with db.engine.connect() as connection:
        ids = connection.scalars(
            select(JobRun.id)
            .where(JobRun.status == JobStatus.PENDING, JobRun.created_at <= cutoff)
            .order_by(JobRun.id)
        ).all()
    return sum(1 for run_id in ids if dispatch(run_id))
