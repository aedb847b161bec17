"""The satisfaction index rules: exact 1/9 weights, half-up rounding of the final value only,
the grade bands, the sample size and the refusal of malformed responses."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from kinerja.domain.survey import (
    ELEMENTS,
    Grade,
    InvalidResponse,
    grade,
    ikm,
    ikm_from_totals,
    priorities,
    sample_size,
)


def test_all_fours_is_100_and_all_ones_is_25() -> None:
    assert ikm([[4] * 9]).value == Decimal("100.00")
    assert ikm([[1] * 9, [1] * 9]).value == Decimal("25.00")
    assert ikm([[1] * 9]).grade is Grade.D


def test_exact_ninths_rounded_once_half_up() -> None:
    # One element at 4, eight at 3: IKM = 25 · 28/9 = 77.777… → 77.78 (a weight of 0.111
    # would give 77.70, and all fours 99.90 instead of 100).
    result = ikm([[4, 3, 3, 3, 3, 3, 3, 3, 3]])
    assert result.value == Decimal("77.78") and result.grade is Grade.B
    assert result.per_element[:2] == (4, 3)
    # Element 1 averages 3.125 over 8 responses: rounding the NRR first (3.13) would give
    # 75.36; only the final value is rounded: 25 · 27.125 / 9 = 75.347… → 75.35.
    assert ikm([[4] + [3] * 8] + [[3] * 9] * 7).value == Decimal("75.35")


def test_a_tie_rounds_up() -> None:
    # Every NRR 633/200 = 3.165: IKM = 25 · 3.165 = 79.125 exactly → 79.13 (not 79.12).
    result = ikm_from_totals([633] * 9, [200] * 9)
    assert result.per_element[0] == Fraction(633, 200)
    assert result.value == Decimal("79.13")
    assert result.per_element_rounded[0] == Decimal("3.17")  # 3.165 → 3.17 as well


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("100", Grade.A),
        ("88.31", Grade.A),
        ("88.30", Grade.B),
        ("76.61", Grade.B),
        ("76.60", Grade.C),
        ("65.00", Grade.C),
        ("64.99", Grade.D),
        ("25", Grade.D),
        ("88.305", Grade.A),  # rounds half-up to 88.31 first
    ],
)
def test_grade_bands(value: str, expected: Grade) -> None:
    assert grade(value) is expected


def test_grade_out_of_range() -> None:
    with pytest.raises(ValueError):
        grade("24.99")


@pytest.mark.parametrize(("population", "size"), [(100, 80), (300, 169), (2000, 322), (1, 1)])
def test_sample_size(population: int, size: int) -> None:
    assert sample_size(population) == size


def test_sample_size_levels_off() -> None:
    assert sample_size(1_000_000) == 384
    with pytest.raises(ValueError):
        sample_size(0)


@pytest.mark.parametrize(
    "answers",
    [[4] * 8, [4] * 10, [4] * 8 + [5], [0] + [4] * 8, [4] * 8 + ["4"], [True] * 9, "444444444"],
)
def test_malformed_responses_are_refused(answers: object) -> None:
    with pytest.raises(InvalidResponse):
        ikm([answers])  # type: ignore[list-item]


def test_no_responses_is_no_index() -> None:
    with pytest.raises(InvalidResponse):
        ikm([])


def test_priorities_are_the_lowest_elements() -> None:
    result = ikm([[4, 2, 3, 1, 4, 4, 2, 4, 4]])
    assert priorities(result.per_element) == ["cost", "procedure", "behaviour"]
    assert len(ELEMENTS) == 9
