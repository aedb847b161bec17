"""``flask kinerja bench recommendations --employees N``: the recommendation job at province
scale, against a naive baseline in the same run.

1. ``N`` employees in the ratings bench's organisation (units of 25, a head and staff
   positions), 30 competencies (the nine of the dictionary and 21 technical ones), a
   standard of 12 competencies for every position, 12 assessments for every employee and a
   catalogue of 500 trainings addressing one to three competencies each — written in SQL,
   not timed.
2. The job's use case computes the year for everyone (timed: ``seconds``).
3. The naive baseline computes a subset of 2,000 employees the way a Python loop would: the
   ORM queries of one employee, the domain's rule for every training, the best five added
   and flushed, one employee at a time — and must agree with the job on every one of them.

The last line printed is ``{"bench": "recommendations", "employees": N, "seconds": S,
"naive_ratio": X}``, ``naive_ratio`` being how many times faster per employee the job is.
Run it on a scratch database: the data stays there.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date

from sqlalchemy import String, cast, func, insert, literal, select, text, true

from kinerja.bench.ratings.data import _Writer, counter, free_year
from kinerja.domain.competency import gap, gap_closed
from kinerja.domain.planning import Cadence
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.competency import (
    Assessment,
    Competency,
    PositionCompetency,
    Recommendation,
    Training,
    TrainingCompetency,
)
from kinerja.models.org import Employee, Position, Unit
from kinerja.models.planning import Period
from kinerja.security.policies.scope import SYSTEM
from kinerja.services.boundary import transaction
from kinerja.services.competency.recommendations import TOP, compute_recommendations
from kinerja.services.plans.periods import save_period
from kinerja.services.reference import seed_competencies

NAIVE_SUBSET = 2_000
COMPETENCIES = 30
STANDARD = 12  # competencies in every position's standard, all assessed
TRAININGS = 500


class Disagreement(RuntimeError):
    """The job and the rule applied person by person disagree: the figures mean nothing."""


def bench_recommendations(employees: int, subset: int = NAIVE_SUBSET) -> Iterator[str]:
    """Lines to print, the JSON line last (see the module's docstring)."""
    started = time.perf_counter()
    year, prefix = _generate(employees)
    yield (
        f"Generated {employees:,} employees, {employees * STANDARD:,} assessments and "
        f"{TRAININGS} trainings in {time.perf_counter() - started:.1f} s."
    )
    started = time.perf_counter()
    run = compute_recommendations(year, SYSTEM)
    seconds = time.perf_counter() - started
    yield (
        f"Job: {run.recommended:,} recommendations for {run.employees:,} employees in "
        f"{seconds:.2f} s ({seconds / run.employees * 1e6:.0f} µs per employee)."
    )
    people = list(
        db.session.scalars(
            select(Employee.id)
            .join(Unit, Unit.id == Employee.unit_id)
            .where(Unit.code.like(f"{prefix}-U%"))
            .order_by(Employee.id)
            .limit(subset)
        )
    )
    naive = _naive(people, year)
    per_naive = naive / len(people)
    ratio = per_naive / (seconds / run.employees)
    yield (
        f"Naive loop: {len(people):,} employees in {naive:.2f} s "
        f"({per_naive * 1e6:.0f} µs per employee), in agreement with the job: "
        f"{ratio:.1f}x faster per employee."
    )
    yield json.dumps(
        {
            "bench": "recommendations",
            "employees": run.employees,
            "seconds": round(seconds, 2),
            "naive_ratio": round(ratio, 1),
        }
    )


def _generate(employees: int) -> tuple[int, str]:
    """The organisation, dictionary, standards, assessments and catalogue; (year, prefix)."""
    year = free_year()
    now = literal(utcnow(), Period.__table__.c.created_at.type)
    with transaction():
        period = Period(year=year, cadence=Cadence.QUARTERLY, name=f"Bench recommendations {year}")
        save_period(period, SYSTEM)
        db.session.flush()
        prefix = f"BC{year}"
        writer = _Writer(period.id, prefix, now)
        writer.organisation(employees)
        seed_competencies()
        n = counter("technical", COMPETENCIES - 9)
        writer.write(
            Competency,
            "code category name active",
            select(
                writer.code("T", n.c.n),
                literal("technical"),
                literal("Kompetensi teknis ") + cast(n.c.n, String),
                true(),
            ),
        )
    with transaction():
        ours = (
            Competency.code.like(f"{prefix}-T%")
            | Competency.code.like("M.%")
            | Competency.code.like("SK.%")
        )
        ranked = select(
            Competency.id, (func.row_number().over(order_by=Competency.id) - 1).label("k")
        ).where(ours)
        pool = ranked.limit(COMPETENCIES).subquery("pool")
        j = counter("slot", STANDARD)
        mine = Position.code.like(f"{prefix}-%")
        standards = (
            select(Position.id, pool.c.id, 2 + (Position.id + j.c.n) % 4)
            .select_from(Position)
            .join(j, true())
            .join(pool, pool.c.k == (Position.id * 3 + j.c.n * 7) % COMPETENCIES)
            .where(mine)
        )
        writer.write(PositionCompetency, "position_id competency_id required_level", standards)
        assessed = (
            select(
                Employee.id,
                PositionCompetency.competency_id,
                1 + (Employee.id * 13 + PositionCompetency.competency_id * 7) % 5,
                literal(date(year, 1, 15)),
                literal("assessment_centre"),
            )
            .join(PositionCompetency, PositionCompetency.position_id == Employee.position_id)
            .join(Position, Position.id == Employee.position_id)
            .where(mine)
        )
        writer.write(Assessment, "employee_id competency_id level assessed_on source", assessed)
        t = counter("trainings", TRAININGS)
        writer.write(
            Training,
            "title mode jp active",
            select(
                literal(f"{prefix} Pelatihan ") + cast(t.c.n, String),
                literal("classical"),
                8 + (t.c.n % 4) * 8,
                true(),
            ),
        )
        first = db.session.scalar(
            select(func.min(Training.id)).where(Training.title.like(f"{prefix} %"))
        )
        t, j = counter("catalogue", TRAININGS), counter("addresses", 3)
        addresses = (
            select(literal(first) + t.c.n - 1, pool.c.id, 1 + (t.c.n + j.c.n) % 3)
            .select_from(t)
            .join(j, j.c.n <= 1 + t.c.n % 3)
            .join(pool, pool.c.k == (t.c.n * 11 + j.c.n * 7) % COMPETENCIES)
        )
        writer.write(TrainingCompetency, "training_id competency_id raises", addresses)
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    return date.today().year, prefix


def _naive(people: list[int], year: int) -> float:
    """Seconds to compute ``people`` one by one (rolled back), checked against the job."""
    trainings = db.session.scalars(
        select(Training).where(Training.active.is_(True)).order_by(Training.jp, Training.id)
    ).all()
    raises = [{a.competency_id: a.raises for a in t.addresses} for t in trainings]
    started = time.perf_counter()
    computed: dict[int, list[tuple[int, int]]] = {}
    for employee_id in people:
        employee = db.session.get(Employee, employee_id)
        assert employee is not None
        standard = db.session.scalars(
            select(PositionCompetency).where(PositionCompetency.position_id == employee.position_id)
        ).all()
        assessed: dict[int, int] = {}
        for row in db.session.scalars(
            select(Assessment)
            .where(Assessment.employee_id == employee_id)
            .order_by(Assessment.assessed_on, Assessment.id)
        ):
            assessed[row.competency_id] = row.level
        gaps = {
            s.competency_id: gap(s.required_level, assessed.get(s.competency_id)) for s in standard
        }
        scored = sorted(
            (
                (gap_closed(gaps, r), -n, t.id)
                for n, (t, r) in enumerate(zip(trainings, raises, strict=True))
            ),
            reverse=True,
        )
        best = [(t, closed) for closed, _, t in scored[:TOP] if closed > 0]
        for rank, (training_id, closed) in enumerate(best, start=1):
            db.session.execute(
                insert(Recommendation).values(
                    employee_id=employee_id,
                    training_id=training_id,
                    year=year + 1000,
                    rank=rank,
                    gap_closed=closed,
                    gap_total=sum(g for g in gaps.values() if g > 0),
                    priority=False,
                    computed_at=utcnow(),
                )
            )
        computed[employee_id] = best
    seconds = time.perf_counter() - started
    db.session.rollback()
    _agree(computed, year)
    return seconds


def _agree(computed: dict[int, list[tuple[int, int]]], year: int) -> None:
    stored: dict[int, list[tuple[int, int]]] = {employee_id: [] for employee_id in computed}
    rows = db.session.execute(
        select(Recommendation.employee_id, Recommendation.training_id, Recommendation.gap_closed)
        .where(Recommendation.year == year, Recommendation.employee_id.in_(list(computed)))
        .order_by(Recommendation.employee_id, Recommendation.rank)
    )
    for employee_id, training_id, closed in rows:
        stored[employee_id].append((training_id, closed))
    if stored != computed:
        wrong = next(e for e in computed if stored[e] != computed[e])
        raise Disagreement(f"employee {wrong}: job {stored[wrong]}, rule {computed[wrong]}")
