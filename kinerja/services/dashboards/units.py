"""The Admin's and the Operator's home: per unit, for one period and sub-period, the plans
approved, the reports submitted and evaluated against their deadlines and what is overdue;
the predikat distribution against each unit's expected curve and the units that break it;
IKM per unit; the people below the yearly 20 JP; the last job runs.

The units are those the reader manages (:meth:`UnitPolicy.placeable`: all for the Admin,
the Operator's subtree), narrowed to a chosen unit's subtree. Every figure is one grouped
statement; the per-unit table keeps the units with most overdue first and is cut at
``limit`` rows (the totals count them all)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, String, cast, func, select, true

from kinerja.domain.competency import YEARLY_JP
from kinerja.domain.planning import PlanStatus
from kinerja.domain.ratings import Predikat
from kinerja.domain.reporting import ReportStatus
from kinerja.extensions import db
from kinerja.models.competency import TrainingRecord
from kinerja.models.jobs import JobRun, JobStatus
from kinerja.models.org import Employee, Unit
from kinerja.models.planning import Period, SubPeriod, WorkPlan
from kinerja.models.ratings import DistributionCheck
from kinerja.models.reports import Report
from kinerja.models.surveys import UnitSurveyResult
from kinerja.models.trees import unit_subtree_ids
from kinerja.security.policies import distribution_checks, job_runs, units
from kinerja.security.policies.scope import Scope

UNITS_SHOWN = 25
RUNS_SHOWN = 8


@dataclass(frozen=True)
class UnitProgress:
    unit_id: int
    code: str
    name: str
    plans: int
    plans_approved: int
    reports_submitted: int
    reports_evaluated: int
    overdue_reports: int
    overdue_evaluations: int


@dataclass(frozen=True)
class BrokenCurve:
    unit_id: int
    code: str
    name: str
    employees: int
    warnings: list[dict[str, Any]]


@dataclass(frozen=True)
class UnitIkm:
    unit_id: int
    code: str
    name: str
    ikm: Decimal | None
    grade: str | None
    responses: int


@dataclass(frozen=True)
class UnitBoard:
    totals: UnitProgress
    rows: list[UnitProgress]
    units_counted: int
    predikat: dict[str, int]
    checked_units: int
    broken: list[BrokenCurve]
    ikm: list[UnitIkm]
    people: int
    below_jp: int
    runs: list[JobRun]
    failed_runs: int


def unit_condition(scope: Scope, unit: Unit | None) -> Select[tuple[int]] | None:
    """Ids of the units the board covers; ``None`` for every unit (the Admin without a
    unit chosen), so that the counts scan their index without a join to the units."""
    if scope.manages_all and unit is None:
        return None
    condition: ColumnElement[bool] = units.placeable(scope)
    if unit is not None:
        condition = condition & Unit.id.in_(unit_subtree_ids(unit.id))
    return select(Unit.id).where(condition)


def _within(column: Any, covered: Select[tuple[int]] | None) -> ColumnElement[bool]:
    return true() if covered is None else column.in_(covered)


def unit_board(
    scope: Scope,
    period: Period,
    sub_period: SubPeriod | None,
    unit: Unit | None,
    today: date,
    limit: int = UNITS_SHOWN,
) -> UnitBoard:
    covered = unit_condition(scope, unit)
    progress = _progress(period, sub_period, covered, today)
    shown = sorted(
        progress.values(),
        key=lambda r: (-(r.overdue_reports + r.overdue_evaluations), r.code),
    )[:limit]
    named = _names([r.unit_id for r in shown])
    rows = [
        UnitProgress(r.unit_id, *named.get(r.unit_id, ("", "")), *_numbers(r)[3:]) for r in shown
    ]
    predikat, checked, broken = _curve(scope, period, covered, limit)
    people, below = _training(covered, today.year)
    runs = (
        list(
            db.session.scalars(
                select(JobRun)
                .where(job_runs.read(scope))
                .order_by(JobRun.id.desc())
                .limit(RUNS_SHOWN)
            )
        )
        if scope.manages_all
        else []
    )
    failed = (
        (
            db.session.scalar(
                select(func.count())
                .select_from(JobRun)
                .where(job_runs.read(scope), JobRun.status == JobStatus.FAILED)
            )
            or 0
        )
        if scope.manages_all
        else 0
    )
    return UnitBoard(
        totals=_total(progress.values()),
        rows=rows,
        units_counted=len(progress),
        predikat=predikat,
        checked_units=checked,
        broken=broken,
        ikm=_ikm(period, covered, limit),
        people=people,
        below_jp=below,
        runs=runs,
        failed_runs=int(failed),
    )


def _numbers(row: UnitProgress) -> tuple[Any, ...]:
    return (
        row.unit_id,
        row.code,
        row.name,
        row.plans,
        row.plans_approved,
        row.reports_submitted,
        row.reports_evaluated,
        row.overdue_reports,
        row.overdue_evaluations,
    )


def _total(rows: Any) -> UnitProgress:
    sums = [0] * 6
    for row in rows:
        for i, value in enumerate(_numbers(row)[3:]):
            sums[i] += value
    return UnitProgress(0, "", "", *sums)


def _progress(
    period: Period, sub_period: SubPeriod | None, covered: Select[tuple[int]] | None, today: date
) -> dict[int, UnitProgress]:
    """Plans and the sub-period's reports per unit, overdue counted once a deadline passed:
    an approved plan without a submitted report after the report deadline, a submitted
    report not yet evaluated after the evaluation deadline."""
    plans = db.session.execute(
        select(
            WorkPlan.unit_id,
            func.count(),
            func.count().filter(WorkPlan.status == PlanStatus.APPROVED),
        )
        .where(WorkPlan.period_id == period.id, _within(WorkPlan.unit_id, covered))
        .group_by(WorkPlan.unit_id)
    ).all()
    reports: dict[int, tuple[int, int]] = {}
    if sub_period is not None:
        for unit_id, submitted, evaluated in db.session.execute(
            select(
                Report.unit_id,
                func.count().filter(
                    Report.status.in_((ReportStatus.SUBMITTED, ReportStatus.APPROVED))
                ),
                func.count().filter(Report.status == ReportStatus.APPROVED),
            )
            .where(Report.sub_period_id == sub_period.id, _within(Report.unit_id, covered))
            .group_by(Report.unit_id)
        ):
            reports[unit_id] = (int(submitted), int(evaluated))
    late_reports = sub_period is not None and today > sub_period.report_deadline
    late_evaluations = sub_period is not None and today > sub_period.evaluation_deadline
    by_unit = {row[0]: (int(row[1]), int(row[2])) for row in plans}
    result: dict[int, UnitProgress] = {}
    for unit_id in set(by_unit) | set(reports):
        total, approved = by_unit.get(unit_id, (0, 0))
        submitted, evaluated = reports.get(unit_id, (0, 0))
        result[unit_id] = UnitProgress(
            unit_id,
            "",
            "",
            total,
            approved,
            submitted,
            evaluated,
            max(approved - submitted, 0) if late_reports else 0,
            (submitted - evaluated) if late_evaluations else 0,
        )
    return result


def _names(unit_ids: list[int]) -> dict[int, tuple[str, str]]:
    if not unit_ids:
        return {}
    return {
        row.id: (row.code, row.name)
        for row in db.session.execute(
            select(Unit.id, Unit.code, Unit.name).where(Unit.id.in_(unit_ids))
        )
    }


def _curve(
    scope: Scope, period: Period, covered: Select[tuple[int]] | None, limit: int
) -> tuple[dict[str, int], int, list[BrokenCurve]]:
    """The predikat summed over the units' stored checks, and the units whose check warns
    (the ratings job keeps one check per unit and period, so nothing is counted again).
    Summed in SQL: parsing thousands of checks' JSON in Python cost more than the rest."""
    checks = (
        DistributionCheck.period_id == period.id,
        _within(DistributionCheck.unit_id, covered),
        distribution_checks.read(scope),
    )
    sums = db.session.execute(
        select(
            func.count(),
            *[
                func.coalesce(func.sum(DistributionCheck.counts[p.value].as_integer()), 0)
                for p in Predikat
            ],
        ).where(*checks)
    ).one()
    warned = db.session.execute(
        select(DistributionCheck.unit_id, DistributionCheck.employees, DistributionCheck.warnings)
        .where(*checks, cast(DistributionCheck.warnings, String) != "[]")
        .order_by(DistributionCheck.employees.desc(), DistributionCheck.unit_id)
        .limit(limit)
    ).all()
    broken = [
        (unit_id, int(employees), [w for w in warnings or [] if isinstance(w, dict)])
        for unit_id, employees, warnings in warned
    ]
    named = _names([b[0] for b in broken])
    return (
        {p.value: int(total) for p, total in zip(Predikat, sums[1:], strict=True)},
        int(sums[0]),
        [
            BrokenCurve(unit_id, *named.get(unit_id, ("", "")), employees, warnings)
            for unit_id, employees, warnings in broken
            if warnings
        ],
    )


