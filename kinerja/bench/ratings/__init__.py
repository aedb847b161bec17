"""``flask kinerja bench ratings --employees N``: the ratings job at province scale, against
a naive baseline in the same run.

1. A year for ``N`` employees is generated on the configured database (not timed; see
   :mod:`kinerja.bench.ratings.data`): 4 indicators and 48 realizations per employee.
2. The job's use case rates the whole period (timed: ``seconds``), then once more with the
   same data (which must change nothing).
3. The naive baseline rates a subset (5,000 employees by default) the way a Python loop
   would: the ORM queries of one employee, the pure rules, the rating merged and committed,
   one employee at a time — and must agree with the job on every one of them.

The last line printed is one JSON object: ``{"bench": "ratings", "employees": N,
"realizations": R, "seconds": S, "naive_ratio": X}``, ``naive_ratio`` being how many times
faster per employee the job is than the baseline. Run it on a scratch database: the year
stays there.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from kinerja.bench.ratings.data import generate
from kinerja.extensions import db
from kinerja.models.ratings import Rating
from kinerja.security.policies.scope import SYSTEM
from kinerja.services.ratings import compute, facts, reference
from kinerja.services.reports.achievement import thresholds

NAIVE_SUBSET = 5_000
COMPARED = (
    "work_plan_id",
    "unit_id",
    "final",
    "predikat",
    "results",
    "behaviour",
    "suggested_results",
    "suggested_behaviour",
    "explanation",
)


class Disagreement(RuntimeError):
    """The job and the pure rules rated someone differently: the figures mean nothing."""


@dataclass(frozen=True)
class Naive:
    employees: int
    seconds: float


def bench_ratings(
    employees: int, subset: int = NAIVE_SUBSET, *, fast_load: bool = False
) -> Iterator[str]:
    """Lines to print, the JSON line last (see the module's docstring)."""
    started = time.perf_counter()
    year = generate(employees, fast_load=fast_load)
    yield (
        f"Generated {year.employees:,} employees, {year.realizations:,} realizations "
        f"in {time.perf_counter() - started:.1f} s (not timed)."
    )
    first = compute.compute_period_ratings(year.period_id, None, SYSTEM)
    yield (
        f"Job: {first.rated:,} rated, {first.changed:,} written, {first.final:,} final, "
        f"{first.warned:,} of {first.units:,} units warned, in {first.seconds:.2f} s."
    )
    again = compute.compute_period_ratings(year.period_id, None, SYSTEM)
    if again.changed or again.checks_changed:
        raise Disagreement(f"a second run rewrote {again.changed} ratings")
    yield f"Job again with the same data: nothing rewritten, in {again.seconds:.2f} s."
    naive = naive_baseline(year.period_id, subset)
    per_job = first.seconds / max(first.rated, 1)
    per_naive = naive.seconds / max(naive.employees, 1)
    yield (
        f"Naive baseline: {naive.employees:,} employees in {naive.seconds:.2f} s "
        f"({per_naive * 1000:.2f} ms each, the job {per_job * 1000:.3f} ms); "
        "agrees with the job on every one of them."
    )
    yield json.dumps(
        {
            "bench": "ratings",
            "employees": employees,
            "realizations": year.realizations,
            "seconds": round(first.seconds, 2),
            "naive_ratio": round(per_naive / per_job, 1) if per_job else None,
        }
    )


def naive_baseline(period_id: int, subset: int) -> Naive:
    """Rate the first ``subset`` employees of the period one by one with the ORM and the
    pure rules, comparing each with what the job stored (they must agree)."""
    above_at, expected_at = thresholds()
    plan_ids = [p.id for p in compute.plans_in_force(period_id, None)][:subset]
    db.session.commit()
    started = time.perf_counter()
    for plan_id in plan_ids:
        (found,) = facts.load_facts([plan_id], period_id)
        values = reference.rate(found, above_at, expected_at)
        rating = db.session.scalar(
            select(Rating).where(
                Rating.employee_id == values.employee_id, Rating.period_id == period_id
            )
        )
        if rating is None or _stored(rating) != _wanted(values):
            raise Disagreement(
                f"employee {values.employee_id}: {_stored(rating)} != {_wanted(values)}"
            )
        for name in COMPARED:  # merged as a loop would (equal values: no UPDATE is sent)
            setattr(rating, name, getattr(values, name))
        db.session.commit()
    return Naive(len(plan_ids), time.perf_counter() - started)


def _stored(rating: Rating | None) -> dict[str, Any]:
    if rating is None:
        return {}
    return {
        name: getattr(getattr(rating, name), "value", getattr(rating, name)) for name in COMPARED
    }


def _wanted(values: reference.RatingValues) -> dict[str, Any]:
    return {name: getattr(values, name) for name in COMPARED}
