"""Training recommendations and reward candidates of a year, computed by the
``compute_recommendations`` job for everyone at once.

* **Set-based**: one statement reads every active employee's standard with their latest
  assessments; the levels each training closes of each person's gaps (the domain's
  :func:`~kinerja.domain.competency.gap_closed`, Σ min(gap, raise)) are computed for all
  people and trainings at once as five matrix products, since min(g, r) = Σₖ [g ≥ k][r ≥ k]
  for levels k = 1…5; the best :data:`TOP` per person are kept. No loop per employee, no
  statement per employee: the bench measures it against one.
* **Who comes first**: people whose latest predikat is Butuh Perbaikan, Kurang or Sangat
  Kurang are marked ``priority`` (lists show them first); reward candidates are those rated
  Sangat Baik, or Baik two years in a row (``KINERJA_REWARD_TWO_GOOD_YEARS``).
* **Idempotent**: a run replaces the year's rows of the people it covers; the same data
  gives the same rows.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import numpy as np
from flask import current_app
from sqlalchemy import ColumnElement, delete, func, insert, select, text

from kinerja.domain.competency import MAX_LEVEL, needs_development_first, reward_candidate
from kinerja.domain.errors import N_, AccessDenied
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.competency import (
    Recommendation,
    RewardCandidate,
    Training,
    TrainingCompetency,
)
from kinerja.models.org import Employee
from kinerja.models.planning import Period
from kinerja.models.ratings import Rating
from kinerja.security.policies import recommendations as policy
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import transaction
from kinerja.services.competency.gaps import standard_lines

TOP = 5  # trainings recommended per person
CHUNK = 10_000  # people scored at once (memory: CHUNK × trainings × 4 bytes)
SUMMARY = N_(
    "%(recommended)d recommendations for %(employees)d employees (%(priority)d first in "
    "line) and %(candidates)d reward candidates."
)


@dataclass(frozen=True)
class RecommendationRun:
    """What one computation did, for the jobs screen."""

    year: int
    employees: int
    recommended: int
    priority: int
    candidates: int
    trainings: int
    seconds: float

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Standards:
    """Everyone's standard lines as arrays: employee, competency, required, assessed (0
    where never assessed)."""

    employee: np.ndarray
    competency: np.ndarray
    required: np.ndarray
    assessed: np.ndarray

    @classmethod
    def load(cls, employees: ColumnElement[bool]) -> Standards:
        lines = standard_lines(employees).subquery("lines")
        data = fetch_array(
            select(
                lines.c.employee_id,
                lines.c.competency_id,
                lines.c.required,
                func.coalesce(lines.c.assessed, 0),
            ),
            columns=4,
        )
        return cls(data[:, 0], data[:, 1], data[:, 2], data[:, 3])

    def matches(self) -> dict[int, Decimal]:
        """Each employee's job-person match (Σ min(assessed, required) / Σ required)."""
        people, where = np.unique(self.employee, return_inverse=True)
        required = np.bincount(where, weights=self.required)
        met = np.bincount(where, weights=np.minimum(self.assessed, self.required))
        return {
            int(person): (Decimal(int(m)) * 100 / int(r)).quantize(Decimal("0.01"))
            for person, m, r in zip(people, met, required, strict=True)
            if r > 0
        }


def compute_recommendations(
    year: int, scope: Scope, *, run_id: int | None = None
) -> RecommendationRun:
    """Recompute the year's recommendations and reward candidates of everyone ``scope``
    may compute them for (the Admin and the system: everyone)."""
    if not policy.may_compute(scope):
        raise AccessDenied()
    started = time.perf_counter()
    with transaction():
        if db.session.connection().dialect.name == "postgresql":  # sorts and hashes in memory
            db.session.execute(text("SET LOCAL work_mem = '128MB'"))
        people = Employee.active.is_(True) & policy.computable_employees(scope)
        standards = Standards.load(people)
        training_ids, raises = _trainings()
        predikats = _predikats(year, people)
        now = utcnow()
        db.session.execute(
            delete(Recommendation).where(
                Recommendation.year == year,
                Recommendation.employee_id.in_(select(Employee.id).where(people)),
            )
        )
        latest = {e: history[0] or history[1] for e, history in predikats.items()}
        priority = {e for e, predikat in latest.items() if needs_development_first(predikat)}
        ranked = _ranked(standards, training_ids, raises)
        _write(ranked, year, latest, now)
        candidates = _candidates(year, people, predikats, standards.matches(), now)
    employees = len(np.unique(standards.employee))
    return RecommendationRun(
        year=year,
        employees=employees,
        recommended=len(ranked),
        priority=len(priority),
        candidates=candidates,
        trainings=len(training_ids),
        seconds=round(time.perf_counter() - started, 2),
    )