def _ikm(period: Period, covered: Select[tuple[int]] | None, limit: int) -> list[UnitIkm]:
    """The units' IKM in the period, the lowest first (those needing attention)."""
    rows = db.session.execute(
        select(
            Unit.id,
            Unit.code,
            Unit.name,
            UnitSurveyResult.ikm,
            UnitSurveyResult.grade,
            UnitSurveyResult.responses,
        )
        .join(Unit, Unit.id == UnitSurveyResult.unit_id)
        .where(UnitSurveyResult.period_id == period.id, _within(UnitSurveyResult.unit_id, covered))
        .order_by(UnitSurveyResult.ikm.asc().nulls_last(), Unit.code)
        .limit(limit)
    )
    return [UnitIkm(*row) for row in rows]


def _training(covered: Select[tuple[int]] | None, year: int) -> tuple[int, int]:
    """Active people of the units, and how many have fewer than 20 JP this year: those with
    20 or more are counted from the year's training records (a grouped index scan), the
    rest is everyone else."""
    people = (
        db.session.scalar(
            select(func.count())
            .select_from(Employee)
            .where(Employee.active.is_(True), _within(Employee.unit_id, covered))
        )
        or 0
    )
    hours = (
        select(TrainingRecord.employee_id)
        .where(TrainingRecord.year == year)
        .group_by(TrainingRecord.employee_id)
        .having(func.sum(TrainingRecord.jp) >= YEARLY_JP)
        .subquery()
    )
    enough = (
        db.session.scalar(
            select(func.count())
            .select_from(Employee)
            .join(hours, hours.c.employee_id == Employee.id)
            .where(Employee.active.is_(True), _within(Employee.unit_id, covered))
        )
        or 0
    )
    return int(people), int(people) - int(enough)
