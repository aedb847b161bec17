"""The job functions by name: only registered functions can be run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

JobFunc = Callable[..., Any]
REGISTRY: dict[str, JobFunc] = {}


def job(func: JobFunc) -> JobFunc:
    """Register a job function under its name (the name the outbox schedules)."""
    REGISTRY[func.__name__] = func
    return func
