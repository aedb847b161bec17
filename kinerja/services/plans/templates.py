"""Use cases of position templates: objectives and indicators prepared once for every holder
of a position, saved from a plan or written directly, and handed out to the holders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from kinerja.domain.errors import N_, AccessDenied, ConflictError, DomainError, FieldErrors
from kinerja.domain.planning import ObjectiveKind, PlanStatus
from kinerja.extensions import db
from kinerja.models.org import Employee, Position
from kinerja.models.planning import (
    Period,
    PlanTemplate,
    TemplateIndicator,
    TemplateObjective,
    WorkPlan,
)
from kinerja.security.policies import (
    employees,
    is_within,
    plans,
    positions,
    template_indicators,
    template_objectives,
    templates,
)
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import use_case
from kinerja.services.plans.content import check_indicator_fields
from kinerja.services.plans.history import record, record_on_behalf
from kinerja.services.plans.lifecycle import copy_objectives, indicator_values, new_plan
from kinerja.services.validation import NOT_FOUND, Errors, require


@use_case
def save_template_from_plan(plan: WorkPlan, name: str, scope: Scope) -> PlanTemplate:
    """Keep a plan's objectives and indicators as a template of the owner's position."""
    plans.check_read(scope, plan)
    if not plans.may_save_as_template(scope, plan):
        raise AccessDenied()
    if plan.position_id is None:
        raise ConflictError(N_("The plan's owner has no position to attach a template to."))
    position_name = plan.position.name if plan.position else ""
    template = PlanTemplate(
        position_id=plan.position_id, name=(name or "").strip() or f"Templat {position_name}"
    )
    for objective in plan.objectives:
        copy = TemplateObjective(kind=objective.kind, text=objective.text, order=objective.order)
        copy.indicators = [TemplateIndicator(**indicator_values(i)) for i in objective.indicators]
        template.objectives.append(copy)
    db.session.add(template)
    db.session.flush()
    return template


@dataclass
class Assignment:
    created: list[str] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)
    skipped: list[tuple[str, DomainError]] = field(default_factory=list)


@use_case
def assign_template(template: PlanTemplate, period: Period | None, scope: Scope) -> Assignment:
    """Give the template's content to every active holder of its position (within reach):
    a new plan, or an empty draft filled; plans with content are left alone."""
    templates.check_manage(scope, template)
    if period is None or period.closed:
        raise ConflictError(N_("There is no open period to plan in."))
    result = Assignment()
    holders = db.session.scalars(
        select(Employee)
        .where(
            Employee.position_id == template.position_id,
            Employee.active.is_(True),
            employees.manage(scope),
        )
        .order_by(Employee.name)
    ).all()
    existing = {
        p.employee_id: p
        for p in db.session.scalars(
            select(WorkPlan).where(
                WorkPlan.period_id == period.id, WorkPlan.employee_id.in_([h.id for h in holders])
            )
        )
    }
    for holder in holders:
        plan = existing.get(holder.id)
        if plan is None:
            plan = new_plan(holder, period)
            copy_objectives(template.objectives, plan)
            record(plan, "created", scope, note="template")
            result.created.append(holder.name)
        elif plan.objectives:
            result.skipped.append((holder.name, DomainError(N_("already has objectives"))))
        elif not PlanStatus(plan.status).editable:
            result.skipped.append((holder.name, DomainError(N_("the plan is locked"))))
        else:
            copy_objectives(template.objectives, plan)
            record_on_behalf(plan, scope, N_("template assigned"))
            result.filled.append(holder.name)
    return result


@use_case
def save_template(template: PlanTemplate, scope: Scope) -> None:
    if template.id is not None:
        templates.check_manage(scope, template)
    errors = Errors()
    with db.session.no_autoflush:
        if require(errors, "name", template.name):
            template.name = template.name.strip()
        position_id = template.position.id if template.position else template.position_id
        if require(errors, "position", position_id) and not is_within(
            positions.manage(scope), Position, position_id
        ):
            errors.add("position", NOT_FOUND)
    errors.raise_if_any()
    db.session.add(template)


@use_case
def save_template_objective(objective: TemplateObjective, scope: Scope) -> None:
    errors = Errors()
    with db.session.no_autoflush:
        template_id = objective.template.id if objective.template else objective.template_id
        if templates.manageable(scope, template_id) is None:
            raise FieldErrors.single("template", NOT_FOUND)
        if require(errors, "text", objective.text):
            objective.text = objective.text.strip()
        objective.kind = objective.kind or ObjectiveKind.MAIN
    errors.raise_if_any()
    db.session.add(objective)


@use_case
def save_template_indicator(indicator: TemplateIndicator, scope: Scope) -> None:
    errors = Errors()
    with db.session.no_autoflush:
        objective_id = indicator.objective.id if indicator.objective else indicator.objective_id
        if template_objectives.manageable(scope, objective_id) is None:
            raise FieldErrors.single("objective", NOT_FOUND)
        check_indicator_fields(errors, indicator)
    errors.raise_if_any()
    db.session.add(indicator)


@use_case
def delete_template(template: PlanTemplate, scope: Scope) -> None:
    """Plans made from a template keep their own copies: it goes without further checks."""
    templates.check_manage(scope, template)
    db.session.delete(template)


@use_case
def delete_template_objective(objective: TemplateObjective, scope: Scope) -> None:
    template_objectives.check_manage(scope, objective)
    db.session.delete(objective)


@use_case
def delete_template_indicator(indicator: TemplateIndicator, scope: Scope) -> None:
    template_indicators.check_manage(scope, indicator)
    db.session.delete(indicator)


def position_templates(position_id: int | None) -> list[PlanTemplate]:
    if position_id is None:
        return []
    return list(
        db.session.scalars(
            select(PlanTemplate)
            .where(PlanTemplate.position_id == position_id)
            .order_by(PlanTemplate.name)
        )
    )


def holders_count(position: Position) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Employee)
            .where(Employee.position_id == position.id, Employee.active.is_(True))
        )
        or 0
    )


def templates_within(scope: Scope) -> Any:
    """Templates one keeps (for choosing one to assign)."""
    return select(PlanTemplate).where(templates.manage(scope)).order_by(PlanTemplate.name)
