"""The competency rules: gap, job-person match, gaps closed, who comes first, reward
candidates, potential bands and the 9-box."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.domain.competency import (
    DEFAULT_NINE_BOX,
    Potential,
    gap,
    gap_closed,
    job_person_match,
    needs_development_first,
    nine_box,
    potential,
    reward_candidate,
)
from kinerja.domain.ratings import Level, Predikat

levels = st.integers(min_value=1, max_value=5)


def test_gap_is_required_minus_assessed_and_unassessed_counts_as_zero() -> None:
    assert gap(4, 2) == 2
    assert gap(3, 5) == -2
    assert gap(3, None) == 3


@pytest.mark.parametrize("bad", [0, 6, -1])
def test_a_level_outside_one_to_five_is_refused(bad: int) -> None:
    with pytest.raises(ValueError):
        gap(bad, 3)
    with pytest.raises(ValueError):
        gap(3, bad)


def test_job_person_match_caps_each_competency_at_its_requirement() -> None:
    # required 3+4+2 = 9; met min(5,3)+min(2,4)+min(None→0,2) = 3+2+0 = 5 → 55.56 %
    assert job_person_match([(3, 5), (4, 2), (2, None)]) == Decimal("55.56")
    assert job_person_match([(3, 3), (2, 4)]) == Decimal("100.00")
    assert job_person_match([]) is None


@given(st.lists(st.tuples(levels, st.one_of(st.none(), levels)), min_size=1, max_size=12))
def test_match_is_a_percentage_and_full_exactly_when_no_gap_is_positive(
    pairs: list[tuple[int, int | None]],
) -> None:
    match = job_person_match(pairs)
    assert match is not None and Decimal(0) <= match <= Decimal(100)
    no_need = all(gap(required, assessed) <= 0 for required, assessed in pairs)
    assert (match == Decimal(100)) == no_need


def test_gap_closed_counts_only_positive_gaps_up_to_what_the_training_raises() -> None:
    gaps = {1: 2, 2: 1, 3: -1, 4: 3}
    assert gap_closed(gaps, {1: 1, 2: 2, 3: 4}) == 1 + 1  # 3 is no need
    assert gap_closed(gaps, {4: 5}) == 3
    assert gap_closed(gaps, {}) == 0


@given(
    st.dictionaries(st.integers(1, 9), st.integers(-4, 4)),
    st.dictionaries(st.integers(1, 9), st.integers(0, 4)),
)
def test_a_training_never_closes_more_than_the_needs(
    gaps: dict[int, int], raises: dict[int, int]
) -> None:
    closed = gap_closed(gaps, raises)
    assert 0 <= closed <= sum(g for g in gaps.values() if g > 0)


def test_the_lowest_predikats_come_first_for_development() -> None:
    first = {p for p in Predikat if needs_development_first(p)}
    assert first == {Predikat.BUTUH_PERBAIKAN, Predikat.KURANG, Predikat.SANGAT_KURANG}
    assert needs_development_first("kurang") and not needs_development_first(None)


def test_reward_candidates_are_sangat_baik_or_two_good_years_when_set() -> None:
    assert reward_candidate([Predikat.SANGAT_BAIK])
    assert reward_candidate(["baik", "baik"])
    assert reward_candidate(["baik", "sangat_baik"])
    assert not reward_candidate(["baik", "baik"], two_good_years=False)
    assert not reward_candidate(["baik"])
    assert not reward_candidate(["baik", "butuh_perbaikan"])
    assert not reward_candidate(["butuh_perbaikan", "sangat_baik"])
    assert not reward_candidate([None, "sangat_baik"]) and not reward_candidate([])


def test_potential_bands_follow_the_match() -> None:
    assert potential(None) is None
    assert potential(Decimal("69.99")) is Potential.LOW
    assert potential(70) is Potential.MEDIUM
    assert potential(Decimal("90")) is Potential.HIGH
    assert potential(80, (Decimal(50), Decimal(80))) is Potential.HIGH


def test_nine_box_numbers_every_cell_once_and_follows_the_setting() -> None:
    numbers = {nine_box(level, band).number for level in Level for band in Potential}
    assert numbers == set(range(1, 10))
    assert nine_box("above", "high").number == 9 and nine_box("below", "low").number == 1
    reversed_boxes = {key: (10 - number, name) for key, (number, name) in DEFAULT_NINE_BOX.items()}
    assert nine_box(Level.ABOVE, Potential.HIGH, reversed_boxes).number == 1
