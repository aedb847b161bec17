"""Runs a recorded job: marks it running, calls the registered function, records the outcome.

RQ imports :func:`run_job` by its dotted name (see :data:`kinerja.services.outbox.RUNNER`);
without Redis the outbox calls it inline after the commit.
"""

from __future__ import annotations

import logging
import traceback

from flask import current_app

from kinerja.extensions import db
from kinerja.jobs.registry import REGISTRY
from kinerja.models.base import utcnow
from kinerja.models.jobs import JobRun, JobStatus

log = logging.getLogger(__name__)


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
