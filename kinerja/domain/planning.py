"""Performance planning rules: periods and their sub-periods, work plan workflow, indicators.

Pure: no Flask, no database. The use cases in :mod:`kinerja.services.planning` apply them.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from kinerja.domain.errors import N_, ConflictError
from kinerja.domain.org import LabeledEnum

__all__ = [
    "Accumulation",
    "Aspect",
    "Cadence",
    "Direction",
    "ObjectiveKind",
    "PeriodStatus",
    "PlanAction",
    "PlanStatus",
    "SubPeriodDates",
    "default_direction",
    "next_period_status",
    "next_plan_status",
    "sub_periods",
]


class PeriodStatus(LabeledEnum):
    PLANNING = "planning", N_("Planning")
    RUNNING = "running", N_("Ongoing")
    EVALUATION = "evaluation", N_("Evaluation")
    CLOSED = "closed", N_("Closed")


PERIOD_FLOW = [
    PeriodStatus.PLANNING,
    PeriodStatus.RUNNING,
    PeriodStatus.EVALUATION,
    PeriodStatus.CLOSED,
]


def next_period_status(current: PeriodStatus | str) -> PeriodStatus:
    """A period moves forward one step at a time; a closed period stays closed."""
    status = PeriodStatus(current)
    if status == PeriodStatus.CLOSED:
        raise ConflictError(N_("The period is closed and cannot change any more."))
    return PERIOD_FLOW[PERIOD_FLOW.index(status) + 1]


class Cadence(LabeledEnum):
    QUARTERLY = "quarterly", N_("Quarterly")
    MONTHLY = "monthly", N_("Monthly")


ROMAN = ["I", "II", "III", "IV"]
MONTHS_ID = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


@dataclass(frozen=True)
class SubPeriodDates:
    number: int
    name: str
    starts_on: date
    ends_on: date
    report_deadline: date
    evaluation_deadline: date


def sub_periods(
    year: int, cadence: Cadence | str, report_days: int = 10, evaluation_days: int = 20
) -> list[SubPeriodDates]:
    """The evaluation sub-periods of a year: Triwulan I–IV or the twelve months, with the
    report due ``report_days`` and the evaluation ``evaluation_days`` after each ends."""
    months_per = 3 if Cadence(cadence) == Cadence.QUARTERLY else 1
    result = []
    for number, first_month in enumerate(range(1, 13, months_per), start=1):
        last_month = first_month + months_per - 1
        ends_on = date(year, last_month, calendar.monthrange(year, last_month)[1])
        name = f"Triwulan {ROMAN[number - 1]}" if months_per == 3 else MONTHS_ID[first_month - 1]
        result.append(
            SubPeriodDates(
                number=number,
                name=name,
                starts_on=date(year, first_month, 1),
                ends_on=ends_on,
                report_deadline=ends_on + timedelta(days=report_days),
                evaluation_deadline=ends_on + timedelta(days=evaluation_days),
            )
        )
    return result


class PlanStatus(LabeledEnum):
    DRAFT = "draft", N_("Draft")
    SUBMITTED = "submitted", N_("Submitted")
    RETURNED = "returned", N_("Returned")
    APPROVED = "approved", N_("Approved")

    @property
    def editable(self) -> bool:
        """Content may change only while the owner holds the plan (draft or returned)."""
        return self in (PlanStatus.DRAFT, PlanStatus.RETURNED)


class PlanAction(LabeledEnum):
    SUBMIT = "submit", N_("Submit")
    APPROVE = "approve", N_("Approve")
    RETURN = "return", N_("Return for revision")
    REVISE = "revise", N_("Revise")


_TRANSITIONS: dict[tuple[PlanStatus, PlanAction], PlanStatus] = {
    (PlanStatus.DRAFT, PlanAction.SUBMIT): PlanStatus.SUBMITTED,
    (PlanStatus.RETURNED, PlanAction.SUBMIT): PlanStatus.SUBMITTED,
    (PlanStatus.SUBMITTED, PlanAction.APPROVE): PlanStatus.APPROVED,
    (PlanStatus.SUBMITTED, PlanAction.RETURN): PlanStatus.RETURNED,
    (PlanStatus.APPROVED, PlanAction.REVISE): PlanStatus.DRAFT,
}


def next_plan_status(current: PlanStatus | str, action: PlanAction | str) -> PlanStatus:
    """The workflow draft → submitted → approved (or returned → submitted again); an approved
    plan changes only through a revision, which starts a new draft."""
    status, act = PlanStatus(current), PlanAction(action)
    try:
        return _TRANSITIONS[(status, act)]
    except KeyError:
        raise ConflictError(
            N_("“%(action)s” is not possible while the plan is “%(status)s”."),
            status=status,
            action=act,
        ) from None


class ObjectiveKind(LabeledEnum):
    MAIN = "main", N_("Main")
    ADDITIONAL = "additional", N_("Additional")


class Aspect(LabeledEnum):
    QUANTITY = "quantity", N_("Quantity")
    QUALITY = "quality", N_("Quality")
    TIME = "time", N_("Time")
    COST = "cost", N_("Cost")


class Direction(LabeledEnum):
    MORE_IS_BETTER = "more", N_("More is better")
    LESS_IS_BETTER = "less", N_("Less is better")


class Accumulation(LabeledEnum):
    SUM = "sum", N_("Sum (counts)")
    LAST = "last", N_("Last value (levels, percentages)")
    AVERAGE = "average", N_("Average (rates)")


def default_direction(aspect: Aspect | str) -> Direction:
    """Time and cost are better when lower (PermenPANRB 8/2021); the rest when higher."""
    if Aspect(aspect) in (Aspect.TIME, Aspect.COST):
        return Direction.LESS_IS_BETTER
    return Direction.MORE_IS_BETTER
