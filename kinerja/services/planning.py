"""Use cases of performance planning: periods, work plans and their workflow, templates.

Every change checks the period is open and the plan is in a state that allows it
(:class:`ConflictError`, HTTP 409), validates fields (:class:`FieldErrors`, 422) and commits
once. Work done by someone other than the plan's owner is recorded as done on their behalf.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from sqlalchemy import func, select

from kinerja.domain.errors import N_, ConflictError, DomainError, FieldErrors
from kinerja.domain.planning import (
    Accumulation,
    Cadence,
    ObjectiveKind,
    PlanAction,
    PlanStatus,
    default_direction,
    next_period_status,
    next_plan_status,
    sub_periods,
)
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.org import Employee, Position
from kinerja.models.planning import (
    BehaviourExpectation,
    BehaviourValue,
    Indicator,
    Objective,
    Period,
    PlanTemplate,
    SubPeriod,
    TemplateIndicator,
    TemplateObjective,
    WorkPlan,
    WorkPlanEvent,
    WorkPlanVersion,
)
from kinerja.security.scopes import (
    Scope,
    is_within,
    managed_employee_condition,
    managed_position_condition,
    plan_decide_condition,
    plan_manage_condition,
    supervisor_plan_ids,
    template_manage_condition,
)
from kinerja.services import commit
from kinerja.services.validation import Errors, require

Source = Literal["blank", "previous", "template"]
NOT_FOUND = N_("Not found or not within your reach.")


# --- periods --------------------------------------------------------------------------------


def validate_period(period: Period) -> None:
    errors = Errors()
    with db.session.no_autoflush:
        if period.year is None or not 2000 <= int(period.year) <= 2100:
            errors.add("year", N_("Enter a year between 2000 and 2100."))
        else:
            query = select(Period.id).where(Period.year == period.year)
            if period.id is not None:
                query = query.where(Period.id != period.id)
            if db.session.execute(query).first():
                errors.add("year", N_("A period for %(year)s exists already."), year=period.year)
        if (
            period.planning_deadline is not None
            and "year" not in errors
            and not (
                date(int(period.year) - 1, 1, 1)
                <= period.planning_deadline
                <= date(int(period.year), 12, 31)
            )
        ):
            errors.add(
                "planning_deadline",
                N_("The planning deadline must fall in or just before the period's year."),
            )
    errors.raise_if_any()


def save_period(period: Period, scope: Scope) -> None:
    """Open a new period with its sub-periods, or change a period that is not closed."""
    if period.id is not None:
        _ensure_period_open(period)
    period.name = (period.name or "").strip() or f"Periode Kinerja {period.year}"
    period.cadence = period.cadence or Cadence.QUARTERLY
    validate_period(period)
    year = int(period.year)
    period.starts_on, period.ends_on = date(year, 1, 1), date(year, 12, 31)
    period.planning_deadline = period.planning_deadline or date(year, 1, 31)
    if period.id is None:
        period.sub_periods = [
            SubPeriod(
                number=d.number,
                name=d.name,
                starts_on=d.starts_on,
                ends_on=d.ends_on,
                report_deadline=d.report_deadline,
                evaluation_deadline=d.evaluation_deadline,
            )
            for d in sub_periods(year, period.cadence)
        ]
    db.session.add(period)
    commit()


def advance_period(period: Period, scope: Scope) -> Period:
    """planning → running → evaluation → closed, one step (409 once closed)."""
    locked = _lock(Period, period.id)
    locked.status = next_period_status(locked.status)
    commit()
    return locked


def delete_period(period: Period, scope: Scope) -> None:
    plans = db.session.scalar(select(func.count()).where(WorkPlan.period_id == period.id))
    if plans:
        raise ConflictError(N_("This period already has %(count)d work plans."), count=plans)
    db.session.delete(period)
    commit()


def save_sub_period(sub_period: SubPeriod, scope: Scope) -> None:
    _ensure_period_open(sub_period.period)
    errors = Errors()
    if sub_period.report_deadline and sub_period.report_deadline < sub_period.ends_on:
        errors.add("report_deadline", N_("Reports are due after the sub-period ends."))
    if (
        sub_period.evaluation_deadline
        and sub_period.report_deadline
        and sub_period.evaluation_deadline < sub_period.report_deadline
    ):
        errors.add("evaluation_deadline", N_("The evaluation is due after the reports."))
    errors.raise_if_any()
    commit()


def _ensure_period_open(period: Period) -> None:
    if period.closed:
        raise ConflictError(
            N_("The period %(period)s is closed: nothing in it can change."), period=period.name
        )


def current_period() -> Period | None:
    """The period people plan in: the latest one that is not closed."""
    return db.session.scalar(
        select(Period).where(Period.status != "closed").order_by(Period.year.desc()).limit(1)
    )


# --- plans ----------------------------------------------------------------------------------


def create_plan(
    employee: Employee | None,
    period: Period | None,
    scope: Scope,
    source: Source = "blank",
    template: PlanTemplate | None = None,
) -> WorkPlan:
    """Start an employee's SKP for a period: blank, from last year's plan, or from a template
    of the employee's position."""
    errors = Errors()
    if employee is None:
        errors.add("employee", N_("This field is required."))
    elif not is_within(managed_employee_condition(scope), Employee, employee.id) and (
        employee.id != scope.employee_id or not scope.is_employee
    ):
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
    plan = WorkPlan(
        period=period,
        employee=employee,
        position_id=employee.position_id,
        unit_id=employee.unit_id,
        status=PlanStatus.DRAFT,
        version=1,
    )
    db.session.add(plan)
    if source == "previous":
        previous = db.session.scalar(
            select(WorkPlan)
            .join(Period)
            .where(WorkPlan.employee_id == employee.id, Period.year == period.year - 1)
        )
        if previous is None:
            raise FieldErrors.single("source", N_("There is no plan of last year to copy."))
        _copy_objectives(previous.objectives, plan, keep_parents=False)
    elif source == "template" and template is not None:
        _copy_objectives(template.objectives, plan, keep_parents=False)
    db.session.flush()
    _record(plan, "created", scope, note=source if source != "blank" else None)
    commit()
    return plan


