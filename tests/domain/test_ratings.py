"""Rating rules: the predikat matrix, achievement, suggested levels, year-to-date realization,
periodic targets and the distribution curve. Pure: no app, database or Redis needed."""

from __future__ import annotations

import ast
import copy
import itertools
import math
import pickle
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kinerja.domain import ratings
from kinerja.domain.errors import DomainError
from kinerja.domain.planning import Accumulation
from kinerja.domain.ratings import (
    Level,
    Number,
    Predikat,
    RuleMessage,
    UnitPredikat,
    accumulate,
    achievement,
    check_distribution,
    indicator_level,
    periodic_target,
    predikat,
    suggest_behaviour,
    suggest_results,
)

# No example database on disk (the run must leave the tree clean) and no deadline (the suite
# runs in parallel on busy machines).
properties = settings(database=None, deadline=None)

A, E, B = Level.ABOVE, Level.AS_EXPECTED, Level.BELOW
SB, BK, BP, KR, SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)
# Best first: the order in which predikat are listed in the regulation.
RANK = {p: len(Predikat) - i for i, p in enumerate(Predikat)}


# --- purity and enums -------------------------------------------------------------------------


def test_module_imports_no_flask_or_database() -> None:
    tree = ast.parse(Path(ratings.__file__).read_text(encoding="utf-8"))
    imported = {
        name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
        )
    }
    first_party = {name for name in imported if name.startswith("kinerja")}
    assert all(name.startswith("kinerja.domain.") for name in first_party)
    assert not {name.split(".")[0] for name in imported} & {"flask", "sqlalchemy", "redis"}


def test_all_lists_the_public_names() -> None:
    assert set(ratings.__all__) == {
        "Level",
        "Number",
        "Predikat",
        "RuleMessage",
        "UnitPredikat",
        "accumulate",
        "achievement",
        "check_distribution",
        "expectation_holds",
        "expected_distribution",
        "indicator_level",
        "periodic_target",
        "predikat",
        "suggest_behaviour",
        "suggest_results",
        "suggest_results_from_levels",
        "unit_head_results",
    }
    assert all(hasattr(ratings, name) for name in ratings.__all__)


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ([("above", True), ("above", False), ("as_expected", False)], "above"),
        ([("above", False), ("above", False), ("below", True)], "as_expected"),  # main below
        ([("below", False), ("below", True), ("above", False)], "below"),
        ([("above", True), ("below", False)], "as_expected"),  # a tie
        ([], "as_expected"),
    ],
)
def test_results_from_given_levels_follow_the_same_majority(
    levels: list[tuple[str, bool]], expected: str
) -> None:
    """Qualitative indicators count their given level where an achievement would count."""
    assert ratings.suggest_results_from_levels(levels) == Level(expected)


def test_suggestions_from_achievements_and_from_their_levels_agree() -> None:
    pairs = [(110, True), (96, False), (40, False), (130, False)]
    as_levels = [(ratings.indicator_level(p), main) for p, main in pairs]
    assert ratings.suggest_results(pairs) == ratings.suggest_results_from_levels(as_levels)


@pytest.mark.parametrize(
    ("unit", "level"),
    [
        ("istimewa", "above"),
        ("baik", "as_expected"),
        ("butuh_perbaikan", "below"),
        ("kurang", "below"),
        ("sangat_kurang", "below"),
    ],
)
def test_the_unit_heads_results_follow_the_unit_predikat(unit: str, level: str) -> None:
    assert ratings.unit_head_results(unit) == Level(level)


