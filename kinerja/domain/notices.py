"""When people are told about deadlines: reminders before a planning, reporting or
evaluation deadline, the overdue notice after it, the escalations to the supervisor and to
the unit's Operator, and the weekday of the supervisors' digest.

Pure: no Flask, no database. Dates are calendar days (the deadline day itself still
counts as on time); weekends and holidays are not special, as nothing in the regulation or
the project's rules makes them so. Each stage may be sent during a catch-up window of
:data:`CATCH_UP_DAYS` days after the day it falls due, so that a worker that was down for a
day or two still sends it (once: the sending job keys each email), and a stage missed for
longer is not sent late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

__all__ = [
    "CATCH_UP_DAYS",
    "DeadlineRules",
    "Stage",
    "Step",
    "deadline_window",
    "digest_due",
    "due_stages",
    "iso_week",
    "parse_weekday",
]

CATCH_UP_DAYS = 7


class Step(StrEnum):
    """What a deadline is for, and so who has to act before it."""

    PLANNING = "planning"  # the employee submits the plan (SKP)
    REPORTING = "reporting"  # the employee submits the periodic report
    EVALUATION = "evaluation"  # the direct supervisor decides the report


class Stage(StrEnum):
    """The notices about one deadline, in the order they fall due."""

    BEFORE = "before"  # to whoever has to act
    OVERDUE = "overdue"  # to whoever has to act
    SUPERVISOR = "supervisor"  # to their supervisor
    OPERATOR = "operator"  # to their unit's Operator(s)


@dataclass(frozen=True)
class DeadlineRules:
    """The settings: remind ``days_before`` the deadline, escalate to the supervisor
    ``supervisor_after`` days and to the Operator ``operator_after`` days after it."""

    days_before: int = 3
    supervisor_after: int = 3
    operator_after: int = 7

    def __post_init__(self) -> None:
        if min(self.days_before, self.supervisor_after, self.operator_after) < 0:
            raise ValueError("deadline rules count days: none may be negative")
        if self.supervisor_after < 1 or self.operator_after < 1:
            raise ValueError("an escalation comes at least one day after the deadline")

    def falls_due(self, deadline: date) -> dict[Stage, date]:
        """The first day of each stage for ``deadline``."""
        return {
            Stage.BEFORE: deadline - timedelta(days=self.days_before),
            Stage.OVERDUE: deadline + timedelta(days=1),
            Stage.SUPERVISOR: deadline + timedelta(days=self.supervisor_after),
            Stage.OPERATOR: deadline + timedelta(days=self.operator_after),
        }


def due_stages(deadline: date, today: date, rules: DeadlineRules) -> list[Stage]:
    """The stages of ``deadline`` to send today (to those who still have not acted).

    The reminder runs from ``days_before`` the deadline to the deadline day itself; every
    other stage from the day it falls due for :data:`CATCH_UP_DAYS` days."""
    due: list[Stage] = []
    for stage, first in rules.falls_due(deadline).items():
        last = deadline if stage is Stage.BEFORE else first + timedelta(days=CATCH_UP_DAYS - 1)
        if first <= today <= last:
            due.append(stage)
    return due


def deadline_window(today: date, rules: DeadlineRules) -> tuple[date, date]:
    """The deadlines (first, last) for which some stage may be due today: what a job
    has to look at."""
    latest_stage = max(rules.supervisor_after, rules.operator_after, 1)
    return today - timedelta(days=latest_stage + CATCH_UP_DAYS - 1), today + timedelta(
        days=rules.days_before
    )


_WEEKDAYS = {
    **{name: n for n, name in enumerate(("monday", "tuesday", "wednesday", "thursday"), 1)},
    **{name: n for n, name in enumerate(("friday", "saturday", "sunday"), 5)},
    **{name: n for n, name in enumerate(("senin", "selasa", "rabu", "kamis"), 1)},
    **{name: n for n, name in enumerate(("jumat", "sabtu", "minggu"), 5)},
}


def parse_weekday(text: str | int) -> int:
    """An ISO weekday (Monday 1 … Sunday 7) from its number, its English or Indonesian
    name or their first three letters (``monday``, ``Mon``, ``senin``, ``1``)."""
    value = str(text).strip().lower().replace("'", "").replace("’", "")
    if value.isdigit() and 1 <= int(value) <= 7:
        return int(value)
    if value in _WEEKDAYS:
        return _WEEKDAYS[value]
    matches = {n for name, n in _WEEKDAYS.items() if len(value) >= 3 and name.startswith(value)}
    if len(matches) == 1:
        return matches.pop()
    raise ValueError(f"not a weekday: {text!r}")


def digest_due(today: date, weekday: int) -> bool:
    """Whether the weekly digest goes out today (its ISO weekday)."""
    return today.isoweekday() == weekday


def iso_week(day: date) -> str:
    """The ISO week of ``day`` (``2026-W03``): one digest per supervisor and week."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
