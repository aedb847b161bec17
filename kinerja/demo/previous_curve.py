"""How the demo's previous year turns out per unit: the unit predikat its head's supervisor
set, whether its evaluators broke the curve, and the results and behaviour each planner was
rated on, so that a unit's predikat follow the spread of its unit predikat (or clearly do
not, in a breaking unit).

Pure: seeded random draws over the data of previous_year.toml, no database.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeVar

from kinerja.demo.previous_year_data import (
    BREAKING,
    NOT_SET,
    EvaluatorStyle,
    Story,
    YearPlan,
)
from kinerja.domain.ratings import Level, Predikat, UnitPredikat, unit_head_results

T = TypeVar("T")
# Among equal remainders the lower grade gets the seat: a small unit then has its one
# Butuh Perbaikan rather than a third Sangat Baik.
_WORSE_LATER = {grade: index for index, grade in enumerate(Predikat)}
# A head's behaviour, when the unit predikat sets the results.
_HEAD_BEHAVIOUR = (Level.AS_EXPECTED, Level.AS_EXPECTED, Level.ABOVE)


@dataclass(frozen=True)
class Target:
    """The levels a planner's year is rated on (the annual evaluation gives them)."""

    results: Level
    behaviour: Level


@dataclass(frozen=True)
class Member:
    """A planner of a unit, as the curve sees them."""

    employee_id: int
    is_head: bool
    story: Story


@dataclass(frozen=True)
class UnitYear:
    unit_predikat: UnitPredikat | None
    breaking: bool
    targets: Mapping[int, Target]  # by employee id, for the members whose rating is rated


def weighted(rng: random.Random, choices: Sequence[tuple[T, int]]) -> T:
    """One of ``choices`` (item, weight), drawn by weight."""
    items = [item for item, _ in choices]
    return rng.choices(items, weights=[weight for _, weight in choices])[0]


def draw_story(rng: random.Random, plan: YearPlan) -> Story:
    return weighted(rng, [(story, story.share) for story in plan.stories])


def draw_style(rng: random.Random, plan: YearPlan) -> EvaluatorStyle:
    return weighted(rng, [(style, style.share) for style in plan.evaluators])


def allot(spread: Mapping[Predikat, int], count: int) -> list[Predikat]:
    """``count`` grades following ``spread`` (percent by grade), by largest remainder."""
    total = sum(spread.values())
    exact = {grade: Fraction(count * share, total) for grade, share in spread.items()}
    seats = {grade: int(share) for grade, share in exact.items()}
    left = count - sum(seats.values())
    by_remainder = sorted(exact, key=lambda g: (exact[g] - seats[g], _WORSE_LATER[g]))
    for grade in by_remainder[::-1][:left]:
        seats[grade] += 1
    return [grade for grade in Predikat for _ in range(seats.get(grade, 0))]


def unit_year(
    rng: random.Random, plan: YearPlan, members: Sequence[Member], breaking: bool
) -> UnitYear:
    """The unit predikat and each rated member's target (see the module's docstring)."""
    rated = [m for m in members if m.story.rated]
    if breaking:
        unit_predikat: UnitPredikat | None = plan.breaking_predikat
        spread = plan.spread[BREAKING]
    else:
        code = weighted(rng, sorted(plan.unit_predikat.items()))
        unit_predikat = None if code == NOT_SET else UnitPredikat(code)
        spread = plan.spread[code]
    targets: dict[int, Target] = {}
    heads = [m for m in rated if m.is_head]
    if heads and unit_predikat is not None and not breaking:
        behaviour = rng.choice(_HEAD_BEHAVIOUR)
        targets[heads[0].employee_id] = Target(unit_head_results(unit_predikat), behaviour)
    others = [m for m in rated if m.employee_id not in targets]
    grades = allot(spread, len(others))
    rng.shuffle(grades)
    for member, grade in zip(others, grades, strict=True):
        pair = weighted(rng, [(p, p.share) for p in plan.levels[grade]])
        targets[member.employee_id] = Target(pair.results, pair.behaviour)
    return UnitYear(unit_predikat, breaking, targets)