@pytest.mark.parametrize(
    ("enum", "codes"),
    [
        (Level, ["above", "as_expected", "below"]),
        (Predikat, ["sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"]),
        (UnitPredikat, ["istimewa", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"]),
    ],
)
def test_enum_codes_and_labels(enum: type[Level], codes: list[str]) -> None:
    assert [member.value for member in enum] == codes
    assert all(member.label for member in enum)
    assert all(enum(code).value == code for code in codes)


def test_labels_in_english() -> None:
    assert Level.AS_EXPECTED.label == "As expected"
    assert Predikat.KURANG.label == "Poor/Misconduct"
    assert UnitPredikat.ISTIMEWA.label == "Outstanding"
    assert UnitPredikat.KURANG.label == "Poor"


# --- predikat matrix --------------------------------------------------------------------------

MATRIX = [
    ("above", "below", KR),
    ("above", "as_expected", BK),
    ("above", "above", SB),
    ("as_expected", "below", KR),
    ("as_expected", "as_expected", BK),
    ("as_expected", "above", BK),
    ("below", "below", SK),
    ("below", "as_expected", BP),
    ("below", "above", BP),
]


@pytest.mark.parametrize(("results", "behaviour", "expected"), MATRIX)
def test_predikat_matrix_with_codes(results: str, behaviour: str, expected: Predikat) -> None:
    assert predikat(results, behaviour) is expected


@pytest.mark.parametrize(("results", "behaviour", "expected"), MATRIX)
def test_predikat_matrix_with_members(results: str, behaviour: str, expected: Predikat) -> None:
    assert predikat(Level(results), Level(behaviour)) is expected


def test_predikat_mixes_members_and_codes() -> None:
    assert predikat(Level.ABOVE, "above") is SB
    assert predikat("below", Level.BELOW) is SK


@pytest.mark.parametrize(
    ("results", "behaviour"),
    [("great", "above"), ("above", "great"), ("", "above"), ("ABOVE", "above"), ("baik", "baik")],
)
def test_predikat_refuses_unknown_codes(results: str, behaviour: str) -> None:
    with pytest.raises(ValueError):
        predikat(results, behaviour)


def test_predikat_is_total_and_monotonic() -> None:
    """Every combination has a predikat, and a better level never gives a worse one."""
    order = [B, E, A]
    for results, behaviour in itertools.product(order, order):
        assert isinstance(predikat(results, behaviour), Predikat)
    for fixed in order:
        by_results = [RANK[predikat(level, fixed)] for level in order]
        by_behaviour = [RANK[predikat(fixed, level)] for level in order]
        assert by_results == sorted(by_results)
        assert by_behaviour == sorted(by_behaviour)
    assert {predikat(r, b) for r, b in itertools.product(order, order)} == set(Predikat)


def test_behaviour_below_is_never_better_than_kurang() -> None:
    assert all(RANK[predikat(level, B)] <= RANK[KR] for level in Level)


# --- achievement ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "realization", "less", "expected"),
    [
        (10, 12, False, 120.0),
        (10, 10, False, 100.0),
        (10, 0, False, 0.0),
        (3, 1, False, 33.33),
        (3, 2, False, 66.67),
        (8, 1, False, 12.5),
        (200, 1, False, 0.5),
        (10, 8, True, 120.0),
        (10, 10, True, 100.0),
        (10, 0, True, 200.0),
        (10, 20, True, 0.0),
        (10, 25, True, 0.0),
        (3, 1, True, 166.67),
        (12, 13, True, 91.67),
    ],
)
def test_achievement_examples(target: int, realization: int, less: bool, expected: float) -> None:
    assert achievement(target, realization, less_is_better=less) == expected


def test_achievement_returns_a_float() -> None:
    assert type(achievement(10, 12)) is float
    assert type(achievement(10, 25, less_is_better=True)) is float


@pytest.mark.parametrize(
    ("target", "realization", "expected"),
    [
        (Decimal("10"), Decimal("12"), 120.0),
        ("10", "12", 120.0),
        (" 10 ", "12.0", 120.0),
        ("1e1", 12, 120.0),
        (10.0, 12.5, 125.0),
        (Decimal("0.3"), 0.1, 33.33),
        ("0.3", "0.1", 33.33),
        (Decimal("2.5"), Decimal("2.5"), 100.0),
    ],
)
def test_achievement_accepts_decimal_strings_and_floats(
    target: object, realization: object, expected: float
) -> None:
    assert achievement(target, realization) == expected  # type: ignore[arg-type]


def test_achievement_rounds_half_up() -> None:
    # 1 / 8000 × 100 = 0.0125 → 0.01; 0.1 / 8 × 100 = 1.25 exactly.
    assert achievement(8000, 1) == 0.01
    assert achievement(8, "0.1") == 1.25
    # 0.045 % is exactly between 0.04 and 0.05: half-up gives 0.05 (half-even would give 0.04).
    assert achievement(20000, 9) == 0.05
    # Less is better: (2 − 39991 / 20000) × 100 = 0.045 → 0.05.
    assert achievement(20000, 39991, less_is_better=True) == 0.05


def test_achievement_is_exact_for_decimal_fractions() -> None:
    # In binary floats 1.1 / 1.0 × 100 is 110.00000000000001 and 0.07 / 0.7 × 100 is
    # 10.000000000000002; in decimals both are exact.
    assert achievement(1.0, 1.1) == 110.0
    assert achievement("0.7", "0.07") == 10.0


@pytest.mark.parametrize(
    "target", [0, "0", Decimal("0.00"), -1, "-0.5", float("nan"), "NaN", float("inf"), "Infinity"]
)
def test_achievement_refuses_a_target_that_is_not_positive_and_finite(target: object) -> None:
    with pytest.raises(ValueError):
        achievement(target, 5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        achievement(target, 5, less_is_better=True)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "realization", [-1, "-0.01", Decimal("-5"), float("nan"), "nan", float("-inf"), float("inf")]
)
def test_achievement_refuses_negative_or_infinite_realization(realization: object) -> None:
    with pytest.raises(ValueError):
        achievement(10, realization)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        achievement(10, realization, less_is_better=True)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["", "abc", "12,5", None, True, [10], object()])
