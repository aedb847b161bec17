"""Use cases of a plan's content: objectives (RHK) and their indicators (IKI), written
while the owner holds the plan; content entered by someone else is recorded on-behalf."""

from __future__ import annotations

from sqlalchemy import Select, exists, select

from kinerja.domain.errors import N_, ConflictError, FieldErrors
from kinerja.domain.planning import (
    ObjectiveKind,
    PlanStatus,
    default_accumulation,
    default_direction,
    target_problem,
)
from kinerja.extensions import db
from kinerja.models.planning import Indicator, Objective, TemplateIndicator, WorkPlan
from kinerja.models.reports import Realization
from kinerja.security.policies import plans
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import use_case
from kinerja.services.plans.cascade import cascaded_children, parent_choices
from kinerja.services.plans.history import record_on_behalf
from kinerja.services.plans.periods import check_open
from kinerja.services.validation import NOT_FOUND, Errors, require


def ensure_editable(plan: WorkPlan) -> None:
    """Content changes only while the owner holds the plan, in a period that is not closed."""
    check_open(plan.period)
    if not PlanStatus(plan.status).editable:
        raise ConflictError(
            N_("The plan is “%(status)s”: it is locked. Open a revision to change it."),
            status=PlanStatus(plan.status),
        )


def _writable_plan(plan_id: int | None, scope: Scope, field: str) -> WorkPlan:
    """The plan content is written into: within reach (else a field error) and editable."""
    plan = plans.manageable(scope, plan_id)
    if plan is None:
        raise FieldErrors.single(field, NOT_FOUND)
    ensure_editable(plan)
    return plan


def validate_objective(objective: Objective, scope: Scope) -> None:
    errors = Errors()
    with db.session.no_autoflush:
        plan_id = objective.work_plan.id if objective.work_plan else objective.work_plan_id
        plan = _writable_plan(plan_id, scope, "work_plan")
        if require(errors, "text", objective.text):
            objective.text = objective.text.strip()
        objective.kind = objective.kind or ObjectiveKind.MAIN
        parent_id = objective.parent.id if objective.parent is not None else objective.parent_id
        if parent_id is not None and parent_id not in parent_choices(plan.id):
            errors.add(
                "parent", N_("Choose one of your direct supervisor's objectives for this period.")
            )
    errors.raise_if_any()


@use_case
def save_objective(objective: Objective, scope: Scope) -> None:
    validate_objective(objective, scope)
    db.session.add(objective)
    db.session.flush()
    record_on_behalf(objective.work_plan, scope, N_("objective saved"))


@use_case
def delete_objective(objective: Objective, scope: Scope) -> None:
    plan = objective.work_plan
    plans.check_manage(scope, plan)
    ensure_editable(plan)
    cascaded = cascaded_children(select(Objective.id).where(Objective.id == objective.id))
    if cascaded:
        raise ConflictError(
            N_(
                "%(count)d objectives of subordinates cascade from this one; "
                "they must be changed first."
            ),
            count=cascaded,
        )
    _refuse_if_reported(select(Indicator.id).where(Indicator.objective_id == objective.id))
    db.session.delete(objective)
    db.session.flush()
    record_on_behalf(plan, scope, N_("objective deleted"))


def validate_indicator(indicator: Indicator, scope: Scope) -> None:
    errors = Errors()
    with db.session.no_autoflush:
        objective = indicator.objective or (
            db.session.get(Objective, indicator.objective_id) if indicator.objective_id else None
        )
        _writable_plan(objective.work_plan_id if objective else None, scope, "objective")
        check_indicator_fields(errors, indicator)
    errors.raise_if_any()


def check_indicator_fields(errors: Errors, indicator: Indicator | TemplateIndicator) -> None:
    """Text and aspect; a measurable indicator also its unit and a target above zero, a
    qualitative one neither (the supervisor gives its level). The direction and the
    accumulation follow the aspect unless chosen (time and cost: less is better)."""
    if require(errors, "text", indicator.text):
        indicator.text = indicator.text.strip()
    require(errors, "aspect", indicator.aspect)
    if indicator.qualitative:
        indicator.target = None
        indicator.unit = (indicator.unit or "").strip() or None
    else:
        if require(errors, "unit", indicator.unit):
            indicator.unit = (indicator.unit or "").strip()
        target, problem = target_problem(indicator.target)
        if problem is not None:
            errors["target"].append(problem)
        else:
            indicator.target = target
    if indicator.aspect:
        indicator.direction = indicator.direction or default_direction(indicator.aspect)
        indicator.accumulation = indicator.accumulation or default_accumulation(indicator.aspect)


@use_case
def save_indicator(indicator: Indicator, scope: Scope) -> None:
    validate_indicator(indicator, scope)
    db.session.add(indicator)
    db.session.flush()
    record_on_behalf(indicator.objective.work_plan, scope, N_("indicator saved"))


@use_case
def delete_indicator(indicator: Indicator, scope: Scope) -> None:
    plan = indicator.objective.work_plan
    plans.check_manage(scope, plan)
    ensure_editable(plan)
    _refuse_if_reported(select(Indicator.id).where(Indicator.id == indicator.id))
    db.session.delete(indicator)
    db.session.flush()
    record_on_behalf(plan, scope, N_("indicator deleted"))


def _refuse_if_reported(indicator_ids: Select[tuple[int]]) -> None:
    """Realizations reported on an indicator keep it: the approved version and its reports
    must stay readable."""
    if db.session.scalar(select(exists().where(Realization.indicator_id.in_(indicator_ids)))):
        raise ConflictError(
            N_("Realizations were already reported on this indicator: it cannot be removed.")
        )
