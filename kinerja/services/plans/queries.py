"""What the planning screens list."""

from __future__ import annotations

from sqlalchemy import Select, select

from kinerja.domain.planning import PlanStatus
from kinerja.models.planning import WorkPlan
from kinerja.security.policies import plans
from kinerja.security.policies.scope import Scope


def approval_queue(scope: Scope) -> Select[tuple[WorkPlan]]:
    """Submitted plans waiting for this supervisor, oldest first."""
    return (
        select(WorkPlan)
        .where(WorkPlan.status == PlanStatus.SUBMITTED, plans.decide(scope))
        .order_by(WorkPlan.submitted_at)
    )