def test_achievement_refuses_what_is_not_a_number(bad: object) -> None:
    with pytest.raises(ValueError):
        achievement(bad, 5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        achievement(10, bad)  # type: ignore[arg-type]


def test_achievement_errors_are_translatable() -> None:
    with pytest.raises(DomainError) as caught:
        achievement(0, 5)
    assert caught.value.template == "The target must be greater than 0."
    with pytest.raises(DomainError) as caught:
        achievement(10, -1)
    assert caught.value.template == "The realization cannot be negative."
    with pytest.raises(DomainError) as caught:
        achievement("ten", 1)
    assert caught.value.params == {"value": "ten"}


def test_achievement_ignores_the_callers_decimal_context() -> None:
    import decimal

    with decimal.localcontext() as context:
        context.prec = 3
        context.rounding = decimal.ROUND_DOWN
        assert achievement(3, 2) == 66.67
        assert achievement("12345", "12346") == 100.01


# --- indicator level --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        (200, A),
        (105, A),
        (105.0, A),
        (Decimal("105.00"), A),
        ("105", A),
        (104.99, E),
        (Decimal("104.999"), E),
        (100, E),
        (95, E),
        (95.0, E),
        (94.99, B),
        (Decimal("94.999"), B),
        (50, B),
        (0, B),
    ],
)
def test_indicator_level_boundaries(percent: object, expected: Level) -> None:
    assert indicator_level(percent) is expected  # type: ignore[arg-type]


def test_indicator_level_uses_the_settings() -> None:
    assert indicator_level(108, above_at=110, expected_at=90) is E
    assert indicator_level(110, above_at=110, expected_at=90) is A
    assert indicator_level(90, above_at=110, expected_at=90) is E
    assert indicator_level(89.99, above_at=110, expected_at=90) is B
    assert indicator_level(100, above_at=100, expected_at=100) is A
    assert indicator_level(99.99, above_at=100, expected_at=100) is B


def test_indicator_level_refuses_inverted_settings_and_non_numbers() -> None:
    with pytest.raises(ValueError):
        indicator_level(100, above_at=90, expected_at=95)
    with pytest.raises(ValueError):
        indicator_level(float("nan"))
    with pytest.raises(ValueError):
        indicator_level("high")


# --- suggested results and behaviour ----------------------------------------------------------


@pytest.mark.parametrize(
    ("indicators", "expected"),
    [
        ([], E),
        ([(120, True)], A),
        ([(100, True)], E),
        ([(80, False)], B),
        ([(80, True)], B),
        # A majority above and no main indicator below.
        ([(120, True), (110, False), (100, False)], A),
        # A majority above, but a main indicator below blocks "above".
        ([(120, False), (110, False), (80, True)], E),
        ([(120, True), (110, True), (130, True), (80, True)], E),
        # An additional indicator below does not block.
        ([(120, True), (110, True), (80, False)], A),
        # Exactly half is not more than half.
        ([(120, True), (110, False), (100, False), (90, False)], E),
        ([(120, True), (80, False)], E),
        ([(80, True), (90, False), (100, False), (120, False)], E),
        # A majority below.
        ([(80, True), (90, False), (120, False)], B),
        ([(80, False), (90, False), (94.99, False), (120, True), (130, True)], B),
        # Spread: neither majority.
        ([(120, True), (100, False), (80, False)], E),
        # Boundaries of the indicator levels.
        ([(105, True), (105, False), (94.99, False)], A),
        ([(95, True), (94.99, False), (94.99, False)], B),
    ],
)
def test_suggest_results(indicators: list[tuple[float, bool]], expected: Level) -> None:
    assert suggest_results(indicators) is expected


def test_suggest_results_accepts_any_iterable_and_numbers() -> None:
    mixed: list[tuple[Number, bool]] = [("120", True), (Decimal("110"), False), (100.0, False)]
    assert suggest_results(iter(mixed)) is A
    assert suggest_results((p, False) for p in (80, 90, 100)) is B


def test_suggest_results_uses_the_settings() -> None:
    indicators = [(100, True), (101, False), (90, False)]
    assert suggest_results(indicators) is E
    assert suggest_results(indicators, above_at=100) is A
    assert suggest_results(indicators, above_at=120, expected_at=100.5) is B


def test_suggest_results_takes_truthy_main_flags() -> None:
    assert suggest_results([(120, 0), (120, 0), (80, 1)]) is E  # type: ignore[list-item]
    assert suggest_results([(120, 0), (120, 0), (80, 0)]) is A  # type: ignore[list-item]


