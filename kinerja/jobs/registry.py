"""The job functions by name: only registered functions can be run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kinerja.models.jobs import JobName

JobFunc = Callable[..., Any]
REGISTRY: dict[str, JobFunc] = {}


def job(func: JobFunc) -> JobFunc:
    """Register a job function under its name (the name the outbox schedules).

    The name must be one of :class:`JobName`, which gives it its label on the jobs screen:
    a job nobody could name in the back office is refused when its module is imported.
    """
    name = JobName(func.__name__).value
    REGISTRY[name] = func
    return func
