"""Performance planning rules: periods and their sub-periods, work plan workflow, indicators.

Pure: no Flask, no database. The use cases in :mod:`kinerja.services.planning` apply them.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from kinerja.domain.errors import N_, ConflictError, DomainError
from kinerja.domain.numbers import parse_number
from kinerja.domain.org import LabeledEnum

__all__ = [
    "ANNUAL_NAME",
    "Accumulation",
    "Aspect",
    "ObjectiveFacts",
    "Cadence",
    "Direction",
    "ObjectiveKind",
    "PeriodStatus",
    "PlanAction",
    "PlanStatus",
    "SubPeriodDates",
    "annual_evaluation",
    "default_accumulation",
    "default_direction",
    "ensure_period_open",
    "plan_problems",
    "target_problem",
    "next_period_status",
    "next_plan_status",
    "period_is_open",
    "plan_in_force",
    "sub_periods",
]


class PeriodStatus(LabeledEnum):
    PLANNING = "planning", N_("Planning")
    RUNNING = "running", N_("Ongoing")
    EVALUATION = "evaluation", N_("Evaluation")
    CLOSED = "closed", N_("Closed")


def period_is_open(status: PeriodStatus | str) -> bool:
    """Anything in a period may change until it is closed; then it is read-only for all."""
    return PeriodStatus(status) != PeriodStatus.CLOSED


def ensure_period_open(status: PeriodStatus | str, name: str) -> None:
    """Refuse any change in a closed period (HTTP 409)."""
    if not period_is_open(status):
        raise ConflictError(
            N_("The period %(period)s is closed: nothing in it can change."), period=name
        )


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


ANNUAL_NAME = "Akhir"


def annual_evaluation(
    year: int, after: int, report_days: int = 10, evaluation_days: int = 20
) -> SubPeriodDates:
    """The annual evaluation (*Akhir*) of a year with ``after`` sub-periods: numbered after
    them, covering the whole year, reported and evaluated in the following January."""
    ends_on = date(year, 12, 31)
    return SubPeriodDates(
        number=after + 1,
        name=ANNUAL_NAME,
        starts_on=date(year, 1, 1),
        ends_on=ends_on,
        report_deadline=ends_on + timedelta(days=report_days),
        evaluation_deadline=ends_on + timedelta(days=evaluation_days),
    )


class PlanStatus(LabeledEnum):
    DRAFT = "draft", N_("Draft")
    SUBMITTED = "submitted", N_("Submitted")
    RETURNED = "returned", N_("Returned")
    APPROVED = "approved", N_("Approved")

    @property
    def editable(self) -> bool:
        """Content may change only while the owner holds the plan (draft or returned)."""
        return self in (PlanStatus.DRAFT, PlanStatus.RETURNED)


def plan_in_force(status: PlanStatus | str, has_approved_version: bool) -> bool:
    """A plan counts (for reports, and as a supervisor's plan to cascade from) once a version
    of it was approved: a revision under way keeps the approved version in force."""
    return PlanStatus(status) == PlanStatus.APPROVED or has_approved_version


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


def default_accumulation(aspect: Aspect | str) -> Accumulation:
    """How periodic realizations add up when the indicator does not say (project rule):
    quantities and costs are summed, a quality (a level, a percentage) is its last value,
    a time (days per case) is averaged."""
    return _DEFAULT_ACCUMULATION[Aspect(aspect)]


_DEFAULT_ACCUMULATION = {
    Aspect.QUANTITY: Accumulation.SUM,
    Aspect.QUALITY: Accumulation.LAST,
    Aspect.TIME: Accumulation.AVERAGE,
    Aspect.COST: Accumulation.SUM,
}


def target_problem(value: object) -> tuple[Decimal | None, DomainError | None]:
    """Read an indicator's target: a number above zero (PermenPANRB 8/2021 divides by it)."""
    target = parse_number(value)
    if target is None:
        return None, DomainError(N_("Enter the target as a number."))
    if target <= 0:
        return None, DomainError(N_("The target must be greater than 0."))
    return target, None


@dataclass(frozen=True)
class ObjectiveFacts:
    """What the completeness check needs to know of one objective."""

    text: str
    main: bool
    indicators: int
    cascades: bool


def plan_problems(objectives: Iterable[ObjectiveFacts], has_supervisor: bool) -> list[DomainError]:
    """What stops a plan from being submitted (empty when it can go): at least one main
    objective, an indicator on each, and each cascading from the supervisor's objectives
    when there is a supervisor."""
    objectives = list(objectives)
    problems: list[DomainError] = []
    if not any(o.main for o in objectives):
        problems.append(DomainError(N_("Add at least one main objective.")))
    for objective in objectives:
        if not objective.indicators:
            problems.append(
                DomainError(
                    N_("Objective “%(objective)s” has no indicator."), objective=objective.text
                )
            )
    if has_supervisor:
        for objective in objectives:
            if not objective.cascades:
                problems.append(
                    DomainError(
                        N_(
                            "Objective “%(objective)s” does not cascade from a supervisor's "
                            "objective."
                        ),
                        objective=objective.text,
                    )
                )
    return problems