def test_suggest_results_refuses_bad_achievements() -> None:
    with pytest.raises(ValueError):
        suggest_results([(float("nan"), True)])


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ([], E),
        ([A] * 7, A),
        ([A, A, A, A, E, E, E], A),
        ([A, A, A, A, B, B, B], A),
        ([A, A, A, E, E, E, E], E),
        ([A, A, A, B, B, B, E], E),
        ([B, B, B, B, A, A, A], B),
        ([B, B, B, B, E, E, E], B),
        ([B] * 7, B),
        ([E] * 7, E),
        ([A, B], E),
        (["above", "above", "as_expected"], A),
        (["below", "below", "above"], B),
        (["above", Level.BELOW], E),
    ],
)
def test_suggest_behaviour_by_majority(levels: list[Level | str], expected: Level) -> None:
    assert suggest_behaviour(levels) is expected


def test_suggest_behaviour_accepts_a_generator_and_refuses_unknown_codes() -> None:
    assert suggest_behaviour(level for level in ("above", "above", "below")) is A
    with pytest.raises(ValueError):
        suggest_behaviour(["above", "excellent"])


# --- accumulation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "mode", "expected"),
    [
        ([1, 2, 3, 4], "sum", Decimal(10)),
        ([1, None, 2, "3.5"], "sum", Decimal("6.5")),
        ([Decimal("0.1"), 0.2], Accumulation.SUM, Decimal("0.3")),
        ([0, 0], "sum", Decimal(0)),
        ([80, 85, 90], "last", Decimal(90)),
        ([80, 85, None], "last", Decimal(85)),
        ([None, 70, None, None], Accumulation.LAST, Decimal(70)),
        ([80, 0], "last", Decimal(0)),
        ([80, 90], "average", Decimal(85)),
        ([80, None, 90, None], "average", Decimal(85)),
        ([None, "97.5"], Accumulation.AVERAGE, Decimal("97.5")),
        ([0.1, 0.2], "average", Decimal("0.15")),
    ],
)
def test_accumulate(values: list[object], mode: str, expected: Decimal) -> None:
    result = accumulate(values, mode)  # type: ignore[arg-type]
    assert isinstance(result, Decimal)
    assert result == expected


def test_accumulate_average_is_the_mean_not_rounded_early() -> None:
    result = accumulate([1, 2, 2], "average")
    assert result is not None
    assert result.quantize(Decimal("0.000001")) == Decimal("1.666667")
    assert abs(result * 3 - 5) < Decimal("1e-40")


@pytest.mark.parametrize("mode", list(Accumulation) + ["sum", "last", "average"])
@pytest.mark.parametrize("values", [[], [None], [None, None, None]])
def test_accumulate_nothing_reported_is_none(values: list[None], mode: str) -> None:
    assert accumulate(values, mode) is None


def test_accumulate_accepts_a_generator() -> None:
    assert accumulate((v for v in (1, None, 2)), "sum") == Decimal(3)


def test_accumulate_refuses_unknown_modes_and_bad_values() -> None:
    with pytest.raises(ValueError):
        accumulate([1, 2], "median")
    with pytest.raises(ValueError):
        accumulate([1, float("nan")], "sum")
    with pytest.raises(ValueError):
        accumulate([1, "many"], "last")


# --- periodic target --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "mode", "number", "count", "expected"),
    [
        (100, "sum", 1, 4, Decimal("25.00")),
        (100, "sum", 3, 4, Decimal("75.00")),
        (100, "sum", 4, 4, Decimal("100.00")),
        (10, "sum", 1, 12, Decimal("0.83")),
        (10, "sum", 5, 12, Decimal("4.17")),
        (10, "sum", 12, 12, Decimal("10.00")),
        ("0.1", Accumulation.SUM, 1, 4, Decimal("0.03")),  # 0.025 half-up
        (Decimal("7"), "sum", 1, 1, Decimal("7.00")),
        (85, "last", 1, 4, Decimal(85)),
        (85, "last", 4, 4, Decimal(85)),
        ("97.5", "average", 1, 12, Decimal("97.5")),
        (97.5, Accumulation.AVERAGE, 7, 12, Decimal("97.5")),
    ],
)
def test_periodic_target(
    target: object, mode: str, number: int, count: int, expected: Decimal
) -> None:
    result = periodic_target(target, mode, number, count)  # type: ignore[arg-type]
    assert isinstance(result, Decimal)
    assert result == expected


def test_periodic_target_of_a_sum_has_two_decimals() -> None:
    assert str(periodic_target(100, "sum", 1, 4)) == "25.00"
    assert str(periodic_target(1, "sum", 1, 3)) == "0.33"


