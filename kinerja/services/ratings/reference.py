"""One plan's rating by the pure rules of :mod:`kinerja.domain.ratings`, from its facts.

The reference the set-based statement (:mod:`kinerja.services.ratings.statement`) is checked
against, row by row, in the tests and the bench; the job also rates plans under revision
with it (their approved version is a snapshot). Both write the same values and the same
explanation (see :func:`explanation`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kinerja.domain.planning import Direction, ObjectiveKind
from kinerja.domain.ratings import (
    Level,
    Predikat,
    accumulate,
    achievement,
    indicator_level,
    predikat,
    suggest_behaviour,
    suggest_results_from_levels,
    unit_head_results,
)
from kinerja.services.ratings.facts import PlanFacts


@dataclass(frozen=True)
class Line:
    """One indicator: its achievement (measurable and reported) and its level, if any."""

    id: int
    main: bool
    achievement: float | None
    level: Level | None


@dataclass(frozen=True)
class RatingValues:
    """The values of one rating, as the job writes them (codes, not enum members, so that
    both ways of computing compare equal)."""

    employee_id: int
    work_plan_id: int
    unit_id: int
    final: bool
    predikat: str | None
    results: str
    behaviour: str | None
    suggested_results: str
    suggested_behaviour: str | None
    explanation: dict[str, Any]

    def row(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def lines(facts: PlanFacts, above_at: int, expected_at: int) -> list[Line]:
    """Achievement and level per indicator of the approved version: the year's realizations
    accumulated against the annual target; a qualitative one by its latest given level."""
    result = []
    for indicator in facts.indicators:
        main = indicator.objective.kind == ObjectiveKind.MAIN
        if indicator.qualitative:
            result.append(Line(indicator.id, main, None, facts.given_levels.get(indicator.id)))
            continue
        assert indicator.target is not None
        to_date = accumulate(facts.values.get(indicator.id, ()), indicator.accumulation)
        if to_date is None:
            result.append(Line(indicator.id, main, None, None))
            continue
        percent = achievement(
            indicator.target, to_date, indicator.direction == Direction.LESS_IS_BETTER
        )
        level = indicator_level(percent, above_at, expected_at)
        result.append(Line(indicator.id, main, percent, level))
    return result


def rate(facts: PlanFacts, above_at: int, expected_at: int) -> RatingValues:
    """The rating of one plan: final from the approved annual evaluation, else provisional
    from the suggested results and the latest periodic evaluation's behaviour."""
    found = lines(facts, above_at, expected_at)
    from_indicators = suggest_results_from_levels(
        (line.level, line.main) for line in found if line.level is not None
    )
    suggested = (
        unit_head_results(facts.unit_predikat)
        if facts.unit_predikat is not None
        else from_indicators
    )
    evaluation = facts.evaluation
    suggested_behaviour: Level | None = None
    if evaluation is not None:
        suggested_behaviour = (
            suggest_behaviour(evaluation.value_levels)
            if evaluation.value_levels
            else evaluation.suggested_behaviour
        )
    final = evaluation is not None and evaluation.annual
    results = (evaluation.results or suggested) if final and evaluation else suggested
    behaviour = (evaluation.behaviour if evaluation else None) or suggested_behaviour
    grade: Predikat | None = predikat(results, behaviour) if behaviour is not None else None
    return RatingValues(
        employee_id=facts.employee_id,
        work_plan_id=facts.plan_id,
        unit_id=facts.unit_id,
        final=final,
        predikat=_code(grade),
        results=results.value,
        behaviour=_code(behaviour),
        suggested_results=suggested.value,
        suggested_behaviour=_code(suggested_behaviour),
        explanation=explanation(facts, found, from_indicators, suggested, suggested_behaviour),
    )


def explanation(
    facts: PlanFacts,
    found: list[Line],
    from_indicators: Level,
    suggested: Level,
    suggested_behaviour: Level | None,
) -> dict[str, Any]:
    """What drove a rating, as stored in ``Rating.explanation``::

    source             "annual" | "periodic" | null — where the given levels come from
    evaluation         that evaluation's id, or null
    counted, above, as_expected, below
                       indicators counted in the suggestion, by level
    unreported         indicators without a realization (or a given level) yet
    main_below         [{"id", "achievement"}] main indicators below expectations
                       (achievement null for a qualitative one), by id
    strongest, weakest {"id", "achievement"} of the highest and lowest achievement
    indicator_results  the suggestion from the indicators alone
    unit_predikat      the unit's predikat a head's suggestion followed, or null
    results, behaviour {"suggested", "given"}: the levels suggested and those the
                       supervisor gave in that evaluation (null where none)
    """
    counted = [line for line in found if line.level is not None]
    measured = [line for line in found if line.achievement is not None]
    strongest = max(measured, key=lambda line: (line.achievement, -line.id), default=None)
    weakest = min(measured, key=lambda line: (line.achievement, -line.id), default=None)
    evaluation = facts.evaluation
    source = None if evaluation is None else ("annual" if evaluation.annual else "periodic")
    return {
        "source": source,
        "evaluation": evaluation.id if evaluation else None,
        "counted": len(counted),
        "above": sum(1 for line in counted if line.level == Level.ABOVE),
        "as_expected": sum(1 for line in counted if line.level == Level.AS_EXPECTED),
        "below": sum(1 for line in counted if line.level == Level.BELOW),
        "unreported": len(found) - len(counted),
        "main_below": [
            {"id": line.id, "achievement": line.achievement}
            for line in sorted(counted, key=lambda line: line.id)
            if line.main and line.level == Level.BELOW
        ],
        "strongest": _mark(strongest),
        "weakest": _mark(weakest),
        "indicator_results": from_indicators.value,
        "unit_predikat": _code(facts.unit_predikat),
        "results": {
            "suggested": suggested.value,
            "given": _code(evaluation.results if evaluation else None),
        },
        "behaviour": {
            "suggested": _code(suggested_behaviour),
            "given": _code(evaluation.behaviour if evaluation else None),
        },
    }


def _mark(line: Line | None) -> dict[str, Any] | None:
    return None if line is None else {"id": line.id, "achievement": line.achievement}


def _code(value: Any) -> str | None:
    return None if value is None else str(getattr(value, "value", value))
