"""Competency and development rows on top of the small city of :func:`build_org` (their
ids, by name): the dictionary, two trainings, standards of four positions, assessments and
training records of five people (one of Dinas Perhubungan, outside the Dinkes Operator's
reach), their computed recommendations and reward candidates (four of last year, and this
year's from the ratings of :func:`build_ratings`: the Kepala Bidang P2P's Sangat Baik)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from kinerja.domain.competency import AssessmentSource, TrainingMode
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.competency import (
    Assessment,
    Competency,
    PositionCompetency,
    Recommendation,
    RewardCandidate,
    Training,
    TrainingCompetency,
    TrainingRecord,
)
from kinerja.security.policies import SYSTEM
from kinerja.services.boundary import transaction
from kinerja.services.competency.recommendations import compute_recommendations
from kinerja.services.reference import seed_competencies
from tests.factories import Org

YEAR = 2026
STANDARDS = {  # position → (competency code, required level)
    "epid": (("M.01", 3), ("M.02", 4)),
    "perawat": (("M.01", 3), ("M.03", 3)),
    "kabid_p2p": (("M.02", 4), ("M.03", 4)),
    "penguji": (("M.01", 3), ("M.02", 3)),
}
PEOPLE = {
    "epid1": "epid",
    "epid2": "epid",
    "perawat": "perawat",
    "kabid_p2p": "kabid_p2p",
    "penguji": "penguji",
}


def build_development(org: Org) -> SimpleNamespace:
    with transaction():
        seed_competencies()
    made = SimpleNamespace()
    made.competencies = {
        c.code.replace(".", "").lower(): c for c in db.session.scalars(select(Competency))
    }
    c = {c.code: c for c in made.competencies.values()}
    made.trainings = {
        "kerja_sama": _training("Kerja sama tim", {c["M.02"]: 2}),
        "komunikasi": _training("Komunikasi efektif", {c["M.01"]: 1, c["M.03"]: 2}),
    }
    made.standards = {
        position: [
            _add(
                PositionCompetency(
                    position=getattr(org.positions, position),
                    competency=c[code],
                    required_level=level,
                )
            )
            for code, level in lines
        ]
        for position, lines in STANDARDS.items()
    }
    made.assessments = {
        person: _add(
            Assessment(
                employee=getattr(org.employees, person),
                competency=c["M.01"],
                level=2,
                assessed_on=date(YEAR, 2, 1),
                source=AssessmentSource.SUPERVISOR,
            )
        )
        for person in PEOPLE
    }
    made.records = {
        person: _add(
            TrainingRecord(
                employee=getattr(org.employees, person),
                title="Pelatihan dasar",
                mode=TrainingMode.E_LEARNING,
                jp=12,
                completed_on=date(YEAR, 3, 1),
                year=YEAR,
            )
        )
        for person in ("epid1", "kabid_p2p", "perawat", "penguji")
    }
    made.candidates = {
        person: _add(
            RewardCandidate(
                employee=getattr(org.employees, person),
                year=YEAR - 1,  # last year's: the job of this year leaves them
                predikat="sangat_baik",
                computed_at=utcnow(),
            )
        )
        for person in ("epid1", "kabid_p2p", "perawat", "penguji")
    }
    db.session.commit()
    for name in ("competencies", "trainings", "assessments", "records", "candidates"):
        setattr(made, name, {key: row.id for key, row in getattr(made, name).items()})
    made.standards = {key: [line.id for line in lines] for key, lines in made.standards.items()}
    compute_recommendations(YEAR, SYSTEM)
    made.recommendations = {
        person: {
            r.id
            for r in db.session.scalars(
                select(Recommendation).where(
                    Recommendation.employee_id == getattr(org.employees, person).id
                )
            )
        }
        for person in PEOPLE
    }
    assert all(made.recommendations.values()), made.recommendations
    names = {employee.id: name for name, employee in vars(org.employees).items()}
    computed = db.session.scalars(select(RewardCandidate).where(RewardCandidate.year == YEAR))
    made.computed_candidates = {f"{names[r.employee_id]}_{YEAR}": r.id for r in computed}
    return made


def _training(title: str, raises: dict[Competency, int]) -> Training:
    training = Training(title=title, mode=TrainingMode.CLASSICAL, jp=16, active=True)
    training.addresses = [
        TrainingCompetency(competency=c, raises=amount) for c, amount in raises.items()
    ]
    return _add(training)


def _add(row: Any) -> Any:
    db.session.add(row)
    return row


def standard_of(position: Any) -> dict[str, int]:
    """The position's standard as it is stored now: competency code -> required level."""
    db.session.expire_all()
    return {
        line.competency.code: line.required_level
        for line in db.session.scalars(
            select(PositionCompetency).where(PositionCompetency.position_id == position.id)
        )
    }