def test_a_tiny_pro_rated_target_never_rounds_to_zero() -> None:
    """0.01 a year is 0.0008 a month: the target due is kept at one hundredth, so the
    achievement of the first months can still be computed."""
    assert periodic_target("0.01", "sum", 1, 12) == Decimal("0.01")
    assert periodic_target("0.05", "sum", 1, 12) == Decimal("0.01")
    assert achievement(periodic_target("0.01", "sum", 1, 12), 0) == 0.0


@pytest.mark.parametrize("mode", ["sum", "last", "average"])
@pytest.mark.parametrize(("number", "count"), [(0, 4), (5, 4), (-1, 4), (1, 0), (0, 0), (13, 12)])
def test_periodic_target_refuses_sub_periods_outside_the_year(
    mode: str, number: int, count: int
) -> None:
    with pytest.raises(ValueError):
        periodic_target(100, mode, number, count)


def test_periodic_target_refuses_bad_targets_and_modes() -> None:
    for target in (0, -5, "NaN", "x"):
        with pytest.raises(ValueError):
            periodic_target(target, "sum", 1, 4)
    with pytest.raises(ValueError):
        periodic_target(100, "median", 1, 4)


# --- distribution curve -----------------------------------------------------------------------

NO_UNIT_NOTE = "No unit rating is set; the distribution was checked against “Good”."


@pytest.mark.parametrize(
    ("unit", "counts"),
    [
        ("istimewa", {SB: 14, BK: 6}),  # exactly 70 %
        ("istimewa", {SB: 1, BK: 1}),
        ("istimewa", {BK: 20}),
        ("baik", {BK: 14, BP: 1, SB: 5}),  # exactly 70 %
        ("baik", {BK: 2, KR: 1}),
        ("baik", {SB: 10, BK: 9, BP: 1}),
        ("butuh_perbaikan", {BP: 12, SB: 2, BK: 6}),  # exactly 60 % and 10 %
        ("butuh_perbaikan", {BP: 10}),
        ("kurang", {KR: 12, BP: 2, SB: 2, BK: 4}),  # exactly 60 %, 10 % and 10 %
        ("kurang", {KR: 7, BP: 3}),
        ("sangat_kurang", {SK: 12, KR: 1, BP: 1, BK: 6}),  # exactly 60 % and 10 %
        ("sangat_kurang", {SK: 12, KR: 2, BK: 6}),  # Kurang alone counts
        ("sangat_kurang", {SK: 12, BP: 2, BK: 6}),  # Butuh Perbaikan alone counts
    ],
)
def test_distribution_that_follows_the_curve_has_no_warnings(
    unit: str, counts: dict[Predikat, int]
) -> None:
    assert check_distribution(unit, counts) == []
    assert check_distribution(UnitPredikat(unit), {p.value: n for p, n in counts.items()}) == []


def test_istimewa_warns_above_70_percent_sangat_baik() -> None:
    [warning] = check_distribution("istimewa", {SB: 15, BK: 5})
    assert warning == (
        "“Very good” is 75.0 % of the employees (15 of 20); "
        "at most 70 % is expected for a unit rated “Outstanding”."
    )
    assert warning.params == {
        "predikat": SB,
        "unit": UnitPredikat.ISTIMEWA,
        "count": 15,
        "total": 20,
        "percent": 75.0,
        "limit": 70,
    }


def test_baik_warns_above_70_percent_baik_and_without_anyone_below() -> None:
    warnings = check_distribution("baik", {BK: 15, SB: 5})
    assert warnings == [
        "“Good” is 75.0 % of the employees (15 of 20); "
        "at most 70 % is expected for a unit rated “Good”.",
        "No employee is rated “Needs improvement” or “Poor/Misconduct”; "
        "at least one is expected for a unit rated “Good”.",
    ]
    assert warnings[1].params == {"predikat": BP, "other": KR, "unit": UnitPredikat.BAIK}


def test_baik_does_not_count_sangat_kurang_as_the_one_below() -> None:
    [warning] = check_distribution("baik", {BK: 5, SK: 5})
    assert warning.params["predikat"] is BP


def test_butuh_perbaikan_warns_below_60_percent_and_above_10_percent_sangat_baik() -> None:
    warnings = check_distribution("butuh_perbaikan", {BP: 11, SB: 3, BK: 6})
    assert warnings == [
        "“Needs improvement” is 55.0 % of the employees (11 of 20); "
        "at least 60 % is expected for a unit rated “Needs improvement”.",
        "“Very good” is 15.0 % of the employees (3 of 20); "
        "at most 10 % is expected for a unit rated “Needs improvement”.",
    ]
    assert [w.params["limit"] for w in warnings] == [60, 10]


