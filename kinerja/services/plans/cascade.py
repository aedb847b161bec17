"""How plans hang together: the supervisor's plan an objective cascades from, and whether a
plan is complete enough to submit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from kinerja.domain.errors import DomainError
from kinerja.domain.planning import ObjectiveFacts, ObjectiveKind, plan_problems
from kinerja.extensions import db
from kinerja.models.org import Employee, Position
from kinerja.models.planning import Objective, WorkPlan


def supervisor_plan_ids(plan_id: int) -> Select[tuple[int]]:
    """Plans, in the same period, of whoever holds the position supervising the plan's owner."""
    owner = aliased(Employee)
    own_position = aliased(Position)
    boss = aliased(Employee)
    this = aliased(WorkPlan)
    return (
        select(WorkPlan.id)
        .join(boss, boss.id == WorkPlan.employee_id)
        .join(own_position, own_position.supervisor_id == boss.position_id)
        .join(owner, owner.position_id == own_position.id)
        .join(this, (this.employee_id == owner.id) & (this.period_id == WorkPlan.period_id))
        .where(this.id == plan_id, boss.active.is_(True))
    )


def parent_choices(plan_id: int) -> set[int]:
    """Objectives a plan's objectives may cascade from: its supervisor's, same period."""
    return set(
        db.session.scalars(
            select(Objective.id).where(Objective.work_plan_id.in_(supervisor_plan_ids(plan_id)))
        )
    )


def cascaded_children(objective_ids: Any) -> int:
    """How many objectives of other plans cascade from the given ones."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Objective)
            .where(Objective.parent_id.in_(objective_ids))
        )
        or 0
    )


def has_supervisor(plan: WorkPlan) -> bool:
    position = plan.employee.position
    return position is not None and position.supervisor_id is not None


def completeness_problems(plan: WorkPlan) -> list[DomainError]:
    """What stops a plan from being submitted (empty when it can go)."""
    return plan_problems(
        (
            ObjectiveFacts(
                text=str(o),
                main=o.kind == ObjectiveKind.MAIN,
                indicators=len(o.indicators),
                cascades=o.parent_id is not None,
            )
            for o in plan.objectives
        ),
        has_supervisor(plan),
    )


@dataclass
class SupervisorPlanInfo:
    supervisor: Employee | None
    plan: WorkPlan | None

    @property
    def approved(self) -> bool:
        return self.plan is not None and self.plan.in_force


def supervisor_plan(plan: WorkPlan) -> SupervisorPlanInfo:
    """Whether the direct supervisor has a plan (and an approved one) for the same period."""
    boss_plan = db.session.scalar(
        select(WorkPlan).where(WorkPlan.id.in_(supervisor_plan_ids(plan.id))).limit(1)
    )
    return SupervisorPlanInfo(supervisor=plan.employee.supervisor, plan=boss_plan)
