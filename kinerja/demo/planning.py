"""The demo's performance planning: the current period and plans in every state.

Dinas Kesehatan's chain — Sekda → Kepala Dinas → Kabid P2P → Kasi Surveilans (``atasan``) →
epidemiologists (``pegawai`` among them) — cascades objective by objective; ``atasan`` has
plans waiting in the queue, one returned and drafts. The texts are in plans.toml.
Idempotent: existing plans stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from kinerja.demo.performance_data import Goal, plan_texts
from kinerja.domain.planning import (
    Cadence,
    PlanStatus,
    default_direction,
)
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.org import Employee, Position, Unit
from kinerja.models.planning import (
    BehaviourExpectation,
    BehaviourValue,
    Indicator,
    Objective,
    Period,
    PlanTemplate,
    TemplateIndicator,
    TemplateObjective,
    WorkPlan,
    WorkPlanEvent,
    WorkPlanVersion,
)
from kinerja.security.policies import SYSTEM
from kinerja.services.plans.history import snapshot
from kinerja.services.plans.periods import advance_period, save_period

# The chain's positions above ``atasan``, and the staff position that gets a template.
SEKDA, KADINKES, KABID_P2P = "SETDA-00", "DINKES-00", "DINKES.P2P-00"
TEMPLATE_POSITION = "Epidemiolog%"


@dataclass(frozen=True)
class DemoPlans:
    """What the demo reports build on."""

    period_id: int
    reporting_staff_ids: list[int]  # pegawai first, then the other staff with an approved plan
    supervisor_id: int


def load_plans(pegawai_id: int, atasan_id: int) -> DemoPlans:
    """Open the current year's period (running) and give the chain its plans."""
    texts = plan_texts()
    goals = texts.goals
    period = _period(date.today().year)
    plans = {
        p.employee_id: p
        for p in db.session.scalars(select(WorkPlan).where(WorkPlan.period_id == period.id))
    }
    holder = _holders()
    atasan = db.session.get(Employee, atasan_id)
    if atasan is None:
        raise LookupError("the demo supervisor is missing")
    top = _ensure(plans, period, holder[SEKDA], goals["sekda"], None, PlanStatus.APPROVED)
    for head in _opd_heads():
        if head.id != holder[KADINKES].id:
            _ensure(plans, period, head, goals["opd_head"], top, PlanStatus.APPROVED)
    dinkes = _ensure(plans, period, holder[KADINKES], goals["kadinkes"], top, PlanStatus.APPROVED)
    p2p = _ensure(plans, period, holder[KABID_P2P], goals["kabid_p2p"], dinkes, PlanStatus.APPROVED)
    seksi = _ensure(plans, period, atasan, goals["kasi_surv"], p2p, PlanStatus.APPROVED)
    staff = db.session.scalars(
        select(Employee)
        .join(Position, Position.id == Employee.position_id)
        .where(Position.supervisor_id == atasan.position_id, Employee.active.is_(True))
        .order_by(Employee.name)
    ).all()
    others = [e for e in staff if e.id != pegawai_id]
    pegawai = db.session.get(Employee, pegawai_id)
    mine = _ensure(plans, period, pegawai, goals["staff_surv"], seksi, PlanStatus.APPROVED)
    if mine is not None and not mine.expectations:
        values = {v.code: v.id for v in db.session.scalars(select(BehaviourValue))}
        mine.expectations = [
            BehaviourExpectation(value_id=values[code], text=text)
            for code, text in texts.expectations.items()
            if code in values
        ]
    for employee, status in zip(others, texts.staff_states, strict=False):
        _ensure(plans, period, employee, goals["staff_surv"], seksi, status)
    _template(atasan, goals["staff_surv"])
    db.session.flush()
    approved_staff = [pegawai_id] + [
        e.id
        for e, status in zip(others, texts.staff_states, strict=False)
        if status == PlanStatus.APPROVED
    ]
    return DemoPlans(period.id, approved_staff, atasan.id)


def _period(year: int) -> Period:
    period = db.session.scalar(select(Period).where(Period.year == year))
    if period is None:  # opened as the Admin would, then moved on to the running stage
        period = Period(
            year=year, name=plan_texts().period_name.format(year=year), cadence=Cadence.QUARTERLY
        )
        save_period(period, SYSTEM)
        advance_period(period, SYSTEM)
    return period