def test_kurang_warns_on_each_of_its_three_rules() -> None:
    warnings = check_distribution("kurang", {KR: 11, BP: 1, SB: 3, BK: 5})
    assert warnings == [
        "“Poor/Misconduct” is 55.0 % of the employees (11 of 20); "
        "at least 60 % is expected for a unit rated “Poor”.",
        "“Needs improvement” is 5.0 % of the employees (1 of 20); "
        "at least 10 % is expected for a unit rated “Poor”.",
        "“Very good” is 15.0 % of the employees (3 of 20); "
        "at most 10 % is expected for a unit rated “Poor”.",
    ]
    assert [w.params["predikat"] for w in warnings] == [KR, BP, SB]


def test_sangat_kurang_warns_on_each_of_its_three_rules() -> None:
    warnings = check_distribution("sangat_kurang", {SK: 11, KR: 1, SB: 1, BK: 7})
    assert warnings == [
        "“Very poor” is 55.0 % of the employees (11 of 20); "
        "at least 60 % is expected for a unit rated “Very poor”.",
        "“Poor/Misconduct” and “Needs improvement” together are 5.0 % of the employees "
        "(1 of 20); at least 10 % is expected for a unit rated “Very poor”.",
        "“Very good” is 5.0 % of the employees (1 of 20); "
        "none is expected for a unit rated “Very poor”.",
    ]
    assert warnings[1].params["other"] is BP
    assert "limit" not in warnings[2].params


@pytest.mark.parametrize(
    ("unit", "counts", "expected"),
    [
        ("istimewa", {SB: 71, BK: 29}, 1),  # 71 %
        ("baik", {BK: 71, BP: 29}, 1),
        ("butuh_perbaikan", {BP: 59, BK: 41}, 1),
        ("butuh_perbaikan", {BP: 60, SB: 11, BK: 29}, 1),
        ("kurang", {KR: 60, BP: 9, BK: 31}, 1),
        ("kurang", {KR: 60, BP: 10, SB: 11, BK: 19}, 1),
        ("sangat_kurang", {SK: 60, KR: 5, BP: 4, BK: 31}, 1),
        ("sangat_kurang", {SK: 89, KR: 10, SB: 1}, 1),
    ],
)
def test_distribution_just_past_a_limit_warns_once(
    unit: str, counts: dict[Predikat, int], expected: int
) -> None:
    assert len(check_distribution(unit, counts)) == expected


def test_distribution_percent_is_rounded_half_up_to_one_decimal() -> None:
    [warning] = check_distribution("istimewa", {SB: 5, BK: 2})
    assert warning.params["percent"] == 71.4
    assert "71.4 %" in warning
    [warning] = check_distribution("istimewa", {SB: 2, BK: 0})
    assert warning.params["percent"] == 100.0
    warnings = check_distribution("butuh_perbaikan", {BP: 13, SB: 2, BK: 1})
    assert warnings[0].params["percent"] == 12.5
    # 1 of 16 = 6.25 % → 6.3 (half-even would give 6.2).
    warnings = check_distribution("kurang", {KR: 14, BP: 1, BK: 1})
    assert [w.params["percent"] for w in warnings] == [6.3]


def test_no_unit_predikat_is_checked_as_baik_and_says_so() -> None:
    warnings = check_distribution(None, {BK: 15, SB: 5})
    assert warnings[0] == NO_UNIT_NOTE
    assert warnings[0].params == {"unit": UnitPredikat.BAIK}
    assert warnings[1:] == check_distribution("baik", {BK: 15, SB: 5})
    assert len(warnings) == 3


def test_no_unit_predikat_says_so_even_when_the_distribution_follows_baik() -> None:
    assert check_distribution(None, {BK: 7, BP: 1, SB: 2}) == [NO_UNIT_NOTE]


@pytest.mark.parametrize("unit", [None, *UnitPredikat, "istimewa"])
@pytest.mark.parametrize("counts", [{}, {SB: 0}, {p: 0 for p in Predikat}, {"baik": 0}])
def test_nobody_counted_gives_no_warnings(
    unit: UnitPredikat | str | None, counts: dict[Predikat | str, int]
) -> None:
    assert check_distribution(unit, counts) == []


def test_distribution_accepts_codes_as_keys() -> None:
    by_code = check_distribution("kurang", {"kurang": 11, "butuh_perbaikan": 1, "sangat_baik": 3})
    by_member = check_distribution(UnitPredikat.KURANG, {KR: 11, BP: 1, SB: 3})
    assert by_code == by_member
    assert [w.params for w in by_code] == [w.params for w in by_member]
    assert all(isinstance(w.params["predikat"], Predikat) for w in by_code)


