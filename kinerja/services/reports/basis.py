"""What a report is made against: the indicators and targets of the plan's approved version
in force. While a revision is being drafted, reports keep to the approved version; once the
revision is approved, its indicators and targets apply."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kinerja.domain.planning import (
    Accumulation,
    Aspect,
    Direction,
    ObjectiveKind,
    PlanStatus,
    default_accumulation,
    default_direction,
)
from kinerja.models.planning import WorkPlan, WorkPlanVersion


@dataclass(frozen=True)
class BasisObjective:
    text: str
    kind: ObjectiveKind


@dataclass(frozen=True)
class BasisIndicator:
    """An indicator as approved (its row may since have changed in a revision draft)."""

    id: int
    objective: BasisObjective
    text: str
    aspect: Aspect
    target: Decimal | None  # None: qualitative
    unit: str | None
    direction: Direction
    accumulation: Accumulation

    @property
    def qualitative(self) -> bool:
        return self.target is None


def version_in_force(plan: WorkPlan) -> int | None:
    """The number of the approved version reports are made against (None: none approved)."""
    if plan.status == PlanStatus.APPROVED:
        return plan.version
    return plan.versions[0].version if plan.versions else None


def basis(plan: WorkPlan, version: int | None = None) -> list[BasisIndicator]:
    """The indicators of approved version ``version`` (by default the one in force), from
    its snapshot; from the plan's rows when the version is the current approved one or was
    kept without indicator ids."""
    number = version if version is not None else version_in_force(plan)
    if number is None:
        return []
    kept = next((v for v in plan.versions if v.version == number), None)
    live = plan.status == PlanStatus.APPROVED and number == plan.version
    if kept is not None and not live and _has_ids(kept):
        return _from_snapshot(kept)
    return _from_rows(plan)


def _has_ids(kept: WorkPlanVersion) -> bool:
    return all(
        indicator.get("id") is not None
        for objective in kept.snapshot.get("objectives", [])
        for indicator in objective.get("indicators", [])
    )


def _from_snapshot(kept: WorkPlanVersion) -> list[BasisIndicator]:
    result = []
    for objective in kept.snapshot.get("objectives", []):
        parent = BasisObjective(text=objective["text"], kind=ObjectiveKind(objective["kind"]))
        for item in objective.get("indicators", []):
            result.append(_indicator(item, parent))
    return result


def _indicator(item: dict[str, Any], objective: BasisObjective) -> BasisIndicator:
    aspect = Aspect(item["aspect"])
    return BasisIndicator(
        id=int(item["id"]),
        objective=objective,
        text=item["text"],
        aspect=aspect,
        target=Decimal(item["target"]) if item.get("target") not in (None, "None") else None,
        unit=item.get("unit"),
        direction=Direction(item.get("direction") or default_direction(aspect)),
        accumulation=Accumulation(item.get("accumulation") or default_accumulation(aspect)),
    )


def _from_rows(plan: WorkPlan) -> list[BasisIndicator]:
    result = []
    for objective in plan.objectives:
        parent = BasisObjective(text=objective.text, kind=ObjectiveKind(objective.kind))
        for i in objective.indicators:
            result.append(
                BasisIndicator(
                    id=i.id,
                    objective=parent,
                    text=i.text,
                    aspect=Aspect(i.aspect),
                    target=i.target,
                    unit=i.unit,
                    direction=Direction(i.direction),
                    accumulation=Accumulation(i.accumulation),
                )
            )
    return result
