"""The periodic jobs, declared in one place and run by RQ's cron (``rq.cron``).

``flask kinerja worker`` (``make worker``) starts a cron scheduler beside each worker; it
enqueues these jobs on time and the workers run them. Several workers mean several
schedulers, so every periodic job must be idempotent and safe to run twice at once.
Crontab expressions are read in the worker's local time (set ``TZ``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rq.cron import CronScheduler

from kinerja.jobs.competency import request_nightly_recommendations
from kinerja.jobs.mail import send_due_emails
from kinerja.jobs.notices import send_deadline_reminders, send_supervisor_digests
from kinerja.jobs.partitions import partition_realizations
from kinerja.jobs.ratings import request_nightly_ratings
from kinerja.jobs.retention import prune_change_log, prune_webhook_deliveries
from kinerja.jobs.surveys import request_nightly_survey_indices
from kinerja.jobs.sweep import recover_stale_runs, sweep_outbox


@dataclass(frozen=True)
class Periodic:
    """A job run on a schedule: every ``interval`` seconds, or by a ``cron`` expression."""

    func: Callable[[], Any]
    queue: str = "default"
    interval: int | None = None
    cron: str | None = None
    timeout: int = 300  # seconds one run may take
    ttl: int = 300  # seconds it may wait in the queue before it is dropped (a later one comes)


PERIODIC: tuple[Periodic, ...] = (
    Periodic(sweep_outbox, interval=60, timeout=60, ttl=120),
    Periodic(recover_stale_runs, interval=300, timeout=60, ttl=300),
    # Each running or evaluated period's ratings at 01:00, each computation a run of its own.
    Periodic(request_nightly_ratings, cron="0 1 * * *", timeout=300, ttl=3600),
    # The satisfaction index of every survey still running, at 01:30.
    Periodic(request_nightly_survey_indices, cron="30 1 * * *", timeout=300, ttl=3600),
    # This year's training recommendations at 02:00, after the night's ratings (a poor
    # predikat puts a person first in line).
    Periodic(request_nightly_recommendations, cron="0 2 * * *", timeout=300, ttl=3600),
    # Emails due for another attempt, and claims left by a sending job that died.
    Periodic(send_due_emails, queue="mail", interval=60, timeout=900, ttl=120),
    # Deadline reminders every morning; the supervisors' digest checked every morning, sent
    # on KINERJA_DIGEST_WEEKDAY only (once per ISO week).
    Periodic(send_deadline_reminders, cron="0 6 * * *", timeout=900, ttl=3600),
    Periodic(send_supervisor_digests, cron="30 6 * * *", timeout=900, ttl=3600),
    # The change log and the settled webhook deliveries past their retention, at 03:00.
    Periodic(prune_change_log, cron="0 3 * * *", timeout=900, ttl=3600),
    Periodic(prune_webhook_deliveries, cron="15 3 * * *", timeout=900, ttl=3600),
    # A partition of realizations for each period without one (a new period's rows move
    # out of the default partition), at 03:30.
    Periodic(partition_realizations, cron="30 3 * * *", timeout=1800, ttl=3600),
)


def register_periodic(scheduler: CronScheduler) -> CronScheduler:
    """Register every periodic job with ``scheduler``."""
    for periodic in PERIODIC:
        scheduler.register(
            periodic.func,
            periodic.queue,
            interval=periodic.interval,
            cron=periodic.cron,
            job_timeout=periodic.timeout,
            ttl=periodic.ttl,
            result_ttl=3600,
        )
    return scheduler
