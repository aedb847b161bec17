"""The SKP of a plan as printed: identity of the employee and the evaluator, the RHK with
the supervisor's RHK they cascade from, aspects, IKI and targets (main, then additional),
the behaviour expectations, the signature blocks and the lampiran."""

from __future__ import annotations

from datetime import date
from typing import Any

from kinerja.domain.documents import document_name
from kinerja.domain.errors import NotFoundError
from kinerja.domain.planning import PlanStatus
from kinerja.models.base import utcnow
from kinerja.models.org import Employee, Position
from kinerja.models.planning import WorkPlan
from kinerja.security.policies import plans
from kinerja.security.policies.scope import Scope
from kinerja.services.documents.render import Document, render_pdf
from kinerja.services.plans.annex import annex_of
from kinerja.services.plans.queries import behaviour_values

TEMPLATE = "kinerja/documents/skp.html"


def evaluator_of(position: Position | None, employee: Employee) -> Employee | None:
    """The pejabat penilai: the active holder of the position supervising ``position`` (the
    plan's, which may differ from the one the employee holds today)."""
    boss = position.supervisor if position is not None else None
    if boss is None:
        return employee.supervisor
    return next((h for h in boss.holders if h.active and h.id != employee.id), None)


def signed_on(moment: Any) -> date:
    """The date under the signatures: when the plan (or evaluation) was decided, else today."""
    return (moment or utcnow()).date()


def skp_name(plan: WorkPlan) -> str:
    return document_name("SKP", plan.employee.nip, plan.period.year)


def skp_context(plan: WorkPlan) -> dict[str, Any]:
    return {
        "plan": plan,
        "employee": plan.employee,
        "evaluator": evaluator_of(plan.position, plan.employee),
        "draft": PlanStatus(plan.status) != PlanStatus.APPROVED,
        "values": behaviour_values(),
        "expectations": {e.value_id: e.text for e in plan.expectations},
        "annex": annex_of(plan),
        "signed_on": signed_on(plan.decided_at),
    }


def render_skp(plan: WorkPlan) -> Document:
    """The SKP of a plan already checked readable (by the caller's policy)."""
    return Document(skp_name(plan), render_pdf(TEMPLATE, skp_context(plan)))


def skp_document(plan_id: int | None, scope: Scope) -> Document:
    """The SKP of a plan one may read (its page's rule); otherwise not found."""
    plan = plans.readable(scope, plan_id)
    if plan is None:
        raise NotFoundError()
    return render_skp(plan)