def _copy_objectives(objectives: list[Any], plan: WorkPlan, keep_parents: bool) -> None:
    for source in objectives:
        objective = Objective(
            kind=source.kind,
            text=source.text,
            order=source.order,
            strategic_goal=getattr(source, "strategic_goal", None),
            parent_id=source.parent_id if keep_parents else None,
        )
        objective.indicators = [
            Indicator(
                text=i.text,
                aspect=i.aspect,
                target=i.target,
                unit=i.unit,
                direction=i.direction,
                accumulation=i.accumulation,
                order=i.order,
            )
            for i in source.indicators
        ]
        plan.objectives.append(objective)


def delete_plan(plan: WorkPlan, scope: Scope) -> None:
    """A plan that was never approved can be thrown away by whoever may write it."""
    _ensure_period_open(plan.period)
    if plan.versions or plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise ConflictError(N_("An approved or submitted plan cannot be deleted."))
    cascaded = _cascaded_children(select(Objective.id).where(Objective.work_plan_id == plan.id))
    if cascaded:
        raise ConflictError(
            N_("%(count)d objectives of subordinates cascade from this plan."), count=cascaded
        )
    db.session.delete(plan)
    commit()


def ensure_editable(plan: WorkPlan) -> None:
    """Content changes only while the owner holds the plan, in a period that is not closed."""
    _ensure_period_open(plan.period)
    if not PlanStatus(plan.status).editable:
        raise ConflictError(
            N_("The plan is “%(status)s”: it is locked. Open a revision to change it."),
            status=PlanStatus(plan.status),
        )


