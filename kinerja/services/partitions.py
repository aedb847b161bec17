"""Each period's realizations in a partition of their own (PostgreSQL; the table and why:
:mod:`kinerja.models.partitions`).

A period's rows first land in the default partition; :func:`partition_realizations`, run
each night by :func:`kinerja.jobs.partitions.partition_realizations` and on demand by
``flask kinerja partitions``, gives every period without one its own partition, moving its
rows there in the same transaction. It is idempotent and safe to run twice at once (an
advisory lock makes the second wait, then find nothing to do). SQLite (``make run``) has no
partitions: nothing is done there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text

from kinerja.domain.errors import AccessDenied
from kinerja.extensions import db
from kinerja.models.partitions import (
    PARTITIONED_PERIODS,
    partition_moving_rows,
    partition_name,
)
from kinerja.models.planning import Period
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import transaction

LOCK_KEY = 0x6B696E6A_7061  # "kinj" "pa": one partitioning at a time


@dataclass(frozen=True)
class Partitioned:
    periods: list[int]  # the periods given their own partition by this run
    moved: int  # realizations moved out of the default partition


def partition_realizations(scope: Scope) -> Partitioned:
    """Give each period without one its own partition of ``realization``."""
    if not scope.manages_all:
        raise AccessDenied()
    if db.engine.dialect.name != "postgresql":
        return Partitioned([], 0)
    with transaction():
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        existing = set(db.session.execute(text(PARTITIONED_PERIODS)).scalars())
        periods = [
            period_id
            for period_id in db.session.scalars(select(Period.id).order_by(Period.id))
            if partition_name(period_id) not in existing
        ]
        moved = 0
        for period_id in periods:
            for statement in partition_moving_rows(period_id):
                result: Any = db.session.execute(text(statement))
                if statement.startswith("INSERT"):
                    moved += int(result.rowcount or 0)
    return Partitioned(periods, moved)
