"""The data of the demo's previous year: previous_year.toml (who planned, how the year went,
the spreads, the evaluators' styles, the texts) and previous_goals.toml (generic plans by
position kind).

Typed records; each file is read once and checked as it is read: shares, levels that give
the predikat they are listed under (by the rating matrix), a spread for every unit predikat.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from kinerja.demo.datafiles import as_decimal, as_strings, read_toml, reading
from kinerja.domain.org import PositionKind
from kinerja.domain.planning import Accumulation, Aspect, ObjectiveKind
from kinerja.domain.ratings import Level, Predikat, UnitPredikat, predikat
from kinerja.domain.reporting import ReportStatus

NOT_SET = "none"  # a unit whose predikat was not set
BREAKING = "breaking"  # the spread of a unit that breaks its curve
_REPORTED = (ReportStatus.APPROVED, ReportStatus.DRAFT)


@dataclass(frozen=True)
class GoalIndicator:
    text: str
    aspect: Aspect
    accumulation: Accumulation
    target: Decimal | None  # None: qualitative
    unit: str | None

    @property
    def qualitative(self) -> bool:
        return self.target is None


@dataclass(frozen=True)
class GoalObjective:
    text: str
    kind: ObjectiveKind
    parent: int | None  # index of the supervisor's objective it cascades from
    indicators: tuple[GoalIndicator, ...]


@dataclass(frozen=True)
class Story:
    """How a planner's year went: each quarter's report as it ended (approved, or a draft
    never submitted), and whether the annual report was evaluated."""

    name: str
    share: int
    quarters: tuple[ReportStatus, ...]
    annual: bool

    @property
    def rated(self) -> bool:
        """Whether some evaluation was approved, so that the rating has a predikat."""
        return self.annual or ReportStatus.APPROVED in self.quarters


@dataclass(frozen=True)
class LevelPair:
    results: Level
    behaviour: Level
    share: int


@dataclass(frozen=True)
class EvaluatorStyle:
    name: str
    share: int
    differs: float  # how often a given level differs from the suggestion
    towards: Level  # and which way: above (lenient) or below (strict)


@dataclass(frozen=True)
class YearTexts:
    report_note: tuple[str, ...]
    annual_note: str
    qualitative_note: tuple[str, ...]
    feedback: Mapping[Predikat, str]
    unit_note: Mapping[UnitPredikat, str]


@dataclass(frozen=True)
class YearPlan:
    seed: int
    plan_share: float
    max_planners: int
    stories: tuple[Story, ...]
    unit_predikat: Mapping[str, int]  # UnitPredikat code or NOT_SET → weight
    breaking_units: tuple[str, ...]
    breaking_share: float
    breaking_predikat: UnitPredikat
    spread: Mapping[str, Mapping[Predikat, int]]  # UnitPredikat code, NOT_SET or BREAKING
    levels: Mapping[Predikat, tuple[LevelPair, ...]]
    evaluators: tuple[EvaluatorStyle, ...]
    texts: YearTexts

    @property
    def complete(self) -> Story:
        """The story of a whole year, evaluated to the end."""
        return next(story for story in self.stories if story.annual)


def _share(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"a share is a whole number of 0 or more: {value!r}")
    return value


def _fraction(value: object) -> float:
    number = float(as_decimal(value))
    if not 0 <= number <= 1:
        raise ValueError(f"not between 0 and 1: {value!r}")
    return number


def _story(table: Mapping[str, Any]) -> Story:
    quarters = tuple(ReportStatus(state) for state in as_strings(table["quarters"]))
    if any(state not in _REPORTED for state in quarters) or len(quarters) > 4:
        raise ValueError(f"up to four quarters, approved or draft: {quarters}")
    annual = bool(table["annual"])
    if annual and quarters != (ReportStatus.APPROVED,) * 4:
        raise ValueError("an annual evaluation follows four approved quarters")
    return Story(str(table["name"]), _share(table["share"]), quarters, annual)


def _pairs(grade: Predikat, items: list[Mapping[str, Any]]) -> tuple[LevelPair, ...]:
    pairs = tuple(
        LevelPair(Level(item["results"]), Level(item["behaviour"]), _share(item["share"]))
        for item in items
    )
    for pair in pairs:
        if predikat(pair.results, pair.behaviour) != grade:
            raise ValueError(f"{pair.results} × {pair.behaviour} does not give {grade}")
    return pairs


def _spread(table: Mapping[str, Any]) -> dict[Predikat, int]:
    spread = {Predikat(code): _share(share) for code, share in table.items()}
    if not sum(spread.values()):
        raise ValueError(f"an empty spread: {table}")
    return spread


def _texts(table: Mapping[str, Any]) -> YearTexts:
    feedback = {Predikat(k): str(v) for k, v in table["feedback"].items()}
    notes = {UnitPredikat(k): str(v) for k, v in table["unit_note"].items()}
    if set(feedback) != set(Predikat) or set(notes) != set(UnitPredikat):
        raise ValueError("feedback for every predikat and a note for every unit predikat")
    return YearTexts(
        report_note=as_strings(table["report_note"]),
        annual_note=str(table["annual_note"]),
        qualitative_note=as_strings(table["qualitative_note"]),
        feedback=feedback,
        unit_note=notes,
    )


@cache
def year_plan() -> YearPlan:
    """Who planned, how the year went and the spreads (previous_year.toml)."""
    with reading("previous_year.toml"):
        data = read_toml("previous_year.toml")
        unit_predikat = {str(k): _share(v) for k, v in data["unit_predikat"].items()}
        wanted = {p.value for p in UnitPredikat} | {NOT_SET}
        if set(unit_predikat) - wanted or not sum(unit_predikat.values()):
            raise ValueError(f"unit predikat weights by {sorted(wanted)}")
        spread = {str(k): _spread(v) for k, v in data["spread"].items()}
        if missing := (wanted | {BREAKING}) - set(spread):
            raise ValueError(f"no spread for {sorted(missing)}")
        stories = tuple(_story(story) for story in data["story"])
        if not any(story.annual for story in stories):
            raise ValueError("no story of a whole year (annual = true)")
        levels = {Predikat(k): _pairs(Predikat(k), v) for k, v in data["levels"].items()}
        if set(levels) != set(Predikat):
            raise ValueError("levels for every predikat")
        return YearPlan(
            seed=int(data["seed"]),
            plan_share=_fraction(data["plan_share"]),
            max_planners=_share(data["max_planners"]),
            stories=stories,
            unit_predikat=unit_predikat,
            breaking_units=as_strings(data["breaking_units"]),
            breaking_share=_fraction(data["breaking_share"]),
            breaking_predikat=UnitPredikat(data["breaking_predikat"]),
            spread=spread,
            levels=levels,
            evaluators=tuple(
                EvaluatorStyle(
                    name=str(style["name"]),
                    share=_share(style["share"]),
                    differs=_fraction(style["differs"]),
                    towards=Level(style["towards"]),
                )
                for style in data["evaluator"]
            ),
            texts=_texts(data["texts"]),
        )


def _indicator(table: Mapping[str, Any]) -> GoalIndicator:
    qualitative = bool(table.get("qualitative", False))
    if qualitative and ("target" in table or "unit" in table):
        raise ValueError(f"a qualitative indicator has no target or unit: {table['text']}")
    target = None if qualitative else as_decimal(table["target"]).quantize(Decimal("0.01"))
    if target is not None and target <= 0:
        raise ValueError(f"the target must be greater than 0: {table['text']}")
    return GoalIndicator(
        text=str(table["text"]),
        aspect=Aspect(table["aspect"]),
        accumulation=Accumulation(table["accumulation"]),
        target=target,
        unit=None if qualitative else str(table["unit"]),
    )


def _objective(table: Mapping[str, Any]) -> GoalObjective:
    parent = table.get("parent")
    return GoalObjective(
        text=str(table["text"]),
        kind=ObjectiveKind(table.get("kind", ObjectiveKind.MAIN)),
        parent=None if parent is None else int(parent),
        indicators=tuple(_indicator(item) for item in table["indicators"]),
    )


@cache
def goal_variants() -> Mapping[PositionKind, tuple[tuple[GoalObjective, ...], ...]]:
    """The plans one may draw, by position kind (previous_goals.toml)."""
    with reading("previous_goals.toml"):
        data = read_toml("previous_goals.toml")
        variants = {
            PositionKind(kind): tuple(
                tuple(_objective(objective) for objective in variant["objectives"])
                for variant in items
            )
            for kind, items in data.items()
        }
        if missing := set(PositionKind) - set(variants):
            raise ValueError(f"no plans for {sorted(missing)}")
        plans = [plan for options in variants.values() for plan in options]
        if any(not plan or not all(o.indicators for o in plan) for plan in plans):
            raise ValueError("every plan has objectives, every objective indicators")
        return variants