def test_distribution_refuses_unknown_codes_and_bad_counts() -> None:
    with pytest.raises(ValueError):
        check_distribution("excellent", {SB: 1})
    with pytest.raises(ValueError):
        check_distribution("", {SB: 1})
    with pytest.raises(ValueError):
        check_distribution("excellent", {})
    with pytest.raises(ValueError):
        check_distribution("baik", {"excellent": 1})
    with pytest.raises(ValueError):
        check_distribution("baik", {BK: -1, SB: 3})
    with pytest.raises(ValueError):
        check_distribution("baik", {BK: 1.5})  # type: ignore[dict-item]
    with pytest.raises(ValueError):
        check_distribution("baik", {BK: True})


def test_distribution_warnings_are_strings() -> None:
    warnings = check_distribution(None, {SB: 20})
    assert all(isinstance(w, str) and isinstance(w, RuleMessage) for w in warnings)
    assert "; ".join(warnings).startswith("No unit rating is set")


# --- RuleMessage ------------------------------------------------------------------------------


def test_rule_message_is_english_text_with_template_and_params() -> None:
    message = RuleMessage(
        "“%(predikat)s” for %(count)s of %(total)s in “%(unit)s”.",
        predikat=Predikat.SANGAT_BAIK,
        count=3,
        total=4,
        unit=UnitPredikat.ISTIMEWA,
    )
    assert isinstance(message, str)
    assert message == "“Very good” for 3 of 4 in “Outstanding”."
    assert str(message) == "“Very good” for 3 of 4 in “Outstanding”."
    assert message.template == "“%(predikat)s” for %(count)s of %(total)s in “%(unit)s”."
    assert message.params["predikat"] is Predikat.SANGAT_BAIK
    assert message.params["unit"] is UnitPredikat.ISTIMEWA
    assert message.params["count"] == 3


def test_rule_message_without_params_is_the_template() -> None:
    message = RuleMessage("At most 70 % is expected.")
    assert message == "At most 70 % is expected."
    assert message.template == "At most 70 % is expected."
    assert message.params == {}


def test_rule_message_can_be_retranslated_from_template_and_params() -> None:
    """What the UI does: translate the template and the labels, then format."""
    [warning] = check_distribution("istimewa", {SB: 15, BK: 5})
    fake_catalogue = {
        warning.template: "“%(predikat)s” %(percent)s %% (%(count)s dari %(total)s); "
        "paling banyak %(limit)s %% untuk unit “%(unit)s”.",
        "Very good": "Sangat Baik",
        "Outstanding": "Istimewa",
    }
    params = {
        key: fake_catalogue[value.label] if isinstance(value, Predikat | UnitPredikat) else value
        for key, value in warning.params.items()
    }
    assert fake_catalogue[warning.template] % params == (
        "“Sangat Baik” 75.0 % (15 dari 20); paling banyak 70 % untuk unit “Istimewa”."
    )


def test_rule_message_survives_copy_and_pickle() -> None:
    [warning] = check_distribution("istimewa", {SB: 15, BK: 5})
    # RQ pickles job results; this pickle is our own, made a line above.
    pickled = pickle.loads(pickle.dumps(warning))  # noqa: S301
    for clone in (copy.copy(warning), copy.deepcopy(warning), pickled):
        assert clone == warning
        assert clone.template == warning.template
        assert clone.params == warning.params


# --- properties -------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**9, places=2)
targets = st.decimals(min_value=Decimal("0.01"), max_value=10**9, places=2)
percents = st.decimals(min_value=0, max_value=1000, places=2)
level_inputs = st.sampled_from([*Level, "above", "as_expected", "below"])


@properties
@given(target=targets, first=amounts, second=amounts)
def test_achievement_is_monotonic_in_the_realization(
    target: Decimal, first: Decimal, second: Decimal
) -> None:
    low, high = sorted((first, second))
    assert achievement(target, low) <= achievement(target, high)
    assert achievement(target, low, less_is_better=True) >= achievement(
        target, high, less_is_better=True
    )


@properties
@given(target=targets, realization=amounts)
def test_less_is_better_stays_between_0_and_200(target: Decimal, realization: Decimal) -> None:
    assert 0.0 <= achievement(target, realization, less_is_better=True) <= 200.0
    assert achievement(target, realization) >= 0.0


@properties
@given(target=targets, realization=amounts)
def test_more_and_less_mirror_around_100(target: Decimal, realization: Decimal) -> None:
    more = achievement(target, realization)
    less = achievement(target, realization, less_is_better=True)
    if realization <= 2 * target:
        assert math.isclose(more + less, 200.0, abs_tol=0.0100001)
    else:
        assert less == 0.0


@properties
@given(target=targets, realization=amounts)
def test_achievement_is_the_same_from_float_string_and_decimal(
    target: Decimal, realization: Decimal
) -> None:
    expected = achievement(target, realization)
    assert achievement(str(target), str(realization)) == expected
    assert achievement(float(target), float(realization)) == expected


