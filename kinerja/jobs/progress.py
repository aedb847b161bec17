"""Progress of a long job, written so the back office can show it while the job runs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.jobs import JobRun


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
