"""Rating rules: indicator achievement, suggested levels, the predikat matrix, year-to-date
realization and the unit's distribution curve.

Pure: no Flask, no database. Every function accepts enum members or their string codes, and
numbers as ``int``, ``float``, ``Decimal`` or numeric strings; arithmetic is done in ``Decimal``
so that a percentage on screen, in the API and in a report is the same number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext
from typing import TypeAlias, TypeVar

from kinerja.domain.errors import N_, DomainError
from kinerja.domain.org import LabeledEnum
from kinerja.domain.planning import Accumulation

__all__ = [
    "Level",
    "Number",
    "Predikat",
    "RuleMessage",
    "UnitPredikat",
    "accumulate",
    "achievement",
    "check_distribution",
    "expected_distribution",
    "expectation_holds",
    "indicator_level",
    "periodic_target",
    "predikat",
    "suggest_behaviour",
    "suggest_results",
    "suggest_results_from_levels",
    "unit_head_results",
]

Number: TypeAlias = Decimal | float | int | str

# Generous precision so that one division followed by one rounding is exact for any
# realistic target and realization, whatever the caller's decimal context is.
_CONTEXT = Context(prec=60)
# Predikat or its code; a type variable because Mapping is invariant in its key, so that
# both dict[Predikat, int] and dict[str, int] are accepted.
_Key = TypeVar("_Key", bound=str)
_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")
_HUNDRED = Decimal(100)


class Level(LabeledEnum):
    """The three levels on which results and behaviour are each rated (PermenPANRB 6/2022)."""

    ABOVE = "above", N_("Above expectations")
    AS_EXPECTED = "as_expected", N_("As expected")
    BELOW = "below", N_("Below expectations")


class Predikat(LabeledEnum):
    """An employee's final grade for a period."""

    SANGAT_BAIK = "sangat_baik", N_("Very good")
    BAIK = "baik", N_("Good")
    BUTUH_PERBAIKAN = "butuh_perbaikan", N_("Needs improvement")
    KURANG = "kurang", N_("Poor/Misconduct")
    SANGAT_KURANG = "sangat_kurang", N_("Very poor")


class UnitPredikat(LabeledEnum):
    """A unit's own grade, set by its leader; it selects the expected distribution."""

    ISTIMEWA = "istimewa", N_("Outstanding")
    BAIK = "baik", N_("Good")
    BUTUH_PERBAIKAN = "butuh_perbaikan", N_("Needs improvement")
    KURANG = "kurang", N_("Poor")
    SANGAT_KURANG = "sangat_kurang", N_("Very poor")


class RuleMessage(str):
    """A warning that reads as English text and can be translated where shown.

    ``str(message)`` is the English text; the UI translates ``template`` and formats it with
    ``params``, translating the ``label`` of any :class:`LabeledEnum` among them.
    """

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, **params: object) -> RuleMessage:
        english = {
            key: value.label if isinstance(value, LabeledEnum) else value
            for key, value in params.items()
        }
        message = super().__new__(cls, template % english if params else template)
        message.template = template
        message.params = params
        return message


# results × behaviour → predikat (PermenPANRB 6/2022).
_MATRIX: dict[tuple[Level, Level], Predikat] = {
    (Level.ABOVE, Level.ABOVE): Predikat.SANGAT_BAIK,
    (Level.ABOVE, Level.AS_EXPECTED): Predikat.BAIK,
    (Level.ABOVE, Level.BELOW): Predikat.KURANG,
    (Level.AS_EXPECTED, Level.ABOVE): Predikat.BAIK,
    (Level.AS_EXPECTED, Level.AS_EXPECTED): Predikat.BAIK,
    (Level.AS_EXPECTED, Level.BELOW): Predikat.KURANG,
    (Level.BELOW, Level.ABOVE): Predikat.BUTUH_PERBAIKAN,
    (Level.BELOW, Level.AS_EXPECTED): Predikat.BUTUH_PERBAIKAN,
    (Level.BELOW, Level.BELOW): Predikat.SANGAT_KURANG,
}


def predikat(results: Level | str, behaviour: Level | str) -> Predikat:
    """The period's predikat from the two levels; behaviour below expectations is misconduct
    whatever the results, so it can never give more than Kurang."""
    return _MATRIX[(Level(results), Level(behaviour))]


