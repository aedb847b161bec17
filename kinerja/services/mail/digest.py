"""The supervisors' weekly digest: the evaluations waiting for them and how long the oldest
has waited, the plans waiting for their approval, and the direct subordinates who have not
reported for the current sub-period. Sent on the configured weekday, once per ISO week
(the week is in the key), to those who have something in it; declinable in the profile.

Set-based: one query per part for the whole organisation, grouped by the supervising
position, then its holders and their addresses — the same few statements for ten
employees or ten thousand.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import exists, func, select

from kinerja.domain.errors import N_
from kinerja.domain.notices import digest_due, iso_week
from kinerja.domain.planning import PeriodStatus, PlanStatus
from kinerja.domain.reporting import ReportStatus
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.mail import EmailKind
from kinerja.models.org import Employee, Position
from kinerja.models.planning import Period, SubPeriod, WorkPlan, WorkPlanVersion
from kinerja.models.reports import Report
from kinerja.services.boundary import use_case
from kinerja.services.mail import compose
from kinerja.services.mail.audience import holders

SUBJECT = N_("Your weekly summary (%(week)s)")
REPORTING = (PeriodStatus.RUNNING, PeriodStatus.EVALUATION)
LISTED = 30


@dataclass
class Waiting:
    count: int = 0
    oldest: datetime | None = None

    def add(self, count: int, oldest: datetime | None) -> None:
        self.count += count
        if oldest is not None and (self.oldest is None or oldest < self.oldest):
            self.oldest = oldest

    def days(self, now: datetime) -> int:
        return (now - self.oldest).days if self.oldest is not None else 0


@dataclass
class Digest:
    """One supervisor's week."""

    evaluations: Waiting = field(default_factory=Waiting)
    plans: Waiting = field(default_factory=Waiting)
    not_reported: list[tuple[str, str]] = field(default_factory=list)  # (name, sub-period)

    @property
    def empty(self) -> bool:
        return not (self.evaluations.count or self.plans.count or self.not_reported)


@use_case
def record_digests(today: date, weekday: int) -> list[int]:
    """Record this week's digest of every supervisor with something in it, on the digest's
    weekday (any other day: nothing); the ids recorded."""
    if not digest_due(today, weekday):
        return []
    by_position: dict[int, Digest] = defaultdict(Digest)
    for position_id, count, oldest in _waiting(Report, ReportStatus.SUBMITTED, Report.sub_period):
        by_position[position_id].evaluations.add(count, oldest)
    for position_id, count, oldest in _waiting(WorkPlan, PlanStatus.SUBMITTED, WorkPlan.period):
        by_position[position_id].plans.add(count, oldest)
    for position_id, name, sub_period in _not_reported(today):
        by_position[position_id].not_reported.append((name, sub_period))
    by_employee: dict[int, Digest] = {}
    for position_id, employee_ids in holders(by_position).items():
        for employee_id in employee_ids:
            by_employee.setdefault(employee_id, by_position[position_id])
    recipients = compose.employee_recipients(by_employee)
    week, now = iso_week(today), utcnow()
    drafts = [
        compose.Draft(
            EmailKind.DIGEST,
            recipient,
            f"week {week}",
            "digest",
            SUBJECT,
            {"week": week},
            {
                "digest": digest,
                "evaluation_days": digest.evaluations.days(now),
                "plan_days": digest.plans.days(now),
                "listed": LISTED,
                "optional": True,
                "evaluations_url": compose.link("/evaluation-queue/list/"),
                "plans_url": compose.link("/plans/queue/"),
            },
        )
        for employee_id, recipient in recipients.items()
        if not (digest := by_employee[employee_id]).empty
    ]
    return compose.record(drafts)


def _waiting(model: Any, status: Any, through: Any) -> list[Any]:
    """Per supervising position: the rows of ``model`` (reports or plans) of its direct
    subordinates waiting in ``status`` in a period not closed, and the oldest's time."""
    query = (
        select(Position.supervisor_id, func.count(model.id), func.min(model.submitted_at))
        .join(Employee, Employee.id == model.employee_id)
        .join(Position, Position.id == Employee.position_id)
        .where(model.status == status, Position.supervisor_id.is_not(None))
        .group_by(Position.supervisor_id)
    )
    if model is Report:
        query = query.join(SubPeriod, SubPeriod.id == Report.sub_period_id).join(
            Period, Period.id == SubPeriod.period_id
        )
    else:
        query = query.join(Period, Period.id == WorkPlan.period_id)
    return list(db.session.execute(query.where(Period.status != PeriodStatus.CLOSED)))


def current_sub_periods(today: date) -> list[int]:
    """The sub-period being reported in each running period or period in evaluation: the
    one started whose report deadline comes first and has not passed."""
    rows = db.session.execute(
        select(SubPeriod.id, SubPeriod.period_id)
        .join(Period, Period.id == SubPeriod.period_id)
        .where(
            Period.status.in_(REPORTING),
            SubPeriod.starts_on <= today,
            SubPeriod.report_deadline >= today,
        )
        .order_by(SubPeriod.period_id, SubPeriod.report_deadline, SubPeriod.number)
    )
    first: dict[int, int] = {}
    for sub_period_id, period_id in rows:
        first.setdefault(period_id, sub_period_id)
    return list(first.values())


def _not_reported(today: date) -> list[Any]:
    """Per supervising position: the active direct subordinates with a plan in force who
    have not submitted their report for the current sub-period."""
    sub_periods = current_sub_periods(today)
    if not sub_periods:
        return []
    in_force = (WorkPlan.status == PlanStatus.APPROVED) | exists().where(
        WorkPlanVersion.work_plan_id == WorkPlan.id
    )
    reported = exists().where(
        Report.work_plan_id == WorkPlan.id,
        Report.sub_period_id == SubPeriod.id,
        Report.status.in_((ReportStatus.SUBMITTED, ReportStatus.APPROVED)),
    )
    query = (
        select(Position.supervisor_id, Employee.name, SubPeriod.name)
        .select_from(WorkPlan)
        .join(SubPeriod, SubPeriod.period_id == WorkPlan.period_id)
        .join(Employee, Employee.id == WorkPlan.employee_id)
        .join(Position, Position.id == Employee.position_id)
        .where(
            SubPeriod.id.in_(sub_periods),
            Employee.active.is_(True),
            Position.supervisor_id.is_not(None),
            in_force,
            ~reported,
        )
        .order_by(Employee.name, Employee.id)
    )
    return list(db.session.execute(query))
