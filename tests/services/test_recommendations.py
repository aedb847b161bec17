"""The recommendation job on real PostgreSQL: the same ranking as the domain's rule applied
person by person, latest assessments counted, the lowest predikats first, reward
candidates, idempotent, and only the Admin (or the system) computes it."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from kinerja.domain.competency import AssessmentSource, TrainingMode, gap, gap_closed
from kinerja.domain.errors import AccessDenied
from kinerja.extensions import db
from kinerja.models.competency import (
    Assessment,
    Competency,
    PositionCompetency,
    Recommendation,
    RewardCandidate,
    Training,
    TrainingCompetency,
)
from kinerja.models.jobs import JobRun
from kinerja.models.org import Employee
from kinerja.security.policies import SYSTEM, scope_for_user
from kinerja.services.boundary import transaction
from kinerja.services.competency.recommendations import TOP, compute_recommendations
from kinerja.services.competency.requests import request_nightly_recommendations
from kinerja.services.reference import seed_competencies
from tests.factories import Org, approved_plan, make_employee, make_rating

YEAR = 2026


def _competencies() -> dict[str, Competency]:
    with transaction():
        seed_competencies()
    return {c.code: c for c in db.session.scalars(select(Competency))}


def _training(title: str, jp: int, raises: dict[Competency, int]) -> Training:
    training = Training(title=title, mode=TrainingMode.CLASSICAL, jp=jp, active=True)
    training.addresses = [
        TrainingCompetency(competency=c, raises=amount) for c, amount in raises.items()
    ]
    db.session.add(training)
    return training


def _assess(employee: Employee, competency: Competency, level: int, on: date) -> None:
    db.session.add(
        Assessment(
            employee=employee,
            competency=competency,
            level=level,
            assessed_on=on,
            source=AssessmentSource.SUPERVISOR,
        )
    )


def _expected(employee_ids: list[int]) -> dict[int, list[tuple[int, int]]]:
    """The ranking by the domain's rule, person by person: (training id, levels closed)."""
    trainings = db.session.scalars(
        select(Training).where(Training.active.is_(True)).order_by(Training.jp, Training.id)
    ).all()
    result: dict[int, list[tuple[int, int]]] = {}
    for employee_id in employee_ids:
        employee = db.session.get(Employee, employee_id)
        assert employee is not None
        gaps: dict[int, int] = {}
        for line in db.session.scalars(
            select(PositionCompetency).where(PositionCompetency.position_id == employee.position_id)
        ):
            latest = db.session.scalars(
                select(Assessment.level)
                .where(
                    Assessment.employee_id == employee_id,
                    Assessment.competency_id == line.competency_id,
                )
                .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
            ).first()
            gaps[line.competency_id] = gap(line.required_level, latest)
        scored = [
            (t.id, gap_closed(gaps, {a.competency_id: a.raises for a in t.addresses}), n)
            for n, t in enumerate(trainings)
        ]
        ranked = sorted((s for s in scored if s[1] > 0), key=lambda s: (-s[1], s[2]))
        result[employee_id] = [(t, closed) for t, closed, _ in ranked[:TOP]]
    return result


def _stored() -> dict[int, list[tuple[int, int]]]:
    rows = db.session.scalars(
        select(Recommendation)
        .where(Recommendation.year == YEAR)
        .order_by(Recommendation.employee_id, Recommendation.rank)
    )
    result: dict[int, list[tuple[int, int]]] = {}
    for row in rows:
        result.setdefault(row.employee_id, []).append((row.training_id, row.gap_closed))
    return result


