"""The supervisor's and the employee's home.

* Supervisor: the evaluation queue with how long each report has waited; the team's
  progress per sub-period (plans approved, reports submitted and evaluated); the team's
  predikat; and the evaluations where the levels given differ from the suggested ones.
  The team is one's direct subordinates (:meth:`ReportPolicy.decide`).
* Employee: their plan's indicators against the target due by each sub-period, their
  predikat over the years, their training hours this year against 20 JP, and the surveys of
  their unit open today.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, or_, select

from kinerja.domain.competency import YEARLY_JP
from kinerja.domain.planning import PlanStatus
from kinerja.domain.ratings import Level, Predikat, accumulate, periodic_target
from kinerja.domain.reporting import ReportStatus
from kinerja.extensions import db
from kinerja.models.competency import TrainingRecord
from kinerja.models.org import Employee
from kinerja.models.planning import Indicator, Objective, Period, SubPeriod, WorkPlan
from kinerja.models.ratings import Rating
from kinerja.models.reports import Evaluation, Realization, Report
from kinerja.models.surveys import Service, Survey
from kinerja.models.trees import direct_subordinate_ids
from kinerja.security.policies import ratings, reports
from kinerja.security.policies.scope import Scope

QUEUE_SHOWN = 20


@dataclass(frozen=True)
class Waiting:
    report_id: int
    employee: str
    sub_period: str
    submitted_at: datetime | None


@dataclass(frozen=True)
class SubPeriodProgress:
    name: str
    plans_approved: int
    submitted: int
    evaluated: int


@dataclass(frozen=True)
class LevelDifference:
    report_id: int
    employee: str
    sub_period: str
    results: Level | None
    suggested_results: Level | None
    behaviour: Level | None
    suggested_behaviour: Level | None


@dataclass(frozen=True)
class SupervisorBoard:
    queue: list[Waiting]
    queue_total: int
    team: int
    progress: list[SubPeriodProgress]
    predikat: dict[str, int]
    differences: list[LevelDifference]


def supervisor_board(scope: Scope, period: Period) -> SupervisorBoard | None:
    if not scope.is_supervisor:
        return None
    assert scope.employee_position_id is not None
    team_ids = direct_subordinate_ids(scope.employee_position_id)
    queue_condition = (Report.status == ReportStatus.SUBMITTED) & reports.queue(scope)
    queue = [
        Waiting(*row)
        for row in db.session.execute(
            select(Report.id, Employee.name, SubPeriod.name, Report.submitted_at)
            .join(Employee, Employee.id == Report.employee_id)
            .join(SubPeriod, SubPeriod.id == Report.sub_period_id)
            .where(queue_condition)
            .order_by(Report.submitted_at, Report.id)
            .limit(QUEUE_SHOWN)
        )
    ]
    queue_total = db.session.scalar(select(func.count()).select_from(Report).where(queue_condition))
    team = db.session.scalar(
        select(func.count()).select_from(Employee).where(Employee.id.in_(team_ids))
    )
    approved = (
        db.session.scalar(
            select(func.count())
            .select_from(WorkPlan)
            .where(
                WorkPlan.period_id == period.id,
                WorkPlan.employee_id.in_(team_ids),
                WorkPlan.status == PlanStatus.APPROVED,
            )
        )
        or 0
    )
    counted = {
        sub_id: (int(submitted), int(evaluated))
        for sub_id, submitted, evaluated in db.session.execute(
            select(
                Report.sub_period_id,
                func.count().filter(
                    Report.status.in_((ReportStatus.SUBMITTED, ReportStatus.APPROVED))
                ),
                func.count().filter(Report.status == ReportStatus.APPROVED),
            )
            .join(SubPeriod, SubPeriod.id == Report.sub_period_id)
            .where(SubPeriod.period_id == period.id, Report.employee_id.in_(team_ids))
            .group_by(Report.sub_period_id)
        )
    }
    progress = [
        SubPeriodProgress(s.name, int(approved), *counted.get(s.id, (0, 0)))
        for s in period.sub_periods
    ]
    tally = Counter(
        {
            value.value: int(count)
            for value, count in db.session.execute(
                select(Rating.predikat, func.count())
                .where(
                    Rating.period_id == period.id,
                    Rating.employee_id.in_(team_ids),
                    Rating.predikat.is_not(None),
                    ratings.read(scope),
                )
                .group_by(Rating.predikat)
            )
        }
    )
    differences = [
        LevelDifference(*row)
        for row in db.session.execute(
            select(
                Report.id,
                Employee.name,
                SubPeriod.name,
                Evaluation.results,
                Evaluation.suggested_results,
                Evaluation.behaviour,
                Evaluation.suggested_behaviour,
            )
            .join(Report, Report.id == Evaluation.report_id)
            .join(Employee, Employee.id == Evaluation.employee_id)
            .join(SubPeriod, SubPeriod.id == Report.sub_period_id)
            .where(
                SubPeriod.period_id == period.id,
                Evaluation.employee_id.in_(team_ids),
                Evaluation.decided_at.is_not(None),
                or_(
                    Evaluation.results.is_distinct_from(Evaluation.suggested_results),
                    Evaluation.behaviour.is_distinct_from(Evaluation.suggested_behaviour),
                ),
            )
            .order_by(SubPeriod.number, Employee.name)
            .limit(QUEUE_SHOWN)
        )
    ]
    return SupervisorBoard(
        queue=queue,
        queue_total=int(queue_total or 0),
        team=int(team or 0),
        progress=progress,
        predikat={p.value: tally.get(p.value, 0) for p in Predikat},
        differences=differences,
    )


@dataclass(frozen=True)
class IndicatorStep:
    sub_period: str
    due: Decimal | None
    realized: Decimal | None


@dataclass(frozen=True)
class IndicatorProgress:
    indicator_id: int
    text: str
    unit: str | None
    target: Decimal | None
    steps: list[IndicatorStep]


@dataclass(frozen=True)
class OpenSurvey:
    name: str
    token: str
    closes_on: date


@dataclass(frozen=True)
class EmployeeBoard:
    plan: WorkPlan | None
    indicators: list[IndicatorProgress]
    predikat_by_year: list[tuple[int, Predikat | None]]
    jp: int
    jp_needed: int
    surveys: list[OpenSurvey]


def employee_board(scope: Scope, period: Period, today: date) -> EmployeeBoard | None:
    """Only one's own rows: everything is keyed by the reader's employee id."""
    if scope.employee_id is None:
        return None
    me = scope.employee_id
    plan = db.session.scalar(
        select(WorkPlan).where(WorkPlan.employee_id == me, WorkPlan.period_id == period.id)
    )
    indicators = _indicator_progress(plan, period) if plan is not None else []
    years = [
        (int(year), value)
        for year, value in db.session.execute(
            select(Period.year, Rating.predikat)
            .join(Period, Period.id == Rating.period_id)
            .where(Rating.employee_id == me)
            .order_by(Period.year)
        )
    ]
    jp = db.session.scalar(
        select(func.coalesce(func.sum(TrainingRecord.jp), 0)).where(
            TrainingRecord.employee_id == me, TrainingRecord.year == today.year
        )
    )
    surveys = []
    if scope.employee_unit_id is not None:
        surveys = [
            OpenSurvey(*row)
            for row in db.session.execute(
                select(Service.name, Survey.token, Survey.closes_on)
                .join(Service, Service.id == Survey.service_id)
                .where(
                    Service.unit_id == scope.employee_unit_id,
                    Survey.closed_at.is_(None),
                    Survey.opens_on <= today,
                    Survey.closes_on >= today,
                )
                .order_by(Survey.closes_on, Service.name)
            )
        ]
    return EmployeeBoard(plan, indicators, years, int(jp or 0), YEARLY_JP, surveys)


def _indicator_progress(plan: WorkPlan, period: Period) -> list[IndicatorProgress]:
    """Per indicator and regular sub-period: the target due by then and the realization
    accumulated up to then (``None`` until something is reported)."""
    regular = [s for s in period.sub_periods if not s.annual]
    values: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for indicator_id, sub_id, value in db.session.execute(
        select(Realization.indicator_id, Report.sub_period_id, Realization.value)
        .join(Report, Report.id == Realization.report_id)
        .where(Report.work_plan_id == plan.id)
    ):
        values[indicator_id][sub_id] = value
    rows = db.session.scalars(
        select(Indicator)
        .join(Objective, Objective.id == Indicator.objective_id)
        .where(Objective.work_plan_id == plan.id)
        .order_by(Objective.order, Objective.id, Indicator.order, Indicator.id)
    )
    result = []
    for indicator in rows:
        steps = []
        for number, sub in enumerate(regular, start=1):
            due = (
                periodic_target(indicator.target, indicator.accumulation, number, len(regular))
                if indicator.target is not None and not indicator.qualitative
                else None
            )
            seen = [values[indicator.id].get(s.id) for s in regular[:number]]
            realized = None if indicator.qualitative else accumulate(seen, indicator.accumulation)
            steps.append(IndicatorStep(sub.name, due, realized))
        result.append(
            IndicatorProgress(indicator.id, indicator.text, indicator.unit, indicator.target, steps)
        )
    return result