def validate_objective(objective: Objective, scope: Scope) -> None:
    errors = Errors()
    with db.session.no_autoflush:
        plan = objective.work_plan or (
            db.session.get(WorkPlan, objective.work_plan_id) if objective.work_plan_id else None
        )
        if plan is None or not is_within(plan_manage_condition(scope), WorkPlan, plan.id):
            raise FieldErrors.single("work_plan", NOT_FOUND)
        ensure_editable(plan)
        if require(errors, "text", objective.text):
            objective.text = objective.text.strip()
        objective.kind = objective.kind or ObjectiveKind.MAIN
        parent_id = objective.parent.id if objective.parent is not None else objective.parent_id
        if parent_id is not None and parent_id not in set(
            db.session.scalars(
                select(Objective.id).where(Objective.work_plan_id.in_(supervisor_plan_ids(plan.id)))
            )
        ):
            errors.add(
                "parent", N_("Choose one of your direct supervisor's objectives for this period.")
            )
    errors.raise_if_any()


def save_objective(objective: Objective, scope: Scope) -> None:
    validate_objective(objective, scope)
    db.session.add(objective)
    db.session.flush()
    _record_on_behalf(objective.work_plan, scope, N_("objective saved"))
    commit()


def delete_objective(objective: Objective, scope: Scope) -> None:
    ensure_editable(objective.work_plan)
    cascaded = _cascaded_children(select(Objective.id).where(Objective.id == objective.id))
    if cascaded:
        raise ConflictError(
            N_(
                "%(count)d objectives of subordinates cascade from this one; "
                "they must be changed first."
            ),
            count=cascaded,
        )
    plan = objective.work_plan
    db.session.delete(objective)
    db.session.flush()
    _record_on_behalf(plan, scope, N_("objective deleted"))
    commit()


def _cascaded_children(objective_ids: Any) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Objective)
            .where(Objective.parent_id.in_(objective_ids))
        )
        or 0
    )


def validate_indicator(indicator: Indicator, scope: Scope) -> None:
    errors = Errors()
    with db.session.no_autoflush:
        objective = indicator.objective or (
            db.session.get(Objective, indicator.objective_id) if indicator.objective_id else None
        )
        if objective is None or not is_within(
            plan_manage_condition(scope), WorkPlan, objective.work_plan_id
        ):
            raise FieldErrors.single("objective", NOT_FOUND)
        ensure_editable(objective.work_plan)
        check_indicator_fields(errors, indicator)
    errors.raise_if_any()


def check_indicator_fields(errors: Errors, indicator: Indicator | TemplateIndicator) -> None:
    """Text, aspect, unit and a target above zero; the direction follows the aspect unless
    chosen (time and cost: less is better)."""
    if require(errors, "text", indicator.text):
        indicator.text = indicator.text.strip()
    require(errors, "aspect", indicator.aspect)
    if require(errors, "unit", indicator.unit):
        indicator.unit = indicator.unit.strip()
    target = _decimal(indicator.target)
    if target is None:
        errors.add("target", N_("Enter the target as a number."))
    elif target <= 0:
        errors.add("target", N_("The target must be greater than 0."))
    else:
        indicator.target = target
    if indicator.aspect and not indicator.direction:
        indicator.direction = default_direction(indicator.aspect)
    indicator.accumulation = indicator.accumulation or Accumulation.SUM


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() and abs(number) < Decimal("1e12") else None


def save_indicator(indicator: Indicator, scope: Scope) -> None:
    validate_indicator(indicator, scope)
    db.session.add(indicator)
    db.session.flush()
    _record_on_behalf(indicator.objective.work_plan, scope, N_("indicator saved"))
    commit()


def delete_indicator(indicator: Indicator, scope: Scope) -> None:
    plan = indicator.objective.work_plan
    ensure_editable(plan)
    db.session.delete(indicator)
    db.session.flush()
    _record_on_behalf(plan, scope, N_("indicator deleted"))
    commit()


# --- workflow -------------------------------------------------------------------------------


def submit_plan(plan: WorkPlan, scope: Scope) -> WorkPlan:
    """Hand the plan to the supervisor; it must be complete and cascade where it can."""
    plan = _lock(WorkPlan, plan.id)
    _ensure_period_open(plan.period)
    new_status = next_plan_status(plan.status, PlanAction.SUBMIT)
    problems = completeness_problems(plan)
    if problems:
        raise FieldErrors({"objectives": problems})
    plan.status = new_status
    plan.submitted_at = utcnow()
    plan.return_reason = None
    _record(plan, "submitted", scope)
    commit()
    return plan


