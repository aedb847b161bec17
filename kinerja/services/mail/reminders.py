"""Deadline notices: a reminder before the planning deadline of a period and the
reporting and evaluation deadlines of its sub-periods to those who have not acted, an
overdue notice after it, then escalations while it stays overdue — to the supervisor,
later to the unit's Operator(s). The dates follow :mod:`kinerja.domain.notices`.

Who has not acted: for planning, the active employees with a position and no plan
submitted or in force; for reporting, those with a plan in force and no report submitted
for the sub-period; for evaluation, the direct supervisors of reports still waiting. The
supervisor of an evaluation is escalated to their own supervisor.

Set-based: a query for the deadlines in play and one per deadline and step, whatever the
number of employees; then the holders, the Operators and the addresses once for all.
Idempotent: the key of each notice names the deadline, the step and the stage
(``sub-period 12 reporting before``), so a second run the same day records nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import aliased

from kinerja.domain.errors import N_
from kinerja.domain.notices import DeadlineRules, Stage, Step, deadline_window, due_stages
from kinerja.domain.planning import PeriodStatus, PlanStatus
from kinerja.domain.reporting import ReportStatus
from kinerja.extensions import db
from kinerja.models.mail import EmailKind
from kinerja.models.org import Employee, Position
from kinerja.models.planning import Period, SubPeriod, WorkPlan, WorkPlanVersion
from kinerja.models.reports import Report
from kinerja.services.boundary import use_case
from kinerja.services.mail import compose
from kinerja.services.mail.audience import UnitTree, holders

KINDS = {
    Stage.BEFORE: EmailKind.REMINDER,
    Stage.OVERDUE: EmailKind.OVERDUE,
    Stage.SUPERVISOR: EmailKind.ESCALATION,
    Stage.OPERATOR: EmailKind.ESCALATION,
}
SUBJECTS = {
    (Step.PLANNING, Stage.BEFORE): N_("Reminder: submit your work plan for %(what)s by %(day)s"),
    (Step.PLANNING, Stage.OVERDUE): N_("Overdue: your work plan for %(what)s was due on %(day)s"),
    (Step.REPORTING, Stage.BEFORE): N_(
        "Reminder: submit your performance report for %(what)s by %(day)s"
    ),
    (Step.REPORTING, Stage.OVERDUE): N_(
        "Overdue: your performance report for %(what)s was due on %(day)s"
    ),
    (Step.EVALUATION, Stage.BEFORE): N_("Reminder: evaluate the reports for %(what)s by %(day)s"),
    (Step.EVALUATION, Stage.OVERDUE): N_(
        "Overdue: the evaluations for %(what)s were due on %(day)s"
    ),
}
ESCALATION_SUBJECT = N_("Still overdue after %(day)s: %(count)d people for %(what)s")
LINKS = {
    Step.PLANNING: "/work-plans/list/",
    Step.REPORTING: "/report/mine/",
    Step.EVALUATION: "/evaluation-queue/list/",
}
LISTED = 50
PLANNING = (PeriodStatus.PLANNING, PeriodStatus.RUNNING)


@dataclass(frozen=True)
class Deadline:
    step: Step
    day: date
    what: str  # the period or sub-period, as people name it
    event: str  # the deadline in a key: "sub-period 12 reporting"
    period_id: int
    sub_period_id: int | None = None


@dataclass(frozen=True)
class Laggard:
    """Someone whose step is not done (for evaluation: whose report waits)."""

    employee_id: int
    name: str
    unit_id: int
    supervisor_position_id: int | None
    second_position_id: int | None  # the supervisor's supervisor


@dataclass(frozen=True)
class Notice:
    """One email to send: to an employee (``"e"``) or a login (``"u"``)."""

    target: tuple[str, int]
    deadline: Deadline
    stage: Stage
    people: tuple[str, ...] = ()  # whose step it is, when not the recipient's own


@use_case
def record_deadline_notices(today: date, rules: DeadlineRules) -> list[int]:
    """Record every notice due today; the ids recorded (see the module's docstring)."""
    notices: list[Notice] = []
    tree: UnitTree | None = None
    for deadline in deadlines(today, rules):
        stages = due_stages(deadline.day, today, rules)
        if not stages:
            continue
        found = laggards(deadline)
        if not found:
            continue
        if tree is None and Stage.OPERATOR in stages:
            tree = UnitTree.load()
        for stage in stages:
            notices.extend(_notices(deadline, stage, found, tree))
    return compose.record(_drafts(_resolved(notices)))


def deadlines(today: date, rules: DeadlineRules) -> list[Deadline]:
    """The deadlines of open periods for which some stage may be due today."""
    first, last = deadline_window(today, rules)
    found = [
        Deadline(Step.PLANNING, day, name, f"period {period_id} planning", period_id)
        for period_id, name, day in db.session.execute(
            select(Period.id, Period.name, Period.planning_deadline).where(
                Period.status.in_(PLANNING), Period.planning_deadline.between(first, last)
            )
        )
    ]
    rows = db.session.execute(
        select(SubPeriod, Period.year)
        .join(Period, Period.id == SubPeriod.period_id)
        .where(
            Period.status != PeriodStatus.CLOSED,
            or_(
                SubPeriod.report_deadline.between(first, last),
                SubPeriod.evaluation_deadline.between(first, last),
            ),
        )
        .order_by(SubPeriod.id)
    )
    for sub, year in rows:
        steps = ((Step.REPORTING, sub.report_deadline), (Step.EVALUATION, sub.evaluation_deadline))
        for step, day in steps:
            if first <= day <= last:
                event = f"sub-period {sub.id} {step.value}"
                what = f"{sub.name} {year}"
                found.append(Deadline(step, day, what, event, sub.period_id, sub.id))
    return found


def laggards(deadline: Deadline) -> list[Laggard]:
    """Those whose step of ``deadline`` is not done, with their supervising positions."""
    boss = aliased(Position)
    query = (
        select(
            Employee.id,
            Employee.name,
            Employee.unit_id,
            Position.supervisor_id,
            boss.supervisor_id,
        )
        .outerjoin(Position, Position.id == Employee.position_id)
        .outerjoin(boss, boss.id == Position.supervisor_id)
        .where(Employee.active.is_(True))
        .order_by(Employee.name, Employee.id)
    )
    plans = select(WorkPlan.id).where(
        WorkPlan.employee_id == Employee.id, WorkPlan.period_id == deadline.period_id
    )
    in_force = (WorkPlan.status == PlanStatus.APPROVED) | exists().where(
        WorkPlanVersion.work_plan_id == WorkPlan.id
    )
    if deadline.step is Step.PLANNING:
        acted = plans.where(in_force | (WorkPlan.status == PlanStatus.SUBMITTED)).exists()
        query = query.where(Employee.position_id.is_not(None), ~acted)
    else:
        in_step = (
            select(Report.id)
            .where(
                Report.employee_id == Employee.id,
                Report.sub_period_id == deadline.sub_period_id,
            )
            .where(
                Report.status == ReportStatus.SUBMITTED
                if deadline.step is Step.EVALUATION
                else Report.status.in_((ReportStatus.SUBMITTED, ReportStatus.APPROVED))
            )
            .exists()
        )
        if deadline.step is Step.EVALUATION:
            query = query.where(in_step)
        else:
            query = query.where(plans.where(in_force).exists(), ~in_step)
    return [Laggard(*row) for row in db.session.execute(query)]


def _notices(
    deadline: Deadline, stage: Stage, found: list[Laggard], tree: UnitTree | None
) -> Iterator[Notice]:
    own = deadline.step is not Step.EVALUATION
    if own and stage in (Stage.BEFORE, Stage.OVERDUE):
        for laggard in found:
            yield Notice(("e", laggard.employee_id), deadline, stage)
        return
    groups: dict[tuple[str, int], list[str]] = defaultdict(list)
    for laggard in found:
        for target in _escalated_to(laggard, stage, own, tree):
            groups[target].append(laggard.name)
    for target, names in groups.items():
        yield Notice(target, deadline, stage, tuple(names))


def _escalated_to(
    laggard: Laggard, stage: Stage, own: bool, tree: UnitTree | None
) -> list[tuple[str, int]]:
    if stage is Stage.OPERATOR:
        return [("u", user) for user in (tree.operators_of(laggard.unit_id) if tree else [])]
    to_second = stage is Stage.SUPERVISOR and not own
    position = laggard.second_position_id if to_second else laggard.supervisor_position_id
    return [("p", position)] if position is not None else []


def _resolved(notices: list[Notice]) -> list[tuple[compose.Recipient, Notice]]:
    """Each notice with its recipient(s): a position's holders, an employee, a login."""
    positions = holders(n.target[1] for n in notices if n.target[0] == "p")
    employee_ids = {n.target[1] for n in notices if n.target[0] == "e"}
    employee_ids |= {e for ids in positions.values() for e in ids}
    employees = compose.employee_recipients(employee_ids)
    users = compose.user_recipients(n.target[1] for n in notices if n.target[0] == "u")
    resolved: list[tuple[compose.Recipient, Notice]] = []
    for notice in notices:
        kind, target = notice.target
        if kind == "u":
            found = [users.get(target)]
        elif kind == "e":
            found = [employees.get(target)]
        else:
            found = [employees.get(e) for e in positions.get(target, [])]
        resolved.extend((recipient, notice) for recipient in found if recipient is not None)
    return resolved


def _drafts(resolved: list[tuple[compose.Recipient, Notice]]) -> list[compose.Draft]:
    drafts = []
    for recipient, notice in resolved:
        deadline = notice.deadline
        escalation = notice.stage in (Stage.SUPERVISOR, Stage.OPERATOR)
        context: dict[str, Any] = {
            "step": deadline.step.value,
            "stage": notice.stage.value,
            "what": deadline.what,
            "deadline": deadline.day,
            "people": notice.people,
            "listed": LISTED,
            "optional": True,
            "url": compose.link(LINKS[deadline.step]),
        }
        args: dict[str, Any] = {"what": deadline.what, "day": deadline.day.strftime("%d-%m-%Y")}
        if escalation:
            args["count"] = len(notice.people)
        subject = ESCALATION_SUBJECT if escalation else SUBJECTS[(deadline.step, notice.stage)]
        drafts.append(
            compose.Draft(
                KINDS[notice.stage],
                recipient,
                f"{deadline.event} {notice.stage.value}",
                "reminder",
                subject,
                args,
                context,
            )
        )
    return drafts