def _holders() -> dict[str, Employee]:
    """Each held position's first holder by id, in one query."""
    rows = db.session.execute(
        select(Position.code, Employee)
        .join(Employee, Employee.position_id == Position.id)
        .order_by(Employee.id)
    ).all()
    first: dict[str, Employee] = {}
    for code, employee in rows:
        first.setdefault(code, employee)
    return first


def _opd_heads() -> list[Employee]:
    return list(
        db.session.scalars(
            select(Employee)
            .join(Position, Position.id == Employee.position_id)
            .join(Unit, Unit.id == Position.unit_id)
            .where(Position.is_head.is_(True), Unit.kind == "opd")
            .order_by(Unit.code)
        )
    )


def _ensure(
    plans: dict[int, WorkPlan],
    period: Period,
    employee: Employee | None,
    goals: tuple[Goal, ...],
    boss: WorkPlan | None,
    status: PlanStatus,
) -> WorkPlan | None:
    """The employee's plan, made in ``status`` with its history if there is none yet."""
    if employee is None:
        return None
    if employee.id in plans:
        return plans[employee.id]
    texts = plan_texts()
    plan = WorkPlan(
        period=period,
        employee=employee,
        position_id=employee.position_id,
        unit_id=employee.unit_id,
        status=status,
        version=1,
    )
    unit_name = employee.unit.name
    parents = list(boss.objectives) if boss is not None else []
    for order, goal in enumerate(goals):
        objective = Objective(
            kind=goal.kind,
            text=goal.text.format(unit=unit_name),
            order=order,
            parent=parents[goal.parent] if goal.parent is not None and parents else None,
            strategic_goal=texts.strategic_goal if boss is None else None,
        )
        objective.indicators = [
            Indicator(
                text=item.text.format(unit=unit_name),
                aspect=item.aspect,
                target=item.target,
                unit=item.unit,
                direction=default_direction(item.aspect),
                accumulation=item.accumulation,
                order=index,
            )
            for index, item in enumerate(goal.indicators)
        ]
        plan.objectives.append(objective)
    db.session.add(plan)
    db.session.flush()
    now = utcnow()
    plan.events.append(WorkPlanEvent(action="created", version=1, on_behalf=False))
    if status != PlanStatus.DRAFT:
        plan.submitted_at = now - timedelta(days=len(plans) % 9 + 1)
        plan.events.append(WorkPlanEvent(action="submitted", version=1, on_behalf=False))
    if status == PlanStatus.RETURNED:
        plan.return_reason = texts.return_reason
        plan.decided_at = now
        plan.events.append(WorkPlanEvent(action="returned", version=1, note=plan.return_reason))
    if status == PlanStatus.APPROVED:
        plan.decided_at = now
        plan.versions.append(WorkPlanVersion(version=1, approved_at=now, snapshot=snapshot(plan)))
        plan.events.append(WorkPlanEvent(action="approved", version=1))
    plans[employee.id] = plan
    return plan


def _template(atasan: Employee, goals: tuple[Goal, ...]) -> None:
    """A template for the epidemiologists of the seksi, ready to be given to new holders."""
    position = db.session.scalar(
        select(Position).where(
            Position.supervisor_id == atasan.position_id, Position.name.like(TEMPLATE_POSITION)
        )
    )
    if position is None or db.session.scalar(
        select(PlanTemplate.id).where(PlanTemplate.position_id == position.id)
    ):
        return
    template = PlanTemplate(
        position=position, name=plan_texts().template_name.format(position=position.name)
    )
    for order, goal in enumerate(goals):
        objective = TemplateObjective(kind=goal.kind, text=goal.text, order=order)
        objective.indicators = [
            TemplateIndicator(
                text=item.text,
                aspect=item.aspect,
                target=item.target,
                unit=item.unit,
                direction=default_direction(item.aspect),
                accumulation=item.accumulation,
                order=index,
            )
            for index, item in enumerate(goal.indicators)
        ]
        template.objectives.append(objective)
    db.session.add(template)
