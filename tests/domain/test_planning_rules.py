"""Planning rules: the plan workflow, period stages, sub-periods, indicator directions."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja.domain.errors import ConflictError
from kinerja.domain.planning import (
    Aspect,
    Direction,
    PeriodStatus,
    PlanAction,
    PlanStatus,
    default_direction,
    next_period_status,
    next_plan_status,
    sub_periods,
)


@pytest.mark.parametrize(
    ("status", "action", "expected"),
    [
        ("draft", "submit", PlanStatus.SUBMITTED),
        ("returned", "submit", PlanStatus.SUBMITTED),
        ("submitted", "approve", PlanStatus.APPROVED),
        ("submitted", "return", PlanStatus.RETURNED),
        ("approved", "revise", PlanStatus.DRAFT),
    ],
)
def test_plan_workflow_allows(status: str, action: str, expected: PlanStatus) -> None:
    assert next_plan_status(status, action) == expected


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("draft", "approve"),
        ("draft", "return"),
        ("draft", "revise"),
        ("submitted", "submit"),
        ("submitted", "revise"),
        ("approved", "approve"),
        ("approved", "submit"),
        ("approved", "return"),
        ("returned", "approve"),
        ("returned", "revise"),
    ],
)
def test_plan_workflow_refuses(status: str, action: str) -> None:
    with pytest.raises(ConflictError) as caught:
        next_plan_status(status, action)
    assert caught.value.params == {"status": status, "action": PlanAction(action).value}


def test_only_draft_and_returned_plans_are_editable() -> None:
    assert {s for s in PlanStatus if s.editable} == {PlanStatus.DRAFT, PlanStatus.RETURNED}


def test_period_moves_forward_and_stays_closed() -> None:
    assert next_period_status("planning") == PeriodStatus.RUNNING
    assert next_period_status(PeriodStatus.RUNNING) == PeriodStatus.EVALUATION
    assert next_period_status("evaluation") == PeriodStatus.CLOSED
    with pytest.raises(ConflictError):
        next_period_status("closed")


def test_quarterly_sub_periods_with_deadlines() -> None:
    quarters = sub_periods(2024, "quarterly")
    assert [q.name for q in quarters] == [
        "Triwulan I",
        "Triwulan II",
        "Triwulan III",
        "Triwulan IV",
    ]
    assert quarters[0].starts_on == date(2024, 1, 1)
    assert quarters[0].ends_on == date(2024, 3, 31)
    assert quarters[0].report_deadline == date(2024, 4, 10)
    assert quarters[0].evaluation_deadline == date(2024, 4, 20)
    assert quarters[3].ends_on == date(2024, 12, 31)


def test_monthly_sub_periods_know_leap_years() -> None:
    months = sub_periods(2024, "monthly", report_days=5)
    assert len(months) == 12
    assert months[1].name == "Februari"
    assert months[1].ends_on == date(2024, 2, 29)
    assert months[1].report_deadline == date(2024, 3, 5)
    assert sub_periods(2025, "monthly")[1].ends_on == date(2025, 2, 28)


@pytest.mark.parametrize(
    ("aspect", "direction"),
    [
        ("quantity", Direction.MORE_IS_BETTER),
        ("quality", Direction.MORE_IS_BETTER),
        ("time", Direction.LESS_IS_BETTER),
        (Aspect.COST, Direction.LESS_IS_BETTER),
    ],
)
def test_time_and_cost_are_better_when_lower(aspect: str, direction: Direction) -> None:
    assert default_direction(aspect) == direction