@properties
@given(target=targets, realization=amounts)
def test_achievement_has_at_most_two_decimals(target: Decimal, realization: Decimal) -> None:
    percent = achievement(target, realization)
    assert Decimal(repr(percent)) == Decimal(repr(percent)).quantize(Decimal("0.01"))


@properties
@given(results=level_inputs, behaviour=level_inputs)
def test_predikat_is_defined_for_members_and_codes_alike(results: str, behaviour: str) -> None:
    assert predikat(results, behaviour) is predikat(Level(results), Level(behaviour))


@properties
@given(percent=percents, above=percents, expected=percents)
def test_indicator_level_is_monotonic(percent: Decimal, above: Decimal, expected: Decimal) -> None:
    above, expected = max(above, expected), min(above, expected)
    order = [B, E, A]
    here = order.index(indicator_level(percent, above, expected))
    higher = order.index(indicator_level(percent + 1, above, expected))
    assert here <= higher


indicator_lists = st.lists(st.tuples(percents, st.booleans()), max_size=12)


@properties
@given(indicators=indicator_lists, data=st.data())
def test_suggest_results_ignores_the_order(
    indicators: list[tuple[Decimal, bool]], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(indicators))
    assert suggest_results(shuffled) is suggest_results(indicators)


@properties
@given(indicators=indicator_lists)
def test_suggest_results_is_never_above_with_a_main_indicator_below(
    indicators: list[tuple[Decimal, bool]],
) -> None:
    if any(is_main and indicator_level(p) is B for p, is_main in indicators):
        assert suggest_results(indicators) is not A


@properties
@given(percents_=st.lists(percents, max_size=12))
def test_results_without_main_indicators_follow_the_behaviour_rule(
    percents_: list[Decimal],
) -> None:
    levels = [indicator_level(p) for p in percents_]
    assert suggest_results((p, False) for p in percents_) is suggest_behaviour(levels)


@properties
@given(levels=st.lists(level_inputs, max_size=9))
def test_suggest_behaviour_majorities(levels: list[Level | str]) -> None:
    members = [Level(level) for level in levels]
    result = suggest_behaviour(levels)
    if 2 * members.count(A) > len(members):
        assert result is A
    elif 2 * members.count(B) > len(members):
        assert result is B
    else:
        assert result is E


periodic_values = st.lists(st.none() | amounts, max_size=12)


@properties
@given(values=periodic_values)
def test_accumulate_by_mode(values: list[Decimal | None]) -> None:
    reported = [v for v in values if v is not None]
    total, last, mean = (accumulate(values, mode) for mode in ("sum", "last", "average"))
    if not reported:
        assert total is last is mean is None
        return
    assert total == sum(reported)
    assert last == reported[-1]
    assert mean is not None
    assert min(reported) <= mean <= max(reported)


@properties
@given(target=targets, count=st.integers(1, 12), data=st.data())
def test_pro_rated_target_grows_to_the_full_target(
    target: Decimal, count: int, data: st.DataObject
) -> None:
    number = data.draw(st.integers(1, count))
    targets_by_number = [periodic_target(target, "sum", n, count) for n in range(1, count + 1)]
    assert targets_by_number == sorted(targets_by_number)
    assert targets_by_number[-1] == target
    assert periodic_target(target, "last", number, count) == target
    assert periodic_target(target, "average", number, count) == target


count_maps = st.dictionaries(st.sampled_from(list(Predikat)), st.integers(0, 500))
unit_inputs = st.sampled_from([None, *UnitPredikat, *(u.value for u in UnitPredikat)])


@properties
@given(unit=unit_inputs, counts=count_maps)
def test_distribution_check_never_fails_on_valid_counts(
    unit: UnitPredikat | str | None, counts: dict[Predikat, int]
) -> None:
    warnings = check_distribution(unit, counts)
    assert all(isinstance(w, RuleMessage) for w in warnings)
    if sum(counts.values()) == 0:
        assert warnings == []
    elif unit is None:
        assert warnings[0] == NO_UNIT_NOTE
        assert NO_UNIT_NOTE not in warnings[1:]
    else:
        assert NO_UNIT_NOTE not in warnings
    assert len(warnings) <= 4


@properties
@given(unit=unit_inputs, counts=count_maps, factor=st.integers(2, 7))
def test_distribution_warnings_depend_on_shares_not_on_headcount(
    unit: UnitPredikat | str | None, counts: dict[Predikat, int], factor: int
) -> None:
    scaled = {key: number * factor for key, number in counts.items()}
    before, after = check_distribution(unit, counts), check_distribution(unit, scaled)
    assert [w.template for w in before] == [w.template for w in after]
    assert [w.params.get("percent") for w in before] == [w.params.get("percent") for w in after]
