"""The expected distribution as screens draw it: the curve of each unit predikat (Baik where
none is set) and whether a unit meets each of its expectations, agreeing with the warnings
of ``check_distribution``. Pure: no app, database or Redis needed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.domain.ratings import (
    Predikat,
    UnitPredikat,
    check_distribution,
    expectation_holds,
    expected_distribution,
)

SB, B, BP, K, SK = list(Predikat)


def test_without_a_unit_predikat_the_curve_is_baiks() -> None:
    assert expected_distribution(None) == expected_distribution(UnitPredikat.BAIK)
    assert expected_distribution("baik") == expected_distribution(UnitPredikat.BAIK)


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("istimewa", [("at_most", (SB,), 70)]),
        ("baik", [("at_most", (B,), 70), ("at_least_one", (BP, K), 0)]),
        ("butuh_perbaikan", [("at_least", (BP,), 60), ("at_most", (SB,), 10)]),
        ("kurang", [("at_least", (K,), 60), ("at_least", (BP,), 10), ("at_most", (SB,), 10)]),
        (
            "sangat_kurang",
            [("at_least", (SK,), 60), ("at_least", (K, BP), 10), ("at_most", (SB,), 0)],
        ),
    ],
)
def test_each_unit_predikat_selects_its_curve(unit: str, expected: list[tuple]) -> None:
    assert [(e.kind, e.predikats, e.limit) for e in expected_distribution(unit)] == expected


def test_an_expectation_holds_or_not_like_the_warnings_say() -> None:
    at_most_baik, at_least_one = expected_distribution("baik")
    assert expectation_holds(at_most_baik, {B: 7, BP: 3})
    assert not expectation_holds(at_most_baik, {B: 8, BP: 2})
    assert expectation_holds(at_least_one, {"kurang": 1, "baik": 1})
    assert not expectation_holds(at_least_one, {"baik": 1})
    assert expectation_holds(at_least_one, {})  # nobody counted: nothing to warn of


counts_strategy = st.dictionaries(st.sampled_from(list(Predikat)), st.integers(0, 40))


@given(st.sampled_from(list(UnitPredikat)), counts_strategy)
def test_broken_expectations_are_as_many_as_the_warnings(
    unit: UnitPredikat, counts: dict[Predikat, int]
) -> None:
    broken = [e for e in expected_distribution(unit) if not expectation_holds(e, counts)]
    assert len(broken) == len(check_distribution(unit, counts))