def test_the_ranking_is_the_domain_rule_and_the_latest_assessment_counts(org: Org) -> None:
    c = _competencies()
    e, p = org.employees, org.positions
    for code, level in (("M.01", 3), ("M.02", 4), ("M.03", 2)):
        db.session.add(
            PositionCompetency(position=p.epid, competency=c[code], required_level=level)
        )
    _assess(e.epid1, c["M.01"], 1, date(2025, 3, 1))
    _assess(e.epid1, c["M.01"], 3, date(2026, 2, 1))  # the latest: no gap left
    _assess(e.epid1, c["M.02"], 2, date(2026, 2, 1))
    short = _training("Kerja sama tim", 10, {c["M.02"]: 2})
    long = _training("Komunikasi dan integritas", 24, {c["M.01"]: 1, c["M.03"]: 2})
    _training("Pelayanan publik", 8, {c["M.05"]: 3})  # nobody's gap
    db.session.commit()

    run = compute_recommendations(YEAR, SYSTEM)

    stored = _stored()
    # M.01 met by the latest assessment; M.02 and M.03 two short each: a tie, fewer JP first
    assert stored[e.epid1.id] == [(short.id, 2), (long.id, 2)]
    # never assessed: gaps 3, 4, 2 → long closes 1 + 2, short closes 2; short wins no tie
    assert stored[e.epid2.id] == [(long.id, 3), (short.id, 2)]
    assert stored == {k: v for k, v in _expected([e.epid1.id, e.epid2.id]).items() if v}
    assert run.recommended == 4 and run.trainings == 3
    gap_totals = {r.employee_id: r.gap_total for r in db.session.scalars(select(Recommendation))}
    assert gap_totals == {e.epid1.id: 4, e.epid2.id: 9}


def test_random_standards_match_the_rule_person_by_person_and_a_rerun_changes_nothing(
    org: Org,
) -> None:
    c = list(_competencies().values())
    chance = random.Random(20261205)  # noqa: S311 -- test data, repeatable
    positions = [org.positions.epid, org.positions.perawat, org.positions.penguji]
    for position in positions:
        for competency in chance.sample(c, 6):
            db.session.add(
                PositionCompetency(
                    position=position, competency=competency, required_level=chance.randint(1, 5)
                )
            )
    people = [make_employee(f"Pegawai {n}", chance.choice(positions)) for n in range(30)]
    for person in people:
        for competency in chance.sample(c, 5):
            for _ in range(chance.randint(1, 2)):
                day = date(2025 + chance.randint(0, 1), chance.randint(1, 12), 1)
                _assess(person, competency, chance.randint(1, 5), day)
    for n in range(15):
        raises = {k: chance.randint(1, 4) for k in chance.sample(c, chance.randint(1, 3))}
        _training(f"Pelatihan {n}", chance.choice((8, 16, 24)), raises)
    db.session.commit()

    compute_recommendations(YEAR, SYSTEM)
    first = _stored()
    expected = _expected([person.id for person in people])
    assert {k: v for k, v in expected.items() if v} == {
        k: v for k, v in first.items() if k in expected
    }
    assert sum(len(v) for v in first.values()) > 30  # the data did give recommendations

    compute_recommendations(YEAR, SYSTEM)
    assert _stored() == first


def test_lowest_predikats_come_first_and_good_years_make_reward_candidates(
    org: Org, planning: Any
) -> None:
    c = _competencies()
    e = org.employees
    db.session.add(
        PositionCompetency(position=org.positions.epid, competency=c["M.04"], required_level=3)
    )
    _training("Orientasi hasil", 16, {c["M.04"]: 2})
    period = planning.period
    make_rating(approved_plan(e.epid1, period, ["Laporan surveilans"]), "kurang")
    make_rating(approved_plan(e.epid2, period, ["Analisis data"]), "sangat_baik")
    make_rating(planning.kasi_plan, "baik")
    db.session.commit()

    run = compute_recommendations(period.year, SYSTEM)

    rows = db.session.scalars(select(Recommendation).where(Recommendation.year == period.year))
    first = {r.employee_id: r.priority for r in rows}
    assert first == {e.epid1.id: True, e.epid2.id: False}
    assert run.priority == 1
    candidates = db.session.scalars(select(RewardCandidate)).all()
    # Sangat Baik counts at once; one Baik year is not two
    assert [(r.employee_id, r.predikat) for r in candidates] == [(e.epid2.id, "sangat_baik")]
    assert run.candidates == 1


def test_only_the_admin_computes_recommendations(org: Org) -> None:
    for user in (org.users.operator, org.users.supervisor, org.users.employee):
        with pytest.raises(AccessDenied):
            compute_recommendations(YEAR, scope_for_user(user))
    compute_recommendations(YEAR, scope_for_user(org.users.admin))


def test_the_nightly_request_asks_once_for_this_years_recommendations(org: Org) -> None:
    first = request_nightly_recommendations(date(2026, 5, 1))
    assert request_nightly_recommendations(date(2026, 5, 1)) == first  # still waiting
    run = db.session.get(JobRun, first)
    assert (run.name, list(run.args), run.requested_by_id) == (
        "compute_recommendations",
        [2026],
        None,
    )
