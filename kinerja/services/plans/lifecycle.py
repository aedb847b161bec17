"""Use cases that start and end a work plan: a new SKP (blank, last year's copy or a
position template) and throwing away one that was never approved."""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import select

from kinerja.domain.errors import N_, ConflictError, FieldErrors
from kinerja.domain.planning import PlanStatus
from kinerja.extensions import db
from kinerja.models.org import Employee
from kinerja.models.planning import Indicator, Objective, Period, PlanTemplate, WorkPlan
from kinerja.security.policies import is_within, plans
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import use_case
from kinerja.services.plans.cascade import cascaded_children
from kinerja.services.plans.history import record
from kinerja.services.plans.periods import check_open
from kinerja.services.validation import NOT_FOUND, Errors

Source = Literal["blank", "previous", "template"]


@use_case
def create_plan(
    employee_id: int | None,
    period_id: int | None,
    scope: Scope,
    source: Source = "blank",
    template_id: int | None = None,
) -> WorkPlan:
    """Start an employee's SKP for a period: blank, from last year's plan, or from a template
    of the employee's position."""
    employee = db.session.get(Employee, employee_id) if employee_id else None
    period = db.session.get(Period, period_id) if period_id else None
    template = db.session.get(PlanTemplate, template_id) if template_id else None
    errors = Errors()
    if employee is None:
        errors.add("employee", N_("This field is required."))
    elif not is_within(plans.owners(scope), Employee, employee.id):
        errors.add("employee", NOT_FOUND)
    if period is None:
        errors.add("period", N_("This field is required."))
    elif period.closed:
        errors.add("period", N_("The period %(period)s is closed."), period=period.name)
    elif employee is not None and db.session.scalar(
        select(WorkPlan.id).where(
            WorkPlan.period_id == period.id, WorkPlan.employee_id == employee.id
        )
    ):
        errors.add(
            "period",
            N_("%(name)s already has a work plan for %(period)s."),
            name=employee.name,
            period=period.name,
        )
    if source == "template" and (
        template is None or employee is None or template.position_id != employee.position_id
    ):
        errors.add("template", N_("Choose a template of the employee's position."))
    errors.raise_if_any()
    assert employee is not None and period is not None
    plan = new_plan(employee, period)
    if source == "previous":
        previous = db.session.scalar(
            select(WorkPlan)
            .join(Period)
            .where(WorkPlan.employee_id == employee.id, Period.year == period.year - 1)
        )
        if previous is None:
            raise FieldErrors.single("source", N_("There is no plan of last year to copy."))
        copy_objectives(previous.objectives, plan)
    elif source == "template" and template is not None:
        copy_objectives(template.objectives, plan)
    db.session.flush()
    record(plan, "created", scope, note=source if source != "blank" else None)
    return plan


def new_plan(employee: Employee, period: Period) -> WorkPlan:
    """An empty draft for the employee, in their current position and unit."""
    plan = WorkPlan(
        period=period,
        employee=employee,
        position_id=employee.position_id,
        unit_id=employee.unit_id,
        status=PlanStatus.DRAFT,
        version=1,
    )
    db.session.add(plan)
    return plan


def copy_objectives(objectives: list[Any], plan: WorkPlan) -> None:
    """Copy objectives and their indicators (of a plan or a template) into ``plan``; the
    cascade links are left for the owner to choose again in the new period."""
    for source in objectives:
        objective = Objective(
            kind=source.kind,
            text=source.text,
            order=source.order,
            strategic_goal=getattr(source, "strategic_goal", None),
        )
        objective.indicators = [Indicator(**indicator_values(i)) for i in source.indicators]
        plan.objectives.append(objective)


def indicator_values(source: Any) -> dict[str, Any]:
    """What a copy of an indicator (of a plan or a template) carries over."""
    fields = (
        "text",
        "aspect",
        "qualitative",
        "target",
        "unit",
        "direction",
        "accumulation",
        "order",
    )
    return {name: getattr(source, name) for name in fields}


@use_case
def delete_plan(plan: WorkPlan, scope: Scope) -> None:
    """A plan that was never approved can be thrown away by whoever may write it."""
    plans.check_manage(scope, plan)
    check_open(plan.period)
    if plan.versions or plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise ConflictError(N_("An approved or submitted plan cannot be deleted."))
    cascaded = cascaded_children(select(Objective.id).where(Objective.work_plan_id == plan.id))
    if cascaded:
        raise ConflictError(
            N_("%(count)d objectives of subordinates cascade from this plan."), count=cascaded
        )
    db.session.delete(plan)
