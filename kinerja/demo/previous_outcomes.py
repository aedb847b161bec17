"""One planner's previous year: the realizations of the quarters and what each evaluation
decided, made to land on the planner's target levels (:mod:`kinerja.demo.previous_curve`).

The realizations are drawn around the targets so that the indicators suggest the target's
results; the suggestions kept with each evaluation are then computed from them by the
product's own rules (:mod:`kinerja.domain.ratings`), exactly as the report page would. An
evaluator's style makes some given levels differ from the suggestions (calibration
evidence): the annual evaluation gives the target's levels, its suggestions then lie one
step away. Pure: seeded random draws, no database.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kinerja.demo.previous_curve import Target
from kinerja.demo.previous_year_data import EvaluatorStyle, Story
from kinerja.domain.planning import Accumulation
from kinerja.domain.ratings import (
    Level,
    Predikat,
    accumulate,
    achievement,
    indicator_level,
    periodic_target,
    predikat,
    suggest_behaviour,
    suggest_results_from_levels,
)
from kinerja.domain.reporting import ReportStatus

QUARTERS = 4
_CENT, _ONE = Decimal("0.01"), Decimal(1)
_PERCENT = "%"
_STEPS = (Level.BELOW, Level.AS_EXPECTED, Level.ABOVE)
# Achievement drawn for an indicator meant to be suggested at a level (percent).
_BANDS = {Level.ABOVE: (107, 125), Level.AS_EXPECTED: (96, 104), Level.BELOW: (70, 92)}


@dataclass(frozen=True)
class Line:
    """An indicator of the plan, as the year needs it."""

    target: Decimal | None  # None: qualitative
    unit: str | None
    accumulation: Accumulation
    less_is_better: bool
    main: bool


@dataclass(frozen=True)
class Judged:
    """An approved evaluation: given and suggested levels, the values' levels (in the
    BerAKHLAK values' order) and the levels of the qualitative lines (in their order)."""

    results: Level
    behaviour: Level
    suggested_results: Level
    suggested_behaviour: Level
    values: tuple[Level, ...]
    qualitative: tuple[Level, ...]

    @property
    def predikat(self) -> Predikat:
        return predikat(self.results, self.behaviour)


@dataclass(frozen=True)
class Quarter:
    state: ReportStatus  # approved, or a draft never submitted
    values: tuple[Decimal | None, ...]  # per line; None: a qualitative line (described)
    suggested_results: Level  # kept at the submission, as the product does
    judged: Judged | None  # when approved


@dataclass(frozen=True)
class Year:
    quarters: tuple[Quarter, ...]
    annual: Judged | None


def step(level: Level, towards: Level) -> Level | None:
    """The level one step from ``level`` towards above or below (None: none that way)."""
    index = _STEPS.index(level) + (1 if towards == Level.ABOVE else -1)
    return _STEPS[index] if 0 <= index < len(_STEPS) else None


def away(level: Level, towards: Level) -> Level:
    """The level one step against ``towards``, or ``level`` itself at the end of the scale."""
    return step(level, Level.BELOW if towards == Level.ABOVE else Level.ABOVE) or level


def draw_values(rng: random.Random, level: Level, count: int) -> tuple[Level, ...]:
    """``count`` value ratings whose suggestion (a strict majority) is ``level``."""
    majority = count // 2 + 1
    if level == Level.ABOVE:
        levels = [Level.ABOVE] * rng.randint(majority, count)
    elif level == Level.BELOW:
        levels = [Level.BELOW] * rng.randint(majority, max(majority, count - 1))
    else:
        levels = [Level.ABOVE] * rng.randint(0, majority - 1)
        levels += [Level.BELOW] * rng.randint(0, min(1, count - majority - len(levels) + 1))
    levels += [Level.AS_EXPECTED] * (count - len(levels))
    rng.shuffle(levels)
    return tuple(levels)


def _quantize(value: Decimal, whole: bool) -> Decimal:
    return max(value.quantize(_ONE if whole else _CENT, rounding=ROUND_HALF_UP), Decimal(0))


