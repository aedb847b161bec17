"""What the reporting screens list: the evaluation queue, one's own plans and their
sub-periods with reports."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from kinerja.domain.reporting import ReportStatus
from kinerja.extensions import db
from kinerja.models.planning import Period, SubPeriod, WorkPlan
from kinerja.models.reports import Report
from kinerja.security.policies import reports
from kinerja.security.policies.scope import Scope
from kinerja.services.reports.reports import may_start


def queue_for(scope: Scope) -> Select[tuple[Report]]:
    """Submitted reports of one's direct subordinates, oldest first."""
    return (
        select(Report)
        .where(Report.status == ReportStatus.SUBMITTED, reports.decide(scope))
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


def reportable_sub_periods(plan: WorkPlan) -> list[tuple[SubPeriod, Report | None, bool]]:
    """The plan's sub-periods with their reports (None where none was started) and whether
    one may be started now."""
    by_sub_period = {
        r.sub_period_id: r
        for r in db.session.scalars(select(Report).where(Report.work_plan_id == plan.id))
    }
    sub_periods = db.session.scalars(
        select(SubPeriod).where(SubPeriod.period_id == plan.period_id).order_by(SubPeriod.number)
    )
    return [
        (s, by_sub_period.get(s.id), s.id not in by_sub_period and may_start(plan, s))
        for s in sub_periods
    ]


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