def _decimal(value: Number) -> Decimal:
    """A finite ``Decimal`` from a number or numeric string; floats by their shortest repr,
    so ``0.1`` is 0.1 and not its binary approximation."""
    try:
        if isinstance(value, Decimal):
            result = value
        elif isinstance(value, float):
            result = Decimal(repr(value))
        elif isinstance(value, int | str) and not isinstance(value, bool):
            result = Decimal(value.strip() if isinstance(value, str) else value)
        else:
            raise TypeError
    except (ArithmeticError, TypeError, ValueError):
        raise DomainError(N_("“%(value)s” is not a number."), value=value) from None
    if not result.is_finite():
        raise DomainError(N_("“%(value)s” is not a finite number."), value=value)
    return result


def _round(value: Decimal, places: Decimal) -> Decimal:
    """Half-up rounding, as Indonesian reports round; beyond the precision it changes nothing."""
    with localcontext(_CONTEXT):
        try:
            return value.quantize(places, rounding=ROUND_HALF_UP)
        except InvalidOperation:
            return value


def _target(target: Number) -> Decimal:
    value = _decimal(target)
    if value <= 0:
        raise DomainError(N_("The target must be greater than 0."))
    return value


def achievement(target: Number, realization: Number, less_is_better: bool = False) -> float:
    """Achievement of an indicator in percent, rounded half-up to 2 decimals
    (PermenPANRB 8/2021).

    More is better: ``R / T × 100``. Less is better (time, cost, error rates):
    ``(2 − R / T) × 100``, never below 0, so doing in 8 days what was planned for 10 is 120 %.
    """
    goal = _target(target)
    actual = _decimal(realization)
    if actual < 0:
        raise DomainError(N_("The realization cannot be negative."))
    with localcontext(_CONTEXT):
        # One division, so that the only rounding is the final one.
        if less_is_better:
            percent = max((2 * goal - actual) * _HUNDRED / goal, Decimal(0))
        else:
            percent = actual * _HUNDRED / goal
    return float(_round(percent, _CENT))


def _thresholds(above_at: Number, expected_at: Number) -> tuple[Decimal, Decimal]:
    above, expected = _decimal(above_at), _decimal(expected_at)
    if above < expected:
        raise DomainError(
            N_(
                "The threshold for “above” (%(above)s %%) is below that for “as expected” "
                "(%(expected)s %%)."
            ),
            above=above,
            expected=expected,
        )
    return above, expected


def indicator_level(
    achievement_percent: Number, above_at: Number = 105, expected_at: Number = 95
) -> Level:
    """The suggested level of one indicator from its achievement (project rule; the
    thresholds are settings)."""
    above, expected = _thresholds(above_at, expected_at)
    percent = _decimal(achievement_percent)
    if percent >= above:
        return Level.ABOVE
    if percent >= expected:
        return Level.AS_EXPECTED
    return Level.BELOW


def _majority(levels: Iterable[Level], block_above: bool = False) -> Level:
    """Above or below only with a strict majority; a tie or a spread is as expected."""
    counted = list(levels)
    if 2 * counted.count(Level.ABOVE) > len(counted) and not block_above:
        return Level.ABOVE
    if 2 * counted.count(Level.BELOW) > len(counted):
        return Level.BELOW
    return Level.AS_EXPECTED


def suggest_results(
    indicators: Iterable[tuple[Number, bool]],
    above_at: Number = 105,
    expected_at: Number = 95,
) -> Level:
    """The suggested results level from ``(achievement_percent, is_main)`` pairs (project
    rule): above needs a majority above and no main indicator below, since exceeding side
    work must not hide a missed main result; below needs a majority below."""
    return suggest_results_from_levels(
        (indicator_level(percent, above_at, expected_at), is_main)
        for percent, is_main in indicators
    )


def suggest_results_from_levels(indicators: Iterable[tuple[Level | str, bool]]) -> Level:
    """The same rule from each indicator's level: a qualitative indicator has no
    achievement, the supervisor gives its level directly and it counts where an achievement
    would (domain.md, *Qualitative indicators*)."""
    levels: list[Level] = []
    main_below = False
    for given, is_main in indicators:
        level = Level(given)
        levels.append(level)
        main_below = main_below or (bool(is_main) and level == Level.BELOW)
    return _majority(levels, block_above=main_below)


