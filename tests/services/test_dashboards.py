"""The home pages' figures equal those counted independently here, row by row in Python,
and each reader's figures stay within their reach."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import select

from kinerja.domain.planning import PlanStatus
from kinerja.domain.reporting import ReportStatus
from kinerja.extensions import db
from kinerja.models.competency import TrainingRecord
from kinerja.models.org import Employee, Unit
from kinerja.models.planning import WorkPlan
from kinerja.models.reports import Report
from kinerja.models.trees import unit_subtree_ids
from kinerja.security.policies import SYSTEM, scope_for_user
from kinerja.services.dashboards import (
    board_filter,
    employee_board,
    supervisor_board,
    unit_board,
)
from tests.factories import Org, Planning, build_records, make_check, make_rating


def _expected_progress(sub_period, unit_ids: set[int], today: date) -> dict[int, tuple]:
    plans = [p for p in db.session.scalars(select(WorkPlan)) if p.unit_id in unit_ids]
    reports = [
        r
        for r in db.session.scalars(select(Report))
        if r.unit_id in unit_ids and r.sub_period_id == sub_period.id
    ]
    result = {}
    for unit_id in {p.unit_id for p in plans} | {r.unit_id for r in reports}:
        mine = [p for p in plans if p.unit_id == unit_id]
        approved = sum(p.status == PlanStatus.APPROVED for p in mine)
        theirs = [r for r in reports if r.unit_id == unit_id]
        submitted = sum(r.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED) for r in theirs)
        evaluated = sum(r.status == ReportStatus.APPROVED for r in theirs)
        late = today > sub_period.report_deadline
        late_eval = today > sub_period.evaluation_deadline
        result[unit_id] = (
            len(mine),
            approved,
            submitted,
            evaluated,
            max(approved - submitted, 0) if late else 0,
            submitted - evaluated if late_eval else 0,
        )
    return result


def _figures(board) -> dict[int, tuple]:
    return {
        r.unit_id: (
            r.plans,
            r.plans_approved,
            r.reports_submitted,
            r.reports_evaluated,
            r.overdue_reports,
            r.overdue_evaluations,
        )
        for r in board.rows
    }


def test_admin_unit_figures_equal_an_independent_count(
    org: Org, planning: Planning, reporting
) -> None:
    build_records(org, planning, reporting)
    q1 = planning.period.sub_periods[0]
    all_units = set(db.session.scalars(select(Unit.id)))
    for today in (q1.starts_on, q1.evaluation_deadline + timedelta(days=1)):
        board = unit_board(SYSTEM, planning.period, q1, None, today, limit=100)
        expected = _expected_progress(q1, all_units, today)
        assert _figures(board) == expected
        assert board.units_counted == len(expected)
        assert board.totals.plans == sum(v[0] for v in expected.values())
    late = unit_board(SYSTEM, planning.period, q1, None, q1.evaluation_deadline + timedelta(1))
    assert late.totals.overdue_reports + late.totals.overdue_evaluations > 0


def test_operator_figures_cover_only_their_units(org: Org, planning: Planning, reporting) -> None:
    build_records(org, planning, reporting)
    q1 = planning.period.sub_periods[0]
    operator = scope_for_user(org.users.operator)
    today = q1.evaluation_deadline + timedelta(days=1)
    board = unit_board(operator, planning.period, q1, None, today, limit=100)
    dinkes = set(db.session.scalars(unit_subtree_ids(org.units.dinkes.id)))
    assert _figures(board) == _expected_progress(q1, dinkes, today)
    assert org.units.dishub.id not in _figures(board)
    assert board.runs == [] and board.failed_runs == 0


def test_the_predikat_curve_counts_the_checks_and_names_the_units_breaking_it(
    org: Org, planning: Planning
) -> None:
    make_check(org.units.surv, planning.period, {"baik": 8, "sangat_baik": 2}, "baik")
    make_check(org.units.yankes, planning.period, {"baik": 6, "butuh_perbaikan": 4}, "baik")
    make_check(org.units.dishub, planning.period, {"sangat_baik": 9, "baik": 1}, "baik")
    db.session.commit()
    board = unit_board(SYSTEM, planning.period, None, None, date.today())
    assert board.predikat["baik"] == 15 and board.predikat["sangat_baik"] == 11
    assert board.predikat["butuh_perbaikan"] == 4 and board.checked_units == 3
    assert {b.unit_id for b in board.broken} == {org.units.surv.id, org.units.dishub.id}
    operator = unit_board(
        scope_for_user(org.users.operator), planning.period, None, None, date.today()
    )
    assert operator.predikat["sangat_baik"] == 2
    assert {b.unit_id for b in operator.broken} == {org.units.surv.id}


def test_people_below_20_jp_counted_from_the_years_records(org: Org) -> None:
    year = date.today().year
    staff = org.employees
    for employee, jp, in_year in (
        (staff.epid1, 24, year),
        (staff.epid2, 12, year),
        (staff.perawat, 30, year - 1),
        (staff.kasi_surv, 10, year),
        (staff.kasi_surv, 10, year),
    ):
        db.session.add(
            TrainingRecord(
                employee_id=employee.id,
                title="Pelatihan",
                mode="classical",
                jp=jp,
                completed_on=date(in_year, 3, 1),
                year=in_year,
            )
        )
    db.session.commit()
    from kinerja.models.planning import Period
    from kinerja.services.plans.periods import save_period

    period = Period(year=year, cadence="quarterly")
    save_period(period, SYSTEM)
    db.session.commit()
    board = unit_board(SYSTEM, period, None, None, date.today())
    active = [e for e in db.session.scalars(select(Employee)) if e.active]
    enough = {staff.epid1.id, staff.kasi_surv.id}
    assert board.people == len(active)
    assert board.below_jp == len([e for e in active if e.id not in enough])


def test_supervisor_board_is_the_direct_team(org: Org, planning: Planning, reporting) -> None:
    records = build_records(org, planning, reporting)
    make_rating(records.plans.epid1, "sangat_baik")
    make_rating(records.plans.epid2, "baik")
    make_rating(records.plans.penguji, "kurang")
    db.session.commit()
    kasi = scope_for_user(planning.kasi)
    board = supervisor_board(kasi, planning.period)
    assert board is not None
    assert board.team == 2
    assert [w.report_id for w in board.queue] == [records.reports.epid1_q2.id]
    assert board.queue_total == 1
    by_name = {p.name: p for p in board.progress}
    q1, q2 = planning.period.sub_periods[:2]
    assert (by_name[q1.name].submitted, by_name[q1.name].evaluated) == (1, 1)
    assert (by_name[q2.name].submitted, by_name[q2.name].evaluated) == (1, 0)
    assert by_name[q1.name].plans_approved == 2
    assert board.predikat == Counter(sangat_baik=1, baik=1) | {
        "butuh_perbaikan": 0,
        "kurang": 0,
        "sangat_kurang": 0,
    }
    assert supervisor_board(scope_for_user(org.users.employee), planning.period) is None


def test_employee_board_shows_the_due_target_and_the_realized(
    org: Org, planning: Planning, reporting
) -> None:
    from tests.factories import submitted_report

    submitted_report(reporting, (3, 3))
    db.session.commit()
    me = scope_for_user(org.users.employee)
    board = employee_board(me, planning.period, date.today())
    assert board is not None and board.plan.id == reporting.plan.id
    assert len(board.indicators) == 2
    for indicator in board.indicators:
        first = indicator.steps[0]
        assert first.realized == 3
        assert first.due == indicator.target / 4 or first.due == indicator.target
        assert indicator.steps[1].realized == 3 or indicator.steps[1].realized is None
    other = employee_board(scope_for_user(org.users.other), planning.period, date.today())
    assert other is not None and other.plan is None and other.indicators == []


def test_bad_filter_values_give_messages_and_defaults(org: Org, planning: Planning) -> None:
    operator = scope_for_user(org.users.operator)
    chosen = board_filter(
        operator,
        {"period": "abc", "sub_period": "99999", "unit": str(org.units.dishub.id)},
        date.today(),
    )
    assert set(chosen.errors) == {"period", "sub_period", "unit"}
    assert chosen.period is not None and chosen.period.id == planning.period.id
    assert chosen.unit is None
    fine = board_filter(operator, {"unit": str(org.units.p2p.id)}, date.today())
    assert fine.errors == {} and fine.unit is not None and fine.unit.id == org.units.p2p.id
