"""A plan's history: workflow steps, content entered on the owner's behalf, and the
snapshot kept with each approved version."""

from __future__ import annotations

from typing import Any

from kinerja.domain.annex import ANNEX_FIELDS
from kinerja.domain.errors import N_
from kinerja.models.planning import WorkPlan, WorkPlanEvent
from kinerja.security.policies.scope import Scope

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


def record(plan: WorkPlan, action: str, scope: Scope, note: str | None = None) -> None:
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


def record_on_behalf(plan: WorkPlan, scope: Scope, what: str) -> None:
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


def _code(value: Any) -> str:
    return str(getattr(value, "value", value))


def snapshot(plan: WorkPlan) -> dict[str, Any]:
    """The plan as it stands, as plain data: kept with each approved version, printed, and
    the source of the indicators and targets reports are made against (hence the ids)."""
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
                "id": o.id,
                "kind": _code(o.kind),
                "text": o.text,
                "parent": o.parent.text if o.parent is not None else None,
                "strategic_goal": o.strategic_goal,
                "indicators": [
                    {
                        "id": i.id,
                        "text": i.text,
                        "aspect": _code(i.aspect),
                        "qualitative": bool(i.qualitative),
                        "target": str(i.target) if i.target is not None else None,
                        "unit": i.unit,
                        "direction": _code(i.direction),
                        "accumulation": _code(i.accumulation),
                    }
                    for i in o.indicators
                ],
            }
            for o in plan.objectives
        ],
        "expectations": {e.value.code: e.text for e in plan.expectations},
        "annex": {name: getattr(plan, name) for name in ANNEX_FIELDS},
    }