_HEAD_RESULTS = {
    UnitPredikat.ISTIMEWA: Level.ABOVE,
    UnitPredikat.BAIK: Level.AS_EXPECTED,
    UnitPredikat.BUTUH_PERBAIKAN: Level.BELOW,
    UnitPredikat.KURANG: Level.BELOW,
    UnitPredikat.SANGAT_KURANG: Level.BELOW,
}


def unit_head_results(unit_predikat: UnitPredikat | str) -> Level:
    """The suggested results level of a unit's head follows the unit's own predikat:
    Istimewa → above, Baik → as expected, the others → below (domain.md)."""
    return _HEAD_RESULTS[UnitPredikat(unit_predikat)]


def suggest_behaviour(levels: Iterable[Level | str]) -> Level:
    """The suggested behaviour level from the ratings of the seven values, by the same
    majority rule as results (project rule)."""
    return _majority(Level(level) for level in levels)


def accumulate(values: Iterable[Number | None], mode: Accumulation | str) -> Decimal | None:
    """The year-to-date realization of an indicator from its periodic values: counts add up,
    a level or percentage is its latest value, a rate is the mean. Missing values (``None``,
    a sub-period not yet reported) are skipped; with none reported the result is ``None``."""
    how = Accumulation(mode)
    reported = [_decimal(value) for value in values if value is not None]
    if not reported:
        return None
    if how == Accumulation.LAST:
        return reported[-1]
    with localcontext(_CONTEXT):
        total = sum(reported, Decimal(0))
        if how == Accumulation.SUM:
            return total
        return total / len(reported)


def periodic_target(target: Number, mode: Accumulation | str, number: int, count: int) -> Decimal:
    """The target an indicator should have reached by sub-period ``number`` of ``count``
    (project rule): a count is pro-rated over the year, rounded half-up to 2 decimals but
    never to 0; a level or a rate is expected in full all year."""
    if not 1 <= number <= count:
        raise DomainError(
            N_("Sub-period %(number)s does not exist in a year of %(count)s sub-periods."),
            number=number,
            count=count,
        )
    goal = _target(target)
    if Accumulation(mode) != Accumulation.SUM:
        return goal
    with localcontext(_CONTEXT):
        due = _round(goal * number / count, _CENT)
    # A tiny annual target must not round to nothing: achievement divides by it.
    return max(due, min(goal, _CENT))


@dataclass(frozen=True)
class _Share:
    """Expected share of the employees rated one of ``predikats``: ``at_most`` / ``at_least``
    ``limit`` percent, or ``at_least_one`` of them."""

    kind: str
    predikats: tuple[Predikat, ...]
    limit: int = 0


# The expected distribution per unit predikat (SE MenPANRB on PermenPANRB 6/2022).
_CURVE: dict[UnitPredikat, tuple[_Share, ...]] = {
    UnitPredikat.ISTIMEWA: (_Share("at_most", (Predikat.SANGAT_BAIK,), 70),),
    UnitPredikat.BAIK: (
        _Share("at_most", (Predikat.BAIK,), 70),
        _Share("at_least_one", (Predikat.BUTUH_PERBAIKAN, Predikat.KURANG)),
    ),
    UnitPredikat.BUTUH_PERBAIKAN: (
        _Share("at_least", (Predikat.BUTUH_PERBAIKAN,), 60),
        _Share("at_most", (Predikat.SANGAT_BAIK,), 10),
    ),
    UnitPredikat.KURANG: (
        _Share("at_least", (Predikat.KURANG,), 60),
        _Share("at_least", (Predikat.BUTUH_PERBAIKAN,), 10),
        _Share("at_most", (Predikat.SANGAT_BAIK,), 10),
    ),
    UnitPredikat.SANGAT_KURANG: (
        _Share("at_least", (Predikat.SANGAT_KURANG,), 60),
        _Share("at_least", (Predikat.KURANG, Predikat.BUTUH_PERBAIKAN), 10),
        _Share("at_most", (Predikat.SANGAT_BAIK,), 0),
    ),
}

