"""The texts of the demo's plans and reports: plans.toml, reports.toml and activities.csv.

Typed records; each file is read once and checked as it is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from kinerja.demo.datafiles import as_decimal, read_csv, read_toml, reading
from kinerja.domain.planning import Accumulation, Aspect, ObjectiveKind, PlanStatus
from kinerja.domain.ratings import Level
from kinerja.domain.reporting import ReportStatus


@dataclass(frozen=True)
class IndicatorSpec:
    text: str
    aspect: Aspect
    target: Decimal
    unit: str
    accumulation: Accumulation


@dataclass(frozen=True)
class Goal:
    text: str
    indicators: tuple[IndicatorSpec, ...]
    kind: ObjectiveKind = ObjectiveKind.MAIN
    parent: int | None = None  # index of the supervisor's objective it cascades from


@dataclass(frozen=True)
class PlanTexts:
    period_name: str
    strategic_goal: str
    template_name: str
    return_reason: str
    staff_states: tuple[PlanStatus, ...]
    expectations: Mapping[str, str]  # by BerAKHLAK value code
    goals: Mapping[str, tuple[Goal, ...]]  # by link of the chain


@dataclass(frozen=True)
class ReportTexts:
    stories: tuple[tuple[ReportStatus, ...], ...]
    performance: tuple[Decimal, ...]
    note: str
    evidence_title: str
    evidence_description: str
    return_reason: str
    feedback: Mapping[Level, str]


@dataclass(frozen=True)
class ActivitySpec:
    description: str
    minutes: int


def _goal(table: Mapping[str, Any]) -> Goal:
    parent = table.get("parent")
    return Goal(
        text=str(table["text"]),
        indicators=tuple(
            IndicatorSpec(
                text=str(item["text"]),
                aspect=Aspect(item["aspect"]),
                target=as_decimal(item["target"]),
                unit=str(item["unit"]),
                accumulation=Accumulation(item["accumulation"]),
            )
            for item in table["indicators"]
        ),
        kind=ObjectiveKind(table.get("kind", ObjectiveKind.MAIN)),
        parent=None if parent is None else int(parent),
    )


# The links of the chain that have goals (see planning.py).
PLAN_LINKS = ("sekda", "opd_head", "kadinkes", "kabid_p2p", "kasi_surv", "staff_surv")


@cache
def plan_texts() -> PlanTexts:
    """The plans of Dinas Kesehatan's chain and the other OPD heads."""
    with reading("plans.toml"):
        data = read_toml("plans.toml")
        if missing := set(PLAN_LINKS) - set(data["goals"]):
            raise ValueError(f"no goals for {sorted(missing)}")
        return PlanTexts(
            period_name=str(data["period_name"]),
            strategic_goal=str(data["strategic_goal"]),
            template_name=str(data["template_name"]),
            return_reason=str(data["return_reason"]),
            staff_states=tuple(PlanStatus(state) for state in data["staff_states"]),
            expectations={str(k): str(v) for k, v in data["expectations"].items()},
            goals={
                str(link): tuple(_goal(goal) for goal in goals)
                for link, goals in data["goals"].items()
            },
        )


REPORT_ENDS = (ReportStatus.APPROVED, ReportStatus.SUBMITTED, ReportStatus.RETURNED)


@cache
def report_texts() -> ReportTexts:
    """The reports' stories and what the staff and their supervisor write in them."""
    with reading("reports.toml"):
        data = read_toml("reports.toml")
        stories = tuple(tuple(ReportStatus(s) for s in story) for story in data["stories"])
        if any(state not in REPORT_ENDS for story in stories for state in story):
            raise ValueError(f"a report ends approved, submitted or returned: {stories}")
        feedback = {Level(k): str(v) for k, v in data["feedback"].items()}
        if missing := {Level.ABOVE, Level.AS_EXPECTED} - set(feedback):
            raise ValueError(f"no feedback for {sorted(missing)}")
        return ReportTexts(
            stories=stories,
            performance=tuple(as_decimal(value) for value in data["performance"]),
            note=str(data["note"]),
            evidence_title=str(data["evidence_title"]),
            evidence_description=str(data["evidence_description"]),
            return_reason=str(data["return_reason"]),
            feedback=feedback,
        )


@cache
def activities() -> tuple[ActivitySpec, ...]:
    """The daily activities the staff log, drawn at random."""
    with reading("activities.csv"):
        return tuple(
            ActivitySpec(row["description"], int(row["minutes"]))
            for row in read_csv("activities.csv")
        )