def completeness_problems(plan: WorkPlan) -> list[DomainError]:
    """What stops a plan from being submitted (empty when it can go)."""
    problems: list[DomainError] = []
    if not any(o.kind == ObjectiveKind.MAIN for o in plan.objectives):
        problems.append(DomainError(N_("Add at least one main objective.")))
    for objective in plan.objectives:
        if not objective.indicators:
            problems.append(
                DomainError(
                    N_("Objective “%(objective)s” has no indicator."), objective=str(objective)
                )
            )
    if has_supervisor(plan):
        for objective in plan.objectives:
            if objective.parent_id is None:
                problems.append(
                    DomainError(
                        N_(
                            "Objective “%(objective)s” does not cascade from a supervisor's "
                            "objective."
                        ),
                        objective=str(objective),
                    )
                )
    return problems


def has_supervisor(plan: WorkPlan) -> bool:
    position = plan.employee.position
    return position is not None and position.supervisor_id is not None


def approve_plan(plan: WorkPlan, scope: Scope) -> WorkPlan:
    """The direct supervisor approves: the plan is locked and this version kept."""
    plan = _lock(WorkPlan, plan.id)
    _ensure_decider(plan, scope)
    _ensure_period_open(plan.period)
    plan.status = next_plan_status(plan.status, PlanAction.APPROVE)
    plan.decided_at = utcnow()
    plan.decided_by_id = scope.user_id
    plan.versions.append(
        WorkPlanVersion(
            version=plan.version,
            approved_at=plan.decided_at,
            approved_by_id=scope.user_id,
            snapshot=snapshot(plan),
        )
    )
    _record(plan, "approved", scope)
    commit()
    return plan


def return_plan(plan: WorkPlan, scope: Scope, reason: str | None) -> WorkPlan:
    """The direct supervisor sends the plan back with the reason."""
    if not (reason or "").strip():
        raise FieldErrors.single("reason", N_("Say why the plan goes back."))
    plan = _lock(WorkPlan, plan.id)
    _ensure_decider(plan, scope)
    _ensure_period_open(plan.period)
    plan.status = next_plan_status(plan.status, PlanAction.RETURN)
    plan.decided_at = utcnow()
    plan.decided_by_id = scope.user_id
    plan.return_reason = reason.strip() if reason else None
    _record(plan, "returned", scope, note=plan.return_reason)
    commit()
    return plan


def revise_plan(plan: WorkPlan, scope: Scope, reason: str | None = None) -> WorkPlan:
    """Open a revision of an approved plan: a new draft version; the approved one stays in
    the history until the revision is approved."""
    plan = _lock(WorkPlan, plan.id)
    _ensure_period_open(plan.period)
    plan.status = next_plan_status(plan.status, PlanAction.REVISE)
    plan.version += 1
    plan.submitted_at = None
    _record(plan, "revision", scope, note=(reason or "").strip() or None)
    commit()
    return plan


def _ensure_decider(plan: WorkPlan, scope: Scope) -> None:
    if not is_within(plan_decide_condition(scope), WorkPlan, plan.id):
        raise PermissionError("only the direct supervisor decides on a plan")


