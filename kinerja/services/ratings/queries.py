"""What the ratings screens read: one's own latest rating, the rows a rating page links to,
a unit's distribution of predikat against the curve its unit predikat expects, the periods
to choose from, and which job runs are runs of the ratings job.

Everything here is scoped by the ratings policies; nothing changes a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import selectinload

from kinerja.domain.ratings import Predikat, expectation_holds, expected_distribution
from kinerja.extensions import db
from kinerja.models.jobs import JobName, JobRun
from kinerja.models.org import Employee
from kinerja.models.planning import Period
from kinerja.models.ratings import DistributionCheck, Rating
from kinerja.security.policies import distribution_checks, ratings
from kinerja.security.policies.scope import Scope

_TENTH = Decimal("0.1")


def is_rating_run(scope: Scope) -> ColumnElement[bool]:
    """Job runs of the ratings job (whose runs one may read is the job-run policy's)."""
    return JobRun.name == JobName.COMPUTE_PERIOD_RATINGS.value


def own_latest_rating_id(scope: Scope) -> int | None:
    """The id of one's own rating of the latest period that has one."""
    if scope.employee_id is None:
        return None
    return db.session.scalar(
        select(Rating.id)
        .join(Period, Period.id == Rating.period_id)
        .where(Rating.employee_id == scope.employee_id, ratings.read(scope))
        .order_by(Period.year.desc())
        .limit(1)
    )


def readable_rating(scope: Scope, rating_id: int | None) -> Rating | None:
    """A rating with the rows its page shows, if one may read it."""
    if rating_id is None:
        return None
    return db.session.scalar(
        select(Rating)
        .where(Rating.id == rating_id, ratings.read(scope))
        .options(
            selectinload(Rating.employee).selectinload(Employee.position),
            selectinload(Rating.unit),
            selectinload(Rating.period),
        )
    )


def readable_check(scope: Scope, check_id: int | None) -> DistributionCheck | None:
    """A unit's distribution check with its unit and period, if one may read it."""
    if check_id is None:
        return None
    return db.session.scalar(
        select(DistributionCheck)
        .where(DistributionCheck.id == check_id, distribution_checks.read(scope))
        .options(selectinload(DistributionCheck.unit), selectinload(DistributionCheck.period))
    )


def check_of(scope: Scope, rating: Rating) -> int | None:
    """The id of the distribution check of the rating's unit and period, if one may read it."""
    return db.session.scalar(
        select(DistributionCheck.id).where(
            DistributionCheck.unit_id == rating.unit_id,
            DistributionCheck.period_id == rating.period_id,
            distribution_checks.read(scope),
        )
    )


def periods() -> list[Period]:
    """Every period, the newest first (periods are read by everyone signed in)."""
    return list(db.session.scalars(select(Period).order_by(Period.year.desc())))


@dataclass(frozen=True)
class Share:
    """How many employees of the unit have one predikat, and their share in percent."""

    predikat: Predikat
    count: int
    percent: Decimal


@dataclass(frozen=True)
class Expectation:
    """One expectation of the curve (``kind``: ``at_most``, ``at_least``, ``at_least_one``)
    with the share of the predikat it counts together, and whether the unit meets it."""

    kind: str
    predikats: tuple[Predikat, ...]
    limit: int
    count: int
    percent: Decimal
    holds: bool


@dataclass(frozen=True)
class Distribution:
    """A unit's predikat counts as stored by the ratings job, beside its expected curve."""

    check: DistributionCheck
    total: int
    shares: list[Share]
    expectations: list[Expectation]

    def expectations_of(self, predikat: Predikat) -> list[Expectation]:
        return [e for e in self.expectations if predikat in e.predikats]


def _percent(count: int, total: int) -> Decimal:
    if total == 0:
        return Decimal(0)
    return (Decimal(count) * 100 / total).quantize(_TENTH, rounding=ROUND_HALF_UP)


def _counts(check: DistributionCheck) -> dict[Predikat, int]:
    """The stored counts by predikat; a code the rules do not know is left out."""
    counts = dict.fromkeys(Predikat, 0)
    for code, number in (check.counts or {}).items():
        try:
            counts[Predikat(code)] += max(int(number), 0)
        except (TypeError, ValueError):
            continue
    return counts


def distribution(check: DistributionCheck) -> Distribution:
    """The figures of a unit's distribution page and chart."""
    counts = _counts(check)
    total = sum(counts.values())
    expectations = []
    for share in expected_distribution(check.unit_predikat):
        count = sum(counts[p] for p in share.predikats)
        expectations.append(
            Expectation(
                kind=share.kind,
                predikats=share.predikats,
                limit=share.limit,
                count=count,
                percent=_percent(count, total),
                holds=expectation_holds(share, counts),
            )
        )
    return Distribution(
        check=check,
        total=total,
        shares=[Share(p, counts[p], _percent(counts[p], total)) for p in Predikat],
        expectations=expectations,
    )
