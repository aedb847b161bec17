"""Runs a recorded job: the run is marked running, the registered function is called, and
the outcome recorded — each step a use case of :mod:`kinerja.services.job_runs`; nothing
here commits.

RQ imports :func:`run_job` by its dotted name (see :data:`kinerja.services.outbox.RUNNER`);
without Redis the outbox calls it inline after the commit. A work horse killed mid-run is
reported by its worker through :func:`record_killed_horse`.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from flask import current_app
from rq import get_current_job
from rq.job import Job

from kinerja.domain.errors import DomainError
from kinerja.jobs.registry import REGISTRY
from kinerja.services import audit, job_runs
from kinerja.services.job_runs import JobOutcome
from kinerja.services.outbox import RUNNER

log = logging.getLogger(__name__)


def run_job(run_id: int) -> None:
    """Run a recorded job and record its outcome.

    A fault (SMTP or the database unreachable…) is re-raised under RQ, which tries again
    while its ``Retry`` allows: the run says *retrying* until the last attempt has failed.
    A refusal (:class:`DomainError`: the file is gone, the uploader was deactivated) will
    not change by trying again: the run fails at once, with the refusal's message.
    """
    run = job_runs.start(run_id)
    if run is None:
        return
    try:
        func = REGISTRY.get(run.name)
        if func is None:
            raise LookupError(f"Unknown job {run.name!r}")
        with audit.acting_as(run.requested_by_id, f"job:{run.name}"):
            outcome = func(*run.args, run_id=run_id)
    except DomainError as refusal:
        log.warning("Job run %s (%s) was refused: %s", run_id, run.name, refusal)
        job_runs.record_failure(run_id, refusal, retrying=False)
        return
    except Exception as exc:
        retrying = _rq_retries_left()
        log.exception("Job run %s (%s) failed", run_id, run.name)
        job_runs.record_failure(run_id, exc, retrying=retrying)
        if current_app.config.get("REDIS_URL"):
            raise
        return
    job_runs.succeed(run_id, outcome if isinstance(outcome, JobOutcome) else JobOutcome())


def _rq_retries_left() -> bool:
    """Whether RQ will run this job again after this failure (its ``Retry`` not used up)."""
    current = get_current_job()
    return current is not None and current.should_retry


def record_killed_horse(job: Job, pid: int, status: int, rusage: Any) -> None:
    """RQ's ``work_horse_killed_handler``, called in the worker when a work horse died
    without a word (SIGKILL, out of memory): the run says *retrying* while RQ will try
    again (the retry takes it over), else *failed* — never *running* for ever."""
    if job.func_name != RUNNER or not job.args:
        return
    signal = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    reason = f"work horse {pid} killed by signal {signal}" if signal else f"work horse {pid} died"
    run_id = int(job.args[0])
    log.warning("Job run %s: %s", run_id, reason)
    job_runs.record_lost_attempt(run_id, reason, retrying=job.should_retry)
