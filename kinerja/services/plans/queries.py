"""What the planning screens list."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from kinerja.domain.planning import PlanStatus
from kinerja.extensions import db
from kinerja.models.planning import BehaviourValue, WorkPlan
from kinerja.security.policies import plans
from kinerja.security.policies.scope import Scope


def approval_queue_query(scope: Scope) -> Select[tuple[WorkPlan]]:
    """Submitted plans waiting for this supervisor, oldest first."""
    return (
        select(WorkPlan)
        .where(WorkPlan.status == PlanStatus.SUBMITTED, plans.decide(scope))
        .order_by(WorkPlan.submitted_at)
    )


def approval_queue(scope: Scope) -> list[WorkPlan]:
    """The queue's plans with their owners and periods loaded (one query each)."""
    return list(
        db.session.scalars(
            approval_queue_query(scope).options(
                selectinload(WorkPlan.employee), selectinload(WorkPlan.period)
            )
        )
    )


def behaviour_values() -> list[BehaviourValue]:
    """The seven BerAKHLAK values in their order."""
    return list(db.session.scalars(select(BehaviourValue).order_by(BehaviourValue.order)))
