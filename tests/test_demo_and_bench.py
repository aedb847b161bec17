"""The demo organisation on PostgreSQL — with its closed previous year — and the benchmark
that runs against it."""

from __future__ import annotations

import json
import re
from typing import Any

import prison
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from kinerja.bench import bench_org
from kinerja.demo import DemoReport, load_demo
from kinerja.demo.org import core_position_code
from kinerja.demo.org_data import core_units, growth, logins, ranks
from kinerja.demo.performance_data import activities, plan_texts, report_texts
from kinerja.demo.previous_year_data import goal_variants, year_plan
from kinerja.domain.nip import parse_nip
from kinerja.domain.planning import PeriodStatus, PlanStatus
from kinerja.domain.ratings import Predikat
from kinerja.extensions import BaseModel, db
from kinerja.models.competency import (
    Assessment,
    PositionCompetency,
    Recommendation,
    Training,
    TrainingRecord,
)
from kinerja.models.org import Employee, Position, Unit
from kinerja.models.planning import Period, WorkPlan
from kinerja.models.ratings import DistributionCheck, Rating, UnitRating
from kinerja.models.reports import Evaluation, Report
from kinerja.models.security import KinerjaUser
from kinerja.models.surveys import SurveyResult, UnitSurveyResult
from kinerja.services.plans.history import snapshot
from tests.factories import api_token, login


def _employee_of(username: str) -> Employee:
    user = db.session.scalar(select(KinerjaUser).where(KinerjaUser.username == username))
    return db.session.scalar(select(Employee).where(Employee.user_id == user.id))


def _row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table)) or 0
        for table in BaseModel.metadata.sorted_tables
    }


def _rating_stamps() -> dict[int, Any]:
    return dict(db.session.execute(select(Rating.id, Rating.updated_at)).tuples().all())


def test_demo_is_complete_valid_and_idempotent(app) -> None:
    first = load_demo(employees=300)
    counts, stamps = _row_counts(), _rating_stamps()
    assert (first.units >= 8, first.positions >= 60, first.employees) == (True, True, 300)
    kinds = set(db.session.scalars(select(Unit.kind).distinct()))
    assert len(kinds) >= 5
    assert all(parse_nip(nip) for nip in db.session.scalars(select(Employee.nip)))
    pegawai, atasan = _employee_of("pegawai"), _employee_of("atasan")
    assert pegawai.position.supervisor_id == atasan.position_id
    operator = db.session.scalar(select(KinerjaUser).where(KinerjaUser.username == "operator"))
    assert operator.operator_unit.code == "DINKES"
    second = load_demo(employees=300)
    assert (second.units, second.positions, second.employees) == (
        first.units,
        first.positions,
        first.employees,
    )
    assert _row_counts() == counts  # the previous year included: nothing added again
    assert stamps and _rating_stamps() == stamps  # and no rating rewritten
    heads_without_boss = db.session.scalar(
        select(func.count())
        .select_from(Position)
        .where(Position.supervisor_id.is_(None), Position.is_head.is_(False))
    )
    assert heads_without_boss == 0


def test_the_demo_surveys_are_answered_and_computed(app) -> None:
    load_demo(employees=300)
    results = db.session.scalars(select(SurveyResult)).all()
    assert len(results) == 2 and all(r.responses == 40 and r.ikm for r in results)
    unit = db.session.scalar(select(UnitSurveyResult))
    assert unit.responses == 80 and unit.unit.code == "DINKES"  # the operator's unit


def test_demo_data_files_load_and_agree_with_each_other() -> None:
    units = {unit.code: unit for unit in core_units()}
    positions = [p for u in units.values() for p in (u.head, *u.staff) if p is not None]
    positions += [p for t in growth().templates for p in (t.head, *t.staff)]
    assert all(ranks().code_for(p.grade, pppk) for p in positions for pppk in (False, True))
    assert {t.parent for t in growth().templates} <= set(units)
    for spec in logins():
        assert spec.operator_unit is None or spec.operator_unit in units
        if spec.unit is not None and spec.position is not None:
            assert core_position_code(spec.unit, spec.position)
    assert plan_texts().goals and report_texts().stories and activities()
    assert set(year_plan().breaking_units) <= set(units)
    assert all(variants for variants in goal_variants().values())