def summary(run: RecommendationRun) -> tuple[str, dict[str, Any]]:
    return SUMMARY, {
        "recommended": run.recommended,
        "employees": run.employees,
        "priority": run.priority,
        "candidates": run.candidates,
    }


def _trainings() -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """Active trainings in the order that breaks ties (fewer JP first, then the oldest),
    and for each competency the levels each of them raises it by (0: not addressed)."""
    trainings = db.session.execute(
        select(Training.id).where(Training.active.is_(True)).order_by(Training.jp, Training.id)
    ).scalars()
    training_ids = np.array(list(trainings), dtype=np.int64)
    column = {int(t): n for n, t in enumerate(training_ids)}
    raises: dict[int, np.ndarray] = {}
    links = db.session.execute(
        select(
            TrainingCompetency.competency_id,
            TrainingCompetency.training_id,
            TrainingCompetency.raises,
        )
    )
    for competency_id, training_id, amount in links:
        if training_id in column:
            row = raises.setdefault(competency_id, np.zeros(len(training_ids), dtype=np.int8))
            row[column[training_id]] = amount
    return training_ids, raises


@dataclass(frozen=True)
class Ranked:
    """The recommendations, one element per row: who, which training, its rank, the levels
    it closes of the person's gaps and those gaps in all."""

    employee: np.ndarray
    training: np.ndarray
    rank: np.ndarray
    closed: np.ndarray
    gap_total: np.ndarray

    def __len__(self) -> int:
        return len(self.employee)


def _ranked(
    standards: Standards, training_ids: np.ndarray, raises: dict[int, np.ndarray]
) -> Ranked:
    gaps = np.maximum(standards.required - standards.assessed, 0)
    people, person_at = np.unique(standards.employee, return_inverse=True)
    competencies, competency_at = np.unique(standards.competency, return_inverse=True)
    gap_total = np.bincount(person_at, weights=gaps, minlength=len(people)).astype(np.int64)
    parts: list[tuple[np.ndarray, ...]] = []
    if len(training_ids) and len(people):
        matrix = np.zeros((len(competencies), len(training_ids)), dtype=np.int8)
        for n, competency in enumerate(competencies):
            matrix[n] = raises.get(int(competency), 0)
        levels = [(matrix >= k).astype(np.float32) for k in range(1, MAX_LEVEL + 1)]
        order = np.arange(len(training_ids))[::-1].astype(np.float32)  # earlier wins a tie
        top = min(TOP, len(training_ids))
        for start in range(0, len(people), CHUNK):
            stop = min(start + CHUNK, len(people))
            chosen = (person_at >= start) & (person_at < stop)
            grid = np.zeros((stop - start, len(competencies)), dtype=np.int8)
            grid[person_at[chosen] - start, competency_at[chosen]] = gaps[chosen]
            closed = np.zeros((stop - start, len(training_ids)), dtype=np.float32)
            for k, reached in enumerate(levels, start=1):
                closed += (grid >= k).astype(np.float32) @ reached
            key = closed * len(training_ids) + order
            best = np.argpartition(-key, top - 1, axis=1)[:, :top]
            best = np.take_along_axis(
                best, np.argsort(-np.take_along_axis(key, best, axis=1), axis=1), axis=1
            )
            amount = np.take_along_axis(closed, best, axis=1).astype(np.int64)
            kept = amount > 0  # best first: what closes nothing ends each row
            person = np.repeat(np.arange(start, stop), top).reshape(-1, top)
            rank = np.broadcast_to(np.arange(1, top + 1), best.shape)
            parts.append(
                (
                    people[person[kept]],
                    training_ids[best[kept]],
                    rank[kept],
                    amount[kept],
                    gap_total[person[kept]],
                )
            )
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Ranked(empty, empty, empty, empty, empty)
    return Ranked(*(np.concatenate(column) for column in zip(*parts, strict=True)))