def line_values(rng: random.Random, line: Line, aim: Level) -> list[Decimal | None]:
    """The four quarters' realizations of ``line`` for a year achieved in ``aim``'s band."""
    if line.target is None:
        return [None] * QUARTERS
    low, high = _BANDS[aim]
    factor = Decimal(rng.randint(low * 10, high * 10)) / 1000
    year = line.target * (2 - factor if line.less_is_better else factor)
    whole = line.accumulation == Accumulation.SUM and line.target == line.target.to_integral()
    if line.accumulation == Accumulation.SUM:
        weights = [Decimal(rng.randint(80, 120)) for _ in range(QUARTERS)]
        total = sum(weights, Decimal(0))
        parts = [_quantize(year * w / total, whole) for w in weights[:-1]]
        values = [*parts, max(_quantize(year, whole) - sum(parts, Decimal(0)), Decimal(0))]
    elif line.accumulation == Accumulation.LAST:
        values = [_quantize(year * Decimal(rng.randint(85, 102)) / 100, False) for _ in range(3)]
        values.append(_quantize(year, False))
    else:
        drifts = [Decimal(rng.randint(-12, 12)) for _ in range(QUARTERS)]
        centre = sum(drifts, Decimal(0)) / QUARTERS
        values = [_quantize(year * (100 + d - centre) / 100, False) for d in drifts]
    if line.unit == _PERCENT:  # a percentage stops at 100
        values = [min(v, Decimal(100)) for v in values]
    return list(values)


def suggestion(
    lines: Sequence[Line],
    values: Sequence[Sequence[Decimal | None]],
    number: int,
    qualitative: Sequence[Level],
    thresholds: tuple[int, int],
) -> Level:
    """The results the product suggests after quarter ``number``: year to date against the
    target due by then, qualitative lines at the levels given (domain.md)."""
    levels: list[tuple[Level, bool]] = []
    given = iter(qualitative)
    for index, line in enumerate(lines):
        if line.target is None:
            levels.append((next(given), line.main))
            continue
        to_date = accumulate([values[q][index] for q in range(number)], line.accumulation)
        if to_date is None:
            continue
        due = periodic_target(line.target, line.accumulation, number, QUARTERS)
        percent = achievement(due, to_date, line.less_is_better)
        levels.append((indicator_level(percent, *thresholds), line.main))
    return suggest_results_from_levels(levels)


@dataclass(frozen=True)
class Planner:
    """What one planner's year is made from."""

    lines: tuple[Line, ...]
    story: Story
    target: Target
    style: EvaluatorStyle
    head_results: Level | None  # a head's suggestion, from the unit predikat
    value_count: int


def play_year(rng: random.Random, who: Planner, thresholds: tuple[int, int]) -> Year:
    """The planner's quarters and annual evaluation (see the module's docstring)."""
    target, style = who.target, who.style
    differs = who.story.annual and rng.random() < who.style.differs
    aim = away(target.results, style.towards) if differs else target.results
    by_line = [line_values(rng, line, aim) for line in who.lines]
    values = [tuple(column[q] for column in by_line) for q in range(QUARTERS)]
    described = tuple(aim for line in who.lines if line.target is None)
    quarters = []
    last_approved = max(
        (n for n, s in enumerate(who.story.quarters, 1) if s == ReportStatus.APPROVED), default=0
    )
    for number, state in enumerate(who.story.quarters, start=1):
        suggested = suggestion(who.lines, values, number, described, thresholds)
        judged = None
        if state == ReportStatus.APPROVED:
            kept = number == last_approved and not who.story.annual
            judged = _judge(rng, who, suggested, described, kept)
        quarters.append(Quarter(state, values[number - 1], suggested, judged))
    annual = None
    if who.story.annual:
        suggested = who.head_results or suggestion(
            who.lines, values, QUARTERS, described, thresholds
        )
        behaviour_differs = rng.random() < style.differs
        shown = away(target.behaviour, style.towards) if behaviour_differs else target.behaviour
        ratings = draw_values(rng, shown, who.value_count)
        annual = Judged(target.results, target.behaviour, suggested, shown, ratings, described)
    return Year(tuple(quarters), annual)


def _judge(
    rng: random.Random,
    who: Planner,
    suggested: Level,
    described: tuple[Level, ...],
    kept: bool,
) -> Judged:
    """A quarter's evaluation: the behaviour rated for the target, and levels that follow
    the suggestions but for the evaluator's style. The last one of a year without annual
    evaluation keeps the target's behaviour: the provisional rating reads it."""
    ratings = draw_values(rng, who.target.behaviour, who.value_count)
    behaviour = suggest_behaviour(ratings)
    results = suggested
    if rng.random() < who.style.differs:
        results = step(suggested, who.style.towards) or suggested
    if not kept and rng.random() < who.style.differs / 2:
        behaviour = step(behaviour, who.style.towards) or behaviour
    return Judged(results, behaviour, suggested, suggest_behaviour(ratings), ratings, described)
