"""What the reporting screens list: the evaluation queue, one's own plans and their
sub-periods with reports (the annual report last), and the approved annual evaluations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select

from kinerja.domain.reporting import ReportStatus
from kinerja.extensions import db
from kinerja.models.planning import Period, SubPeriod, WorkPlan
from kinerja.models.reports import Evaluation, Report
from kinerja.security.policies import reports
from kinerja.security.policies.scope import Scope
from kinerja.services.reports.reports import may_start, opens_on


def queue_for(scope: Scope) -> Select[tuple[Report]]:
    """Submitted reports waiting for one's decision (open periods only), oldest first."""
    return (
        select(Report)
        .where(Report.status == ReportStatus.SUBMITTED, reports.queue(scope))
        .order_by(Report.submitted_at)
    )


def queue_count(scope: Scope) -> int:
    if not scope.is_supervisor:
        return 0
    return (
        db.session.scalar(
            select(func.count()).select_from(queue_for(scope).order_by(None).subquery())
        )
        or 0
    )


@dataclass(frozen=True)
class ReportSlot:
    """A sub-period of one's plan: its report (None where none was started), whether one
    may be started now and from which day it may."""

    sub_period: SubPeriod
    report: Report | None
    startable: bool
    opens_on: date


def reportable_sub_periods(plan: WorkPlan) -> list[ReportSlot]:
    """The plan's sub-periods in order, the annual report (*Akhir*) last."""
    by_sub_period = {
        r.sub_period_id: r
        for r in db.session.scalars(select(Report).where(Report.work_plan_id == plan.id))
    }
    sub_periods = db.session.scalars(
        select(SubPeriod).where(SubPeriod.period_id == plan.period_id).order_by(SubPeriod.number)
    )
    return [
        ReportSlot(
            sub_period=s,
            report=by_sub_period.get(s.id),
            startable=s.id not in by_sub_period and may_start(plan, s),
            opens_on=opens_on(s),
        )
        for s in sub_periods
    ]


def annual_evaluations(period_id: int) -> Select[tuple[Evaluation]]:
    """The approved annual evaluations of a period: an employee's period rating is final on
    theirs (the evaluation of the report whose sub-period is ``annual``)."""
    return (
        select(Evaluation)
        .join(Report, Report.id == Evaluation.report_id)
        .join(SubPeriod, SubPeriod.id == Report.sub_period_id)
        .where(
            SubPeriod.period_id == period_id,
            SubPeriod.annual.is_(True),
            Report.status == ReportStatus.APPROVED,
            Evaluation.decided_at.is_not(None),
        )
    )


def own_plans(scope: Scope) -> list[WorkPlan]:
    if scope.employee_id is None:
        return []
    return list(
        db.session.scalars(
            select(WorkPlan)
            .join(Period)
            .where(WorkPlan.employee_id == scope.employee_id)
            .order_by(Period.year.desc())
        )
    )