def _predikats(year: int, people: ColumnElement[bool]) -> dict[int, list[Any]]:
    """Each person's predikat of ``year`` and of the year before (newest first, None where
    there is none), from their latest ratings with a predikat up to ``year``."""
    rows = db.session.execute(
        select(Rating.employee_id, Period.year, Rating.predikat)
        .join(Period, Period.id == Rating.period_id)
        .join(Employee, Employee.id == Rating.employee_id)
        .where(Period.year.between(year - 1, year), Rating.predikat.is_not(None), people)
    )
    history: dict[int, list[Any]] = {}
    for employee_id, rated_year, predikat in rows:
        slots = history.setdefault(employee_id, [None, None])
        slots[year - rated_year] = predikat
    return history


def _candidates(
    year: int,
    people: ColumnElement[bool],
    predikats: dict[int, list[Any]],
    matches: dict[int, Decimal],
    now: Any,
) -> int:
    two_years = bool(current_app.config.get("KINERJA_REWARD_TWO_GOOD_YEARS", True))
    db.session.execute(
        delete(RewardCandidate).where(
            RewardCandidate.year == year,
            RewardCandidate.employee_id.in_(select(Employee.id).where(people)),
        )
    )
    rows = [
        {
            "employee_id": employee_id,
            "year": year,
            "predikat": history[0],
            "two_good_years": history[0] != "sangat_baik",
            "match": matches.get(employee_id),
            "computed_at": now,
            "created_at": now,
            "updated_at": now,
        }
        for employee_id, history in predikats.items()
        if reward_candidate(history, two_good_years=two_years)
    ]
    _insert(RewardCandidate, rows)
    return len(rows)


def _write(ranked: Ranked, year: int, latest: dict[int, Any], now: datetime) -> None:
    """The recommendations: on PostgreSQL one COPY of text written from the arrays (half a
    million rows for 100,000 people), elsewhere inserts of a few thousand rows each."""
    people = ranked.employee.tolist()
    predikats = [latest.get(e) for e in people]
    columns = zip(
        people,
        ranked.training.tolist(),
        ranked.rank.tolist(),
        ranked.closed.tolist(),
        ranked.gap_total.tolist(),
        predikats,
        strict=True,
    )
    if db.session.connection().dialect.name != "postgresql":
        rows = [
            {
                "employee_id": e,
                "training_id": t,
                "year": year,
                "rank": r,
                "gap_closed": c,
                "gap_total": g,
                "priority": needs_development_first(p),
                "predikat": p,
                "computed_at": now,
                "created_at": now,
                "updated_at": now,
            }
            for e, t, r, c, g, p in columns
        ]
        _insert(Recommendation, rows)
        return
    stamp = now.isoformat()
    data = "".join(
        f"{e}\t{t}\t{year}\t{r}\t{c}\t{g}\t{'t' if needs_development_first(p) else 'f'}\t"
        f"{p.value if p is not None else NULL}\t{stamp}\t{stamp}\t{stamp}\n"
        for e, t, r, c, g, p in columns
    )
    names = (
        "employee_id, training_id, year, rank, gap_closed, gap_total, priority, predikat, "
        "computed_at, created_at, updated_at"
    )
    cursor = _driver_cursor()
    with cursor.copy(f"COPY recommendation ({names}) FROM STDIN") as copy:
        copy.write(data)


NULL = "\\N"


def _insert(model: Any, rows: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(model), rows[start : start + 5000])


def _driver_cursor() -> Any:
    """A cursor of the session's own connection (its transaction), below SQLAlchemy."""
    return db.session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]


def fetch_array(statement: Any, columns: int) -> np.ndarray:
    """The integer rows of ``statement`` as an array: on PostgreSQL straight from the
    driver's cursor (a million rows as SQLAlchemy rows cost more than the query)."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        rows = db.session.execute(statement).all()
        return np.array([tuple(row) for row in rows], dtype=np.int64).reshape(-1, columns)
    compiled = statement.compile(dialect=connection.dialect)
    cursor = _driver_cursor()
    cursor.execute(str(compiled), compiled.params)
    return np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, columns)