_TEMPLATES: dict[tuple[str, int], str] = {
    ("at_most", 1): N_(
        "“%(predikat)s” is %(percent)s %% of the employees (%(count)s of %(total)s); "
        "at most %(limit)s %% is expected for a unit rated “%(unit)s”."
    ),
    ("at_least", 1): N_(
        "“%(predikat)s” is %(percent)s %% of the employees (%(count)s of %(total)s); "
        "at least %(limit)s %% is expected for a unit rated “%(unit)s”."
    ),
    ("at_least", 2): N_(
        "“%(predikat)s” and “%(other)s” together are %(percent)s %% of the employees "
        "(%(count)s of %(total)s); at least %(limit)s %% is expected for a unit rated "
        "“%(unit)s”."
    ),
    ("at_least_one", 2): N_(
        "No employee is rated “%(predikat)s” or “%(other)s”; at least one is expected for a "
        "unit rated “%(unit)s”."
    ),
    ("none", 1): N_(
        "“%(predikat)s” is %(percent)s %% of the employees (%(count)s of %(total)s); "
        "none is expected for a unit rated “%(unit)s”."
    ),
}
NO_UNIT_PREDIKAT = N_("No unit rating is set; the distribution was checked against “%(unit)s”.")


def _tally(counts: Mapping[_Key, int]) -> dict[Predikat, int]:
    tally = dict.fromkeys(Predikat, 0)
    for key, number in counts.items():
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise DomainError(
                N_(
                    "The number of employees rated “%(predikat)s” must be a whole number of 0 "
                    "or more."
                ),
                predikat=Predikat(key),
            )
        tally[Predikat(key)] += number
    return tally


def _violates(share: _Share, count: int, total: int) -> bool:
    # Compare in whole numbers: count / total against limit / 100, without rounding.
    if share.kind == "at_most":
        return count * 100 > share.limit * total
    if share.kind == "at_least":
        return count * 100 < share.limit * total
    return count == 0  # at_least_one


def check_distribution(
    unit_predikat: UnitPredikat | str | None, counts: Mapping[_Key, int]
) -> list[RuleMessage]:
    """Warnings where the employees' predikat do not follow the curve expected for the unit's
    predikat; empty when they do or nobody is counted. Only warns: the ratings are the
    evaluators' and are never changed. Without a unit predikat the unit is checked as Baik,
    and the first warning says so."""
    unit = UnitPredikat.BAIK if unit_predikat is None else UnitPredikat(unit_predikat)
    tally = _tally(counts)
    total = sum(tally.values())
    if total == 0:
        return []
    warnings: list[RuleMessage] = []
    if unit_predikat is None:
        warnings.append(RuleMessage(NO_UNIT_PREDIKAT, unit=unit))
    for share in _CURVE[unit]:
        count = sum(tally[p] for p in share.predikats)
        if not _violates(share, count, total):
            continue
        kind = "none" if share.kind == "at_most" and share.limit == 0 else share.kind
        params: dict[str, object] = {"predikat": share.predikats[0], "unit": unit}
        if len(share.predikats) > 1:
            params["other"] = share.predikats[1]
        if kind != "at_least_one":
            with localcontext(_CONTEXT):
                percent = _round(Decimal(count) * _HUNDRED / total, _TENTH)
            params.update(count=count, total=total, percent=float(percent))
            if kind != "none":
                params["limit"] = share.limit
        warnings.append(RuleMessage(_TEMPLATES[(kind, len(share.predikats))], **params))
    return warnings


def expected_distribution(unit_predikat: UnitPredikat | str | None) -> tuple[_Share, ...]:
    """The curve :func:`check_distribution` checks a unit against (Baik where no unit
    predikat is set), for screens that draw it beside the counts. Each expectation has a
    ``kind`` (``at_most``, ``at_least`` or ``at_least_one``), the ``predikats`` it counts
    together and its ``limit`` in percent."""
    unit = UnitPredikat.BAIK if unit_predikat is None else UnitPredikat(unit_predikat)
    return _CURVE[unit]


def expectation_holds(expectation: _Share, counts: Mapping[_Key, int]) -> bool:
    """Whether the employees counted by predikat meet one expectation of the curve (an
    empty unit meets every one, as :func:`check_distribution` warns of nothing there)."""
    tally = _tally(counts)
    total = sum(tally.values())
    if total == 0:
        return True
    return not _violates(expectation, sum(tally[p] for p in expectation.predikats), total)
