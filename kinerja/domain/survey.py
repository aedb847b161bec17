"""Community satisfaction survey rules (SKM, PermenPANRB 14/2017): the nine elements, the
satisfaction index (IKM) with its grade, and the sample size a survey needs.

Pure: no Flask, no database. The index is computed exactly (fractions) and rounded once,
half-up to two decimals, so that the figure on the results page, in the API, on the
transparency page and in a printed report is the same number. The set-based job gives
per-element sums and counts (one ``GROUP BY``) to :func:`ikm_from_totals`; :func:`ikm`
takes raw answers for everyone else.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from kinerja.domain.errors import N_
from kinerja.domain.org import LabeledEnum

__all__ = [
    "ELEMENTS",
    "Grade",
    "IkmResult",
    "InvalidResponse",
    "grade",
    "ikm",
    "ikm_from_totals",
    "priorities",
    "sample_size",
    "validate_answers",
]

ELEMENTS = (
    "requirements",
    "procedure",
    "time",
    "cost",
    "product",
    "competence",
    "behaviour",
    "complaints",
    "facilities",
)
ELEMENT_COUNT = len(ELEMENTS)
LOWEST, HIGHEST = 1, 4
_CENT = Decimal("0.01")
_SCALE = 25  # IKM = mean of the NRRs (1–4) × 25: 25–100

# Krejcie–Morgan: χ² for one degree of freedom at 95 %, P = 0.5, d = 0.05.
_CHI_SQUARED = Fraction("3.841")
_P = Fraction(1, 2)
_D = Fraction(5, 100)


class Grade(LabeledEnum):
    """The quality of service by the rounded IKM (mutu pelayanan)."""

    A = "A", N_("Very good")
    B = "B", N_("Good")
    C = "C", N_("Less than good")
    D = "D", N_("Not good")


# The lowest rounded IKM of each grade, best first.
_GRADE_FLOORS = (
    (Decimal("88.31"), Grade.A),
    (Decimal("76.61"), Grade.B),
    (Decimal("65.00"), Grade.C),
    (Decimal("25.00"), Grade.D),
)


class InvalidResponse(ValueError):
    """A response without exactly nine answers, or an answer outside 1–4."""


@dataclass(frozen=True)
class IkmResult:
    """The index of a set of responses: ``value`` rounded half-up to 2 decimals, its grade,
    the NRR of each element (exact mean, in :data:`ELEMENTS` order) and how many answered."""

    value: Decimal
    grade: Grade
    per_element: tuple[Fraction, ...]
    responses: int

    @property
    def per_element_rounded(self) -> tuple[Decimal, ...]:
        """Each NRR to 2 decimals, half-up, for display."""
        return tuple(_round(nrr) for nrr in self.per_element)


def validate_answers(answers: Sequence[object]) -> tuple[int, ...]:
    """The nine answers as integers 1–4, or :class:`InvalidResponse` saying what is wrong."""
    if isinstance(answers, str | bytes) or len(answers) != ELEMENT_COUNT:
        raise InvalidResponse(f"a response has exactly {ELEMENT_COUNT} answers")
    checked: list[int] = []
    for position, answer in enumerate(answers, start=1):
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise InvalidResponse(f"answer {position} is not a whole number")
        if not LOWEST <= answer <= HIGHEST:
            raise InvalidResponse(f"answer {position} is outside {LOWEST}–{HIGHEST}")
        checked.append(answer)
    return tuple(checked)


def ikm(responses: Iterable[Sequence[object]]) -> IkmResult:
    """The IKM of ``responses``, each a sequence of nine answers 1–4 (in element order)."""
    sums = [0] * ELEMENT_COUNT
    count = 0
    for answers in responses:
        for index, answer in enumerate(validate_answers(answers)):
            sums[index] += answer
        count += 1
    return ikm_from_totals(sums, [count] * ELEMENT_COUNT)


def ikm_from_totals(sums: Sequence[int], counts: Sequence[int]) -> IkmResult:
    """The IKM from each element's sum of answers and number of answers (as one ``GROUP
    BY`` gives them). NRR = sum / count; IKM = Σ NRR × 1/9 × 25, rounded once."""
    if len(sums) != ELEMENT_COUNT or len(counts) != ELEMENT_COUNT:
        raise InvalidResponse(f"totals are needed for all {ELEMENT_COUNT} elements")
    if any(count <= 0 for count in counts):
        raise InvalidResponse("there are no answers to compute an index from")
    per_element = tuple(Fraction(int(s), int(c)) for s, c in zip(sums, counts, strict=True))
    if any(not LOWEST <= nrr <= HIGHEST for nrr in per_element):
        raise InvalidResponse(f"an element's mean is outside {LOWEST}–{HIGHEST}")
    exact = sum(per_element, Fraction(0)) * Fraction(1, ELEMENT_COUNT) * _SCALE
    value = _round(exact)
    return IkmResult(value, grade(value), per_element, max(counts))


def grade(value: Decimal | float | int | str) -> Grade:
    """The grade of a rounded IKM (25.00–100.00)."""
    rounded = Decimal(str(value)).quantize(_CENT, rounding=ROUND_HALF_UP)
    for floor, found in _GRADE_FLOORS:
        if rounded >= floor:
            return found
    raise ValueError(f"an IKM is between 25 and 100, not {value}")


def priorities(per_element: Sequence[Fraction | Decimal | float], count: int = 3) -> list[str]:
    """The codes of the ``count`` lowest-scoring elements, lowest first (ties in element
    order): the unit's improvement priorities."""
    order = sorted(range(len(per_element)), key=lambda index: (per_element[index], index))
    return [ELEMENTS[index] for index in order[:count]]


def sample_size(population: int) -> int:
    """Respondents needed for a service used by ``population`` people a year (Krejcie–Morgan,
    rounded to nearest): 100 → 80, 300 → 169, 2000 → 322."""
    if isinstance(population, bool) or not isinstance(population, int) or population < 1:
        raise ValueError("the population is a whole number of at least 1")
    variance = _P * (1 - _P)
    size = (_CHI_SQUARED * population * variance) / (
        _D * _D * (population - 1) + _CHI_SQUARED * variance
    )
    return int(_round(size, Decimal(1)))


def _round(value: Fraction, step: Decimal = _CENT) -> Decimal:
    """Half-up rounding of a non-negative exact fraction (never through a binary float)."""
    steps = math.floor(value / Fraction(step) + Fraction(1, 2))
    return (Decimal(steps) * step).quantize(step)
