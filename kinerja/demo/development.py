"""Demo competency and development: the standard of every demo position (by its kind),
assessments of most employees, a catalogue of Indonesian trainings (``data/trainings.toml``),
training records of the year below and above the 20 JP, and the year's recommendations
computed by the job's use case, so that *Pengembangan Saya*, the 20-JP tally and the 9-box
have something to show at once.

Seeded and idempotent: each part is written only when its table holds nothing of the demo
yet (trainings by title, assessments and records per employee), and the recommendations
only when the year has none.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from kinerja.demo.bulk import write_rows
from kinerja.demo.datafiles import read_toml, reading
from kinerja.domain.competency import AssessmentSource, TrainingMode
from kinerja.domain.org import PositionKind
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.competency import (
    Assessment,
    Competency,
    PositionCompetency,
    Recommendation,
    Training,
    TrainingCompetency,
    TrainingRecord,
)
from kinerja.models.org import Employee, Position
from kinerja.security.policies.scope import SYSTEM
from kinerja.services.competency.recommendations import compute_recommendations
from kinerja.services.reference import seed_competencies

SEED = 20260214
MANAGERIAL = tuple(f"M.0{n}" for n in range(1, 9))
# The level each kind of position requires of the managerial competencies and of Perekat
# Bangsa (PermenPANRB 38/2017 gives higher levels to higher positions).
REQUIRED = {
    PositionKind.JPT: 4,
    PositionKind.ADMINISTRATOR: 3,
    PositionKind.SUPERVISOR: 3,
    PositionKind.FUNCTIONAL: 2,
    PositionKind.EXECUTIVE: 2,
}
ASSESSED_SHARE = 0.85  # of the employees with a position; the demo logins always
RECORDED_SHARE = 0.7


def load_development(year: int, always: set[int]) -> None:
    """The demo's development data for ``year``; ``always`` (employee ids, the demo
    logins) are assessed and trained whatever the draw."""
    seed_competencies()
    db.session.flush()
    codes = dict(db.session.execute(select(Competency.code, Competency.id)).tuples().all())
    _ensure_standards(codes)
    trainings = _ensure_trainings(codes)
    today = date.today()
    people = db.session.execute(
        select(Employee.id, Employee.position_id)
        .where(Employee.active.is_(True), Employee.position_id.is_not(None))
        .order_by(Employee.id)
    ).all()
    _ensure_assessments(people, codes, always, min(today, date(year, 12, 31)))
    _ensure_records([e for e, _ in people], trainings, always, year, today)
    db.session.flush()
    if not db.session.scalar(select(func.count()).where(Recommendation.year == year)):
        compute_recommendations(year, SYSTEM)


def _required(kind: PositionKind, code: str, position_id: int) -> int:
    """The kind's level, one higher for a competency the position leans on (drawn from
    its id, so a position keeps its standard)."""
    base = REQUIRED[kind]
    if code == "SK.01":
        return max(2, base - 1)
    return min(5, base + (1 if (position_id + int(code[-1])) % 4 == 0 else 0))


def _ensure_standards(codes: dict[str, int]) -> None:
    done = set(db.session.scalars(select(PositionCompetency.position_id).distinct()))
    now = utcnow()
    rows = [
        {
            "position_id": position_id,
            "competency_id": codes[code],
            "required_level": _required(kind, code, position_id),
            "created_at": now,
            "updated_at": now,
        }
        for position_id, kind in db.session.execute(select(Position.id, Position.kind)).all()
        if position_id not in done
        for code in (*MANAGERIAL, "SK.01")
    ]
    write_rows(PositionCompetency.__table__, rows)


def _ensure_trainings(codes: dict[str, int]) -> list[tuple[int, str, TrainingMode, int]]:
    """The catalogue (added by title); (id, title, mode, JP) of each."""
    existing = {t.title: t for t in db.session.scalars(select(Training))}
    with reading("trainings.toml"):
        for spec in read_toml("trainings.toml")["training"]:
            if spec["title"] in existing:
                continue
            training = Training(
                title=spec["title"],
                provider=spec["provider"],
                mode=TrainingMode(spec["mode"]),
                jp=int(spec["jp"]),
                active=True,
                description=spec.get("description"),
            )
            training.addresses = [
                TrainingCompetency(competency_id=codes[code], raises=int(raises))
                for code, raises in spec["raises"].items()
            ]
            db.session.add(training)
            existing[training.title] = training
    db.session.flush()
    return [(t.id, t.title, t.mode, t.jp) for t in existing.values() if t.active]


def _draw(employee_id: int, part: int) -> random.Random:
    """A person's own draws: the same whatever else a run adds or skips."""
    return random.Random(SEED * 10 + part + employee_id * 100)  # noqa: S311 - demo data


def _ensure_assessments(
    people: Sequence[Any],
    codes: dict[str, int],
    always: set[int],
    until: date,
) -> None:
    """Most people assessed on every competency of the dictionary's core: around their
    position's standard, a few far below it (the development cases)."""
    done = set(db.session.scalars(select(Assessment.employee_id).distinct()))
    standards: dict[int, dict[int, int]] = {}
    for position_id, competency_id, level in db.session.execute(
        select(
            PositionCompetency.position_id,
            PositionCompetency.competency_id,
            PositionCompetency.required_level,
        )
    ).tuples():
        standards.setdefault(position_id, {})[competency_id] = level
    sources = (AssessmentSource.ASSESSMENT_CENTRE, AssessmentSource.SUPERVISOR)
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for employee_id, position_id in people:
        rng = _draw(employee_id, 1)
        draw = rng.random()
        weak = rng.random() < 0.2 or employee_id in always  # something to show them
        if employee_id in done or (draw > ASSESSED_SHARE and employee_id not in always):
            continue
        on = until - timedelta(days=rng.randint(10, 200))
        source = rng.choice(sources)
        for competency_id, required in standards.get(position_id, {}).items():
            shift = rng.choice((-2, -1, -1, 0, 0, 0, 1)) if not weak else rng.choice((-2, -1))
            rows.append(
                {
                    "employee_id": employee_id,
                    "competency_id": competency_id,
                    "level": min(5, max(1, required + shift)),
                    "assessed_on": on,
                    "source": source.value,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    write_rows(Assessment.__table__, rows)


def _ensure_records(
    people: list[int],
    trainings: list[tuple[int, str, TrainingMode, int]],
    always: set[int],
    year: int,
    today: date,
) -> None:
    """The year's completed development: some people past 20 JP, most below it."""
    done = set(
        db.session.scalars(
            select(TrainingRecord.employee_id).where(TrainingRecord.year == year).distinct()
        )
    )
    last = min(today, date(year, 12, 31))
    span = max(0, (last - date(year, 1, 1)).days)
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for employee_id in people:
        rng = _draw(employee_id, 2)
        draw, count = rng.random(), rng.randint(1, 3)
        picked = rng.sample(trainings, count)
        if employee_id in done or (draw > RECORDED_SHARE and employee_id not in always):
            continue
        for training_id, title, mode, jp in picked:
            rows.append(
                {
                    "employee_id": employee_id,
                    "training_id": training_id,
                    "title": title,
                    "mode": mode.value,
                    "jp": jp,
                    "completed_on": date(year, 1, 1) + timedelta(days=rng.randint(0, span)),
                    "year": year,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    write_rows(TrainingRecord.__table__, rows)
