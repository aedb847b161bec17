"""The nightly partitioning of realizations by period, scheduled by name in
:mod:`kinerja.jobs.schedule` (what and why: :mod:`kinerja.services.partitions`).
Idempotent: a second run finds every period partitioned."""

from __future__ import annotations

from kinerja.security.policies import SYSTEM
from kinerja.services import partitions


def partition_realizations() -> list[int]:
    """Give each period without one its own partition; the periods partitioned."""
    return partitions.partition_realizations(SYSTEM).periods
