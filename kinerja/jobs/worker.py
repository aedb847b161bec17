"""The RQ worker: builds the app once, then forks a work horse per job from it; beside it,
RQ's cron scheduler enqueues the periodic jobs of :mod:`kinerja.jobs.schedule`.

A job that had to build the Flask app would cost ~1.7 s; forking from a parent that has the
app (and its app context) costs milliseconds. The child drops the parent's pooled database
connections before it touches the database.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from multiprocessing.process import BaseProcess
from typing import Any

from redis import Redis
from rq import Worker
from rq.cron import CronJob, CronScheduler
from rq.exceptions import StopRequested

from kinerja.extensions import db
from kinerja.jobs.runner import record_killed_horse
from kinerja.jobs.schedule import register_periodic
from kinerja.services.outbox import dispatch_pending, queue

log = logging.getLogger(__name__)
CRON_STOP_TIMEOUT = 10


class AppWorker(Worker):
    """An RQ worker whose work horses run inside the parent's app context."""

    def main_work_horse(self, job: Any, queue: Any) -> None:
        db.engine.dispose(close=False)
        super().main_work_horse(job, queue)


class WorkerCron(CronScheduler):
    """RQ's cron scheduler run in a child process of one worker. It stops with its worker,
    even one killed without a chance to stop it: it checks its parent before each round."""

    def __init__(self, connection: Redis, parent_pid: int) -> None:
        super().__init__(connection=connection)
        self.parent_pid = parent_pid

    def enqueue_jobs(self) -> list[CronJob]:
        self._stop_if_orphaned()
        return super().enqueue_jobs()

    def heartbeat(self) -> None:
        self._stop_if_orphaned()
        super().heartbeat()

    def _stop_if_orphaned(self) -> None:
        if os.getppid() != self.parent_pid:
            raise StopRequested()


def run_cron(redis_url: str, parent_pid: int) -> None:
    """The cron scheduler's process: the periodic jobs, enqueued on time until stopped."""
    register_periodic(WorkerCron(Redis.from_url(redis_url), parent_pid)).start()


def start_cron(redis_url: str) -> BaseProcess:
    process = multiprocessing.get_context("fork").Process(
        target=run_cron, args=(redis_url, os.getpid()), name="kinerja-cron", daemon=True
    )
    process.start()
    return process


def run_worker(
    queue_names: list[str], redis_url: str, *, burst: bool = False, with_cron: bool = True
) -> bool:
    """Work the queues (inside an app context), with RQ's scheduler for retries and, unless
    ``burst``, the cron scheduler of the periodic jobs. A burst run has no cron: it sweeps
    the outbox once before it starts instead."""
    queues = [queue(name) for name in queue_names]
    worker = AppWorker(
        queues, connection=queues[0].connection, work_horse_killed_handler=record_killed_horse
    )
    cron = start_cron(redis_url) if with_cron and not burst else None
    if cron is None:
        dispatch_pending()
    try:
        return worker.work(burst=burst, with_scheduler=True)
    finally:
        if cron is not None:
            cron.terminate()
            cron.join(CRON_STOP_TIMEOUT)
