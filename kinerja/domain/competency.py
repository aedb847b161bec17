"""Competency and development rules: gaps, the job-person match, how much of a person's gaps
a training closes, who comes first for development, reward candidates and the talent 9-box.

Pure: no Flask, no database. The recommendation job applies the same rules in SQL for
100,000 people at once; its tests compare both on the same data, so this module is the
reference of what the SQL must give.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kinerja.domain.errors import N_
from kinerja.domain.org import LabeledEnum
from kinerja.domain.ratings import Level, Predikat

__all__ = [
    "DEFAULT_NINE_BOX",
    "DEFAULT_POTENTIAL_BANDS",
    "MIN_LEVEL",
    "MAX_LEVEL",
    "YEARLY_JP",
    "AssessmentSource",
    "CompetencyGroup",
    "NineBox",
    "Potential",
    "TrainingMode",
    "gap",
    "gap_closed",
    "job_person_match",
    "needs_development_first",
    "nine_box",
    "potential",
    "reward_candidate",
]

MIN_LEVEL, MAX_LEVEL = 1, 5
# Every ASN has the right to at least 20 JP (lesson hours) of development a year (PP 11/2017).
YEARLY_JP = 20
_CENT = Decimal("0.01")


class CompetencyGroup(LabeledEnum):
    """The three kinds of competency in a position's standard (PermenPANRB 38/2017)."""

    MANAGERIAL = "managerial", N_("Managerial")
    SOCIO_CULTURAL = "socio_cultural", N_("Socio-cultural")
    TECHNICAL = "technical", N_("Technical")


class AssessmentSource(LabeledEnum):
    """Who assessed a competency level; the latest assessment counts, whatever its source."""

    ASSESSMENT_CENTRE = "assessment_centre", N_("Assessment centre")
    SUPERVISOR = "supervisor", N_("Supervisor")
    SELF = "self", N_("Self-assessment")


class TrainingMode(LabeledEnum):
    """Classical (in a classroom) or one of the non-classical ways of development."""

    CLASSICAL = "classical", N_("Classical (classroom)")
    E_LEARNING = "e_learning", N_("E-learning")
    DISTANCE = "distance", N_("Distance learning")
    COACHING = "coaching", N_("Coaching")
    MENTORING = "mentoring", N_("Mentoring")
    ATTACHMENT = "attachment", N_("Attachment (internship)")
    BENCHMARKING = "benchmarking", N_("Benchmarking")
    SEMINAR = "seminar", N_("Seminar or workshop")

    @property
    def classical(self) -> bool:
        return self is TrainingMode.CLASSICAL


class Potential(LabeledEnum):
    """The potential axis of the 9-box, from the job-person match."""

    LOW = "low", N_("Low potential")
    MEDIUM = "medium", N_("Medium potential")
    HIGH = "high", N_("High potential")


def _level(value: int | None) -> int:
    if value is None:
        return 0
    if not MIN_LEVEL <= int(value) <= MAX_LEVEL:
        raise ValueError(f"a competency level is {MIN_LEVEL}–{MAX_LEVEL}, not {value}")
    return int(value)


def gap(required: int, assessed: int | None) -> int:
    """Required − assessed level; positive is a development need. Not assessed counts as
    level 0: a need until someone assesses it (project rule)."""
    return _level(required) - _level(assessed)


def job_person_match(pairs: Iterable[tuple[int, int | None]]) -> Decimal | None:
    """Σ min(assessed, required) / Σ required × 100, two decimals, of ``(required,
    assessed)`` pairs; None for a position without a standard."""
    required_total = 0
    met = 0
    for required, assessed in pairs:
        need = _level(required)
        required_total += need
        met += min(_level(assessed), need)
    if required_total == 0:
        return None
    return (Decimal(met) * 100 / required_total).quantize(_CENT, ROUND_HALF_UP)


def gap_closed(gaps: Mapping[int, int], raises: Mapping[int, int]) -> int:
    """Levels of ``gaps`` (competency → gap) that a training closes, given the levels it
    raises each competency it addresses by (competency → raise): Σ min(gap, raise) over
    the positive gaps. Ranking trainings by it puts first the one that closes most."""
    return sum(
        min(need, max(raises.get(competency, 0), 0))
        for competency, need in gaps.items()
        if need > 0
    )


_DEVELOPMENT_FIRST = frozenset({Predikat.BUTUH_PERBAIKAN, Predikat.KURANG, Predikat.SANGAT_KURANG})


def needs_development_first(predikat: Predikat | str | None) -> bool:
    """Whether the person's latest predikat puts them first in line for development."""
    return predikat is not None and Predikat(predikat) in _DEVELOPMENT_FIRST


def reward_candidate(
    predikats: Sequence[Predikat | str | None], *, two_good_years: bool = True
) -> bool:
    """Whether the latest yearly predikats (newest first) make the person a reward
    candidate: Sangat Baik, or (a setting) Baik two years in a row."""
    if not predikats or predikats[0] is None:
        return False
    latest = Predikat(predikats[0])
    if latest is Predikat.SANGAT_BAIK:
        return True
    if not two_good_years or len(predikats) < 2 or predikats[1] is None:
        return False
    good = {Predikat.SANGAT_BAIK, Predikat.BAIK}
    return latest is Predikat.BAIK and Predikat(predikats[1]) in good


# Job-person match from which potential is medium and high (settings).
DEFAULT_POTENTIAL_BANDS = (Decimal(70), Decimal(90))


def potential(
    match: Decimal | float | None, bands: tuple[Decimal, Decimal] = DEFAULT_POTENTIAL_BANDS
) -> Potential | None:
    """The potential band of a job-person match; None when it is unknown."""
    if match is None:
        return None
    medium, high = bands
    value = Decimal(str(match))
    if value >= high:
        return Potential.HIGH
    if value >= medium:
        return Potential.MEDIUM
    return Potential.LOW


@dataclass(frozen=True)
class NineBox:
    """One box of the talent grid: its number and name come from the settings (sources
    number the boxes differently)."""

    number: int
    name: str
    performance: Level
    potential: Potential


# PermenPANRB 3/2020's numbering: box 1 low/low … box 9 high/high, performance first.
DEFAULT_NINE_BOX: dict[tuple[str, str], tuple[int, str]] = {
    ("below", "low"): (1, N_("Needs attention")),
    ("below", "medium"): (2, N_("Inconsistent performer")),
    ("as_expected", "low"): (3, N_("Solid contributor")),
    ("below", "high"): (4, N_("Rough diamond")),
    ("as_expected", "medium"): (5, N_("Core player")),
    ("above", "low"): (6, N_("Trusted professional")),
    ("as_expected", "high"): (7, N_("Future star")),
    ("above", "medium"): (8, N_("High performer")),
    ("above", "high"): (9, N_("Star")),
}


def nine_box(
    performance: Level | str,
    potential_band: Potential | str,
    boxes: Mapping[tuple[str, str], tuple[int, str]] = DEFAULT_NINE_BOX,
) -> NineBox:
    """The box of a person rated ``performance`` (the rating's results level) with
    ``potential_band``; ``boxes`` maps (performance, potential) codes to (number, name)."""
    level, band = Level(performance), Potential(potential_band)
    number, name = boxes[(level.value, band.value)]
    return NineBox(number, name, level, band)
