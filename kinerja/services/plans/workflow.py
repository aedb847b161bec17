"""Use cases of the plan's workflow: submit to the direct supervisor, approve (keeping the
version), return with a reason, open a revision, and the supervisor's behaviour
expectations. Each locks the plan row first, so two people acting at once cannot both
decide: the second meets the new state and gets a conflict."""

from __future__ import annotations

from sqlalchemy import select

from kinerja.domain.errors import N_, AccessDenied, FieldErrors
from kinerja.domain.planning import PlanAction, next_plan_status
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.planning import BehaviourExpectation, BehaviourValue, WorkPlan, WorkPlanVersion
from kinerja.security.policies import plans
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import use_case
from kinerja.services.plans.cascade import completeness_problems
from kinerja.services.plans.history import record, snapshot
from kinerja.services.plans.periods import check_open
from kinerja.services.rows import lock
from kinerja.services.webhooks import announce


@use_case
def submit_plan(plan: WorkPlan, scope: Scope) -> WorkPlan:
    """Hand the plan to the supervisor; it must be complete and cascade where it can."""
    plans.check_manage(scope, plan)
    plan = lock(WorkPlan, plan.id)
    check_open(plan.period)
    new_status = next_plan_status(plan.status, PlanAction.SUBMIT)
    problems = completeness_problems(plan)
    if problems:
        raise FieldErrors({"objectives": problems})
    plan.status = new_status
    plan.submitted_at = utcnow()
    plan.return_reason = None
    record(plan, "submitted", scope)
    return plan


@use_case
def approve_plan(plan: WorkPlan, scope: Scope) -> WorkPlan:
    """The direct supervisor approves: the plan is locked and this version kept."""
    plans.check_decide(scope, plan)
    plan = lock(WorkPlan, plan.id)
    check_open(plan.period)
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
    record(plan, "approved", scope)
    announce.plan_approved(plan)
    return plan


@use_case
def return_plan(plan: WorkPlan, scope: Scope, reason: str | None) -> WorkPlan:
    """The direct supervisor sends the plan back with the reason."""
    plans.check_decide(scope, plan)
    if not (reason or "").strip():
        raise FieldErrors.single("reason", N_("Say why the plan goes back."))
    plan = lock(WorkPlan, plan.id)
    check_open(plan.period)
    plan.status = next_plan_status(plan.status, PlanAction.RETURN)
    plan.decided_at = utcnow()
    plan.decided_by_id = scope.user_id
    plan.return_reason = reason.strip() if reason else None
    record(plan, "returned", scope, note=plan.return_reason)
    return plan


@use_case
def revise_plan(plan: WorkPlan, scope: Scope, reason: str | None = None) -> WorkPlan:
    """Open a revision of an approved plan: a new draft version; the approved one stays in
    force (for reports) and in the history until the revision is approved."""
    plans.check_manage(scope, plan)
    plan = lock(WorkPlan, plan.id)
    check_open(plan.period)
    plan.status = next_plan_status(plan.status, PlanAction.REVISE)
    plan.version += 1
    plan.submitted_at = None
    record(plan, "revision", scope, note=(reason or "").strip() or None)
    return plan


@use_case
def set_expectations(plan: WorkPlan, texts: dict[int, str], scope: Scope) -> None:
    """The direct supervisor's specific expectations per BerAKHLAK value (empty removes)."""
    plans.check_read(scope, plan)
    if not plans.may_set_expectations(scope, plan):
        raise AccessDenied()
    check_open(plan.period)
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
    record(plan, "expectations", scope)