def test_bench_prints_figures_and_the_baseline_ratio(app) -> None:
    load_demo(employees=300)
    lines = bench_org(app, repeat=2)
    assert lines[0].startswith("Organisation screens and API: 300 employees")
    timings = [line for line in lines if "HTTP" in line]
    assert len(timings) == 11
    assert all(line.endswith("HTTP 200") for line in timings)
    ratio = re.search(r"(\d+) -> (\d+) SQL statements per page", lines[-1])
    assert int(ratio.group(1)) > 50 > int(ratio.group(2))


def test_the_import_bench_ends_with_its_json_summary(app) -> None:
    result = app.test_cli_runner().invoke(
        args=["kinerja", "bench", "import", "--rows", "300", "--baseline-rows", "200"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    summary = json.loads(lines[-1])
    assert list(summary) == ["bench", "rows", "check_seconds"]
    assert (summary["bench"], summary["rows"]) == ("import", 300)
    assert isinstance(summary["check_seconds"], float) and summary["check_seconds"] >= 0
    assert "34 rows with errors" in result.output  # the failing unit, the 30 below it, a loop
    assert "Baseline at 200 rows" in result.output


# --- the previous year ------------------------------------------------------------------------


def _previous_year() -> Period:
    current = db.session.scalar(select(func.max(Period.year)))
    period = db.session.scalar(select(Period).where(Period.year == current - 1))
    assert period is not None, "the demo has no previous year"
    return period


def test_the_previous_year_is_closed_and_rated_in_every_unit(app) -> None:
    load_demo(employees=300)
    period = _previous_year()
    assert period.status == PeriodStatus.CLOSED
    holders = select(Employee.unit_id).where(
        Employee.active.is_(True), Employee.position_id.is_not(None)
    )
    units_with_people = set(db.session.scalars(holders.distinct()))
    rated = db.session.execute(
        select(Rating.unit_id, Rating.final, Rating.predikat).where(Rating.period_id == period.id)
    ).all()
    assert {unit_id for unit_id, _, _ in rated} == units_with_people
    planners = db.session.scalar(
        select(func.count()).where(
            WorkPlan.period_id == period.id, WorkPlan.status == PlanStatus.APPROVED
        )
    )
    assert (
        0.85
        <= planners / db.session.scalar(select(func.count()).select_from(holders.subquery()))
        <= 0.95
    )
    finals = [grade for _, final, grade in rated if final]
    provisional = [grade for _, final, grade in rated if not final and grade is not None]
    assert len(finals) > 0.7 * len(rated) and provisional
    most = max(Predikat, key=finals.count)
    assert most == Predikat.BAIK  # mostly Baik, some of every other but the worst
    assert {Predikat.SANGAT_BAIK, Predikat.BUTUH_PERBAIKAN, Predikat.KURANG} <= set(finals)


def test_the_previous_year_has_unit_predikat_and_units_breaking_their_curve(app) -> None:
    load_demo(employees=300)
    period = _previous_year()
    checks = db.session.scalars(
        select(DistributionCheck).where(DistributionCheck.period_id == period.id)
    ).all()
    set_for = db.session.scalar(select(func.count()).where(UnitRating.period_id == period.id))
    assert set_for >= 0.7 * len(checks)
    breaking = {
        check.unit.code
        for check in checks
        if not check.assumed and check.employees >= 8 and len(check.warnings) >= 2
    }
    assert set(year_plan().breaking_units) <= breaking
    following = [c for c in checks if c.employees >= 8 and not c.warnings]
    assert len(following) > len(breaking)  # most units of some size follow their curve


def test_the_previous_year_plans_are_approved_versions_with_their_snapshot(app) -> None:
    load_demo(employees=300)
    period = _previous_year()
    pegawai = _employee_of("pegawai")
    plan = db.session.scalar(
        select(WorkPlan).where(WorkPlan.period_id == period.id, WorkPlan.employee_id == pegawai.id)
    )
    (version,) = plan.versions
    assert (version.version, version.snapshot) == (1, snapshot(plan))
    reports = db.session.scalars(select(Report).where(Report.work_plan_id == plan.id)).all()
    assert sorted(r.sub_period.number for r in reports) == [1, 2, 3, 4, 5]  # the quarters, Akhir
    annual = next(r for r in reports if r.sub_period.annual)
    assert annual.evaluation.decided and len(annual.evaluation.ratings) == 7
    assert all(line.value is None for line in annual.realizations)


@pytest.fixture
def demo(app: Flask) -> DemoReport:
    return load_demo(employees=300)


def _listed(client: FlaskClient, username: str, period_id: int) -> set[int]:
    """The employees whose ratings of the period ``username`` lists over the API."""
    headers = api_token(client, username, "kinerja-demo")
    of_period = [{"col": "period", "opr": "rel_o_m", "value": period_id}]
    ids: set[int] = set()
    for page in range(20):
        query = prison.dumps({"filters": of_period, "page_size": 100, "page": page, "count": True})
        body = client.get(f"/api/v1/rating/?q={query}", headers=headers).get_json()
        ids |= {row["employee_id"] for row in body["result"]}
        if len(ids) >= body["count"]:
            return ids
    raise AssertionError("more ratings than the demo has")


def test_each_demo_role_sees_its_own_part_of_the_previous_year(
    client: FlaskClient, demo: DemoReport
) -> None:
    period = _previous_year()
    everyone = _listed(client, "admin", period.id)
    people = {name: _employee_of(name).id for name in ("pegawai", "atasan")}
    mine = _listed(client, "pegawai", period.id)
    team = _listed(client, "atasan", period.id)
    units = _listed(client, "operator", period.id)
    assert mine == {people["pegawai"]}
    assert {people["atasan"], people["pegawai"]} <= team < units < everyone
    assert _listed(client, "integrator", period.id) == everyone
    own = db.session.scalar(
        select(Rating).where(Rating.period_id == period.id, Rating.employee_id == people["pegawai"])
    )
    assert own.final and own.predikat is not None


def test_the_previous_year_gives_the_ratings_screens_warnings_and_calibration(
    client: FlaskClient, demo: DemoReport
) -> None:
    period = _previous_year()
    differing = db.session.scalar(
        select(func.count(func.distinct(Evaluation.evaluator_id))).where(
            Evaluation.decided_at.is_not(None),
            (Evaluation.results != Evaluation.suggested_results)
            | (Evaluation.behaviour != Evaluation.suggested_behaviour),
        )
    )
    assert differing >= 5  # several evaluators' levels differ from the suggestions
    login(client, "admin", "kinerja-demo")
    calibration = client.get(f"/ratings/calibration/?period={period.id}").get_data(as_text=True)
    assert len(re.findall(r'<td class="name">', calibration)) >= 5
    checks = db.session.scalars(
        select(DistributionCheck).where(DistributionCheck.period_id == period.id)
    ).all()
    assert 0 < sum(1 for check in checks if check.warnings) < len(checks)


def test_the_demo_has_standards_assessments_trainings_and_recommendations(app) -> None:
    load_demo(employees=300)
    positions = db.session.scalar(select(func.count()).select_from(Position))
    standardised = db.session.scalar(select(func.count(PositionCompetency.position_id.distinct())))
    assert standardised == positions
    assessed = db.session.scalar(select(func.count(Assessment.employee_id.distinct())))
    assert assessed >= 200
    assert 18 <= db.session.scalar(select(func.count()).select_from(Training)) <= 25
    tallies = db.session.execute(
        select(TrainingRecord.employee_id, func.sum(TrainingRecord.jp)).group_by(
            TrainingRecord.employee_id
        )
    ).all()
    assert any(jp < 20 for _, jp in tallies) and any(jp >= 20 for _, jp in tallies)
    pegawai = _employee_of("pegawai")
    mine = db.session.scalars(
        select(Recommendation).where(Recommendation.employee_id == pegawai.id)
    ).all()
    assert mine and all(r.gap_closed > 0 for r in mine)
