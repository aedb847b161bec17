"""Background jobs: a layer above the services, like the views.

Jobs are verb-first functions taking ids and enum values, registered by name; they call use
cases (:mod:`kinerja.services`) and never commit, roll back or record their run themselves.
Use cases record runs by name in the outbox (:mod:`kinerja.services.outbox`) and never
import this package; RQ runs :func:`run_job` by its dotted name, and
:mod:`kinerja.jobs.schedule` declares the periodic jobs.
"""

from __future__ import annotations

from flask import Flask

from kinerja.jobs import (
    competency,
    documents,
    imports,
    logins,
    mail,
    ratings,
    surveys,
    webhooks,
)
from kinerja.jobs.registry import REGISTRY, job
from kinerja.jobs.runner import run_job

__all__ = [
    "REGISTRY",
    "competency",
    "documents",
    "imports",
    "init_jobs",
    "job",
    "logins",
    "mail",
    "ratings",
    "run_job",
    "surveys",
    "webhooks",
]


def init_jobs(app: Flask) -> None:
    """Tell the outbox which jobs exist and how to run one inline (without Redis)."""
    app.extensions["kinerja_jobs"] = {"redis": None, "names": set(REGISTRY), "run_inline": run_job}
