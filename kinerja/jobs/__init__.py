"""Background jobs: verb-first functions taking ids, registered by name, run by RQ.

Use cases record runs by name in the outbox (:mod:`kinerja.services.outbox`); this package
holds the job functions, the runner that executes a recorded run, and the worker.
"""

from __future__ import annotations

from flask import Flask

from kinerja.jobs import imports, logins
from kinerja.jobs.progress import report_progress
from kinerja.jobs.registry import REGISTRY, job
from kinerja.jobs.runner import run_job

__all__ = ["REGISTRY", "imports", "init_jobs", "job", "logins", "report_progress", "run_job"]


def init_jobs(app: Flask) -> None:
    """Tell the outbox which jobs exist and how to run one inline (without Redis)."""
    app.extensions["kinerja_jobs"] = {"redis": None, "names": set(REGISTRY), "run_inline": run_job}
