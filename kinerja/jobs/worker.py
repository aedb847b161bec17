"""The RQ worker: builds the app once, then forks a work horse per job from it.

A job that had to build the Flask app would cost ~1.7 s; forking from a parent that has the
app (and its app context) costs milliseconds. The child drops the parent's pooled database
connections before it touches the database.
"""

from __future__ import annotations

from typing import Any

from rq import Worker

from kinerja.extensions import db
from kinerja.services.outbox import dispatch_pending, queue


class AppWorker(Worker):
    """An RQ worker whose work horses run inside the parent's app context."""

    def main_work_horse(self, job: Any, queue: Any) -> None:
        db.engine.dispose(close=False)
        super().main_work_horse(job, queue)


def run_worker(queue_names: list[str], *, burst: bool = False, with_scheduler: bool = True) -> bool:
    """Sweep the outbox, then work the queues (must run inside an app context)."""
    dispatch_pending()
    queues = [queue(name) for name in queue_names]
    worker = AppWorker(queues, connection=queues[0].connection)
    return worker.work(burst=burst, with_scheduler=with_scheduler)