def _lock(model: Any, row_id: int) -> Any:
    """Re-read a row and lock it, so two people acting at once cannot both change its state."""
    row = db.session.scalar(
        select(model)
        .where(model.id == row_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise ConflictError(N_("The record no longer exists."))
    return row


def set_expectations(plan: WorkPlan, texts: dict[int, str], scope: Scope) -> None:
    """The direct supervisor's specific expectations per BerAKHLAK value (empty removes)."""
    _ensure_period_open(plan.period)
    if not (scope.manages_all or is_within(plan_decide_condition(scope), WorkPlan, plan.id)):
        raise PermissionError("only the direct supervisor sets expectations")
    current = {e.value_id: e for e in plan.expectations}
    valid = set(db.session.scalars(select(BehaviourValue.id)))
    for value_id, text in texts.items():
        if value_id not in valid:
            continue
        text = (text or "").strip()
        if text and value_id in current:
            current[value_id].text = text
        elif text:
            plan.expectations.append(BehaviourExpectation(value_id=value_id, text=text))
        elif value_id in current:
            plan.expectations.remove(current[value_id])
    _record(plan, "expectations", scope)
    commit()


# --- history --------------------------------------------------------------------------------


OWNER_ACTIONS = {"created", "submitted", "revision"}
EVENT_LABELS = {
    "created": N_("Created"),
    "submitted": N_("Submitted"),
    "approved": N_("Approved"),
    "returned": N_("Returned for revision"),
    "revision": N_("Revision opened"),
    "expectations": N_("Behaviour expectations set"),
    "edited": N_("Content changed"),
}


def _record(plan: WorkPlan, action: str, scope: Scope, note: str | None = None) -> None:
    """Keep a workflow step; an owner's step taken by someone else is marked on-behalf."""
    on_behalf = (
        action in OWNER_ACTIONS
        and scope.user_id is not None
        and scope.employee_id != plan.employee_id
    )
    plan.events.append(
        WorkPlanEvent(
            action=action,
            version=plan.version,
            actor_id=scope.user_id,
            note=note,
            on_behalf=on_behalf,
        )
    )


def _record_on_behalf(plan: WorkPlan, scope: Scope, what: str) -> None:
    """Content entered by someone other than the owner (an operator helping) is recorded."""
    if scope.user_id is not None and scope.employee_id != plan.employee_id:
        plan.events.append(
            WorkPlanEvent(
                action="edited",
                version=plan.version,
                actor_id=scope.user_id,
                on_behalf=True,
                note=what,
            )
        )


def snapshot(plan: WorkPlan) -> dict[str, Any]:
    """The plan as it stands, as plain data (kept with each approved version, printed)."""
    employee = plan.employee
    return {
        "version": plan.version,
        "period": plan.period.name,
        "employee": {
            "name": employee.name,
            "nip": employee.nip,
            "position": plan.position.name if plan.position else None,
            "unit": plan.unit.name,
        },
        "objectives": [
            {
                "kind": str(o.kind.value if hasattr(o.kind, "value") else o.kind),
                "text": o.text,
                "parent": o.parent.text if o.parent is not None else None,
                "strategic_goal": o.strategic_goal,
                "indicators": [
                    {
                        "text": i.text,
                        "aspect": str(getattr(i.aspect, "value", i.aspect)),
                        "target": str(i.target),
                        "unit": i.unit,
                        "direction": str(getattr(i.direction, "value", i.direction)),
                        "accumulation": str(getattr(i.accumulation, "value", i.accumulation)),
                    }
                    for i in o.indicators
                ],
            }
            for o in plan.objectives
        ],
        "expectations": {e.value.code: e.text for e in plan.expectations},
    }


@dataclass
class SupervisorPlanInfo:
    supervisor: Employee | None
    plan: WorkPlan | None

    @property
    def approved(self) -> bool:
        return self.plan is not None and (
            self.plan.status == PlanStatus.APPROVED or bool(self.plan.versions)
        )


def supervisor_plan(plan: WorkPlan) -> SupervisorPlanInfo:
    """Whether the direct supervisor has a plan (and an approved one) for the same period."""
    boss_plan = db.session.scalar(
        select(WorkPlan).where(WorkPlan.id.in_(supervisor_plan_ids(plan.id))).limit(1)
    )
    return SupervisorPlanInfo(supervisor=plan.employee.supervisor, plan=boss_plan)


# --- templates ------------------------------------------------------------------------------


def save_template_from_plan(plan: WorkPlan, name: str, scope: Scope) -> PlanTemplate:
    """Keep a plan's objectives and indicators as a template of the owner's position."""
    if plan.position_id is None:
        raise ConflictError(N_("The plan's owner has no position to attach a template to."))
    position_name = plan.position.name if plan.position else ""
    template = PlanTemplate(
        position_id=plan.position_id, name=(name or "").strip() or f"Templat {position_name}"
    )
    for objective in plan.objectives:
        copy = TemplateObjective(kind=objective.kind, text=objective.text, order=objective.order)
        copy.indicators = [
            TemplateIndicator(
                text=i.text,
                aspect=i.aspect,
                target=i.target,
                unit=i.unit,
                direction=i.direction,
                accumulation=i.accumulation,
                order=i.order,
            )
            for i in objective.indicators
        ]
        template.objectives.append(copy)
    db.session.add(template)
    commit()
    return template


@dataclass
class Assignment:
    created: list[str] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)
    skipped: list[tuple[str, DomainError]] = field(default_factory=list)


def assign_template(template: PlanTemplate, period: Period | None, scope: Scope) -> Assignment:
    """Give the template's content to every active holder of its position (within reach):
    a new plan, or an empty draft filled; plans with content are left alone."""
    if period is None or period.closed:
        raise ConflictError(N_("There is no open period to plan in."))
    result = Assignment()
    holders = db.session.scalars(
        select(Employee)
        .where(
            Employee.position_id == template.position_id,
            Employee.active.is_(True),
            managed_employee_condition(scope),
        )
        .order_by(Employee.name)
    ).all()
    plans = {
        p.employee_id: p
        for p in db.session.scalars(
            select(WorkPlan).where(
                WorkPlan.period_id == period.id, WorkPlan.employee_id.in_([h.id for h in holders])
            )
        )
    }
    for holder in holders:
        plan = plans.get(holder.id)
        if plan is None:
            plan = WorkPlan(
                period=period,
                employee=holder,
                position_id=holder.position_id,
                unit_id=holder.unit_id,
                status=PlanStatus.DRAFT,
                version=1,
            )
            db.session.add(plan)
            _copy_objectives(template.objectives, plan, keep_parents=False)
            _record(plan, "created", scope, note="template")
            result.created.append(holder.name)
        elif plan.objectives:
            result.skipped.append((holder.name, DomainError(N_("already has objectives"))))
        elif not PlanStatus(plan.status).editable:
            result.skipped.append((holder.name, DomainError(N_("the plan is locked"))))
        else:
            _copy_objectives(template.objectives, plan, keep_parents=False)
            _record_on_behalf(plan, scope, N_("template assigned"))
            result.filled.append(holder.name)
    commit()
    return result


def save_template(template: PlanTemplate, scope: Scope) -> None:
    errors = Errors()
    with db.session.no_autoflush:
        if require(errors, "name", template.name):
            template.name = template.name.strip()
        position_id = template.position.id if template.position else template.position_id
        if require(errors, "position", position_id) and not is_within(
            managed_position_condition(scope), Position, position_id
        ):
            errors.add("position", NOT_FOUND)
    errors.raise_if_any()
    db.session.add(template)
    commit()


def save_template_objective(objective: TemplateObjective, scope: Scope) -> None:
    errors = Errors()
    with db.session.no_autoflush:
        template = objective.template or db.session.get(PlanTemplate, objective.template_id)
        if template is None or not is_within(
            template_manage_condition(scope), PlanTemplate, template.id
        ):
            raise FieldErrors.single("template", NOT_FOUND)
        if require(errors, "text", objective.text):
            objective.text = objective.text.strip()
        objective.kind = objective.kind or ObjectiveKind.MAIN
    errors.raise_if_any()
    db.session.add(objective)
    commit()


def save_template_indicator(indicator: TemplateIndicator, scope: Scope) -> None:
    errors = Errors()
    with db.session.no_autoflush:
        objective = indicator.objective or db.session.get(TemplateObjective, indicator.objective_id)
        if objective is None or not is_within(
            template_manage_condition(scope), PlanTemplate, objective.template_id
        ):
            raise FieldErrors.single("objective", NOT_FOUND)
        check_indicator_fields(errors, indicator)
    errors.raise_if_any()
    db.session.add(indicator)
    commit()


def delete_row(row: Any, scope: Scope) -> None:
    """Templates and their parts go without further checks (plans made from them keep
    their own copies)."""
    db.session.delete(row)
    commit()


def queue_for(scope: Scope) -> Any:
    """Submitted plans waiting for this supervisor, oldest first."""
    return (
        select(WorkPlan)
        .where(WorkPlan.status == PlanStatus.SUBMITTED, plan_decide_condition(scope))
        .order_by(WorkPlan.submitted_at)
    )


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
