"""Factories for the annual evaluation: last year's period (its last sub-period has ended,
so its annual report may start) with Epidemiolog Satu's approved plan of two measurable
indicators and a qualitative one, and its quarterly reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from kinerja.domain.planning import (
    Accumulation,
    Aspect,
    Direction,
    PeriodStatus,
    PlanStatus,
)
from kinerja.domain.ratings import Level
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.planning import BehaviourValue, Indicator, Period, WorkPlanVersion
from kinerja.models.reports import Report
from kinerja.security.policies import SYSTEM, scope_for_user
from kinerja.services.plans.history import snapshot
from kinerja.services.plans.periods import save_period
from kinerja.services.reports import evaluations
from kinerja.services.reports import reports as service
from kinerja.services.reports.activities import today
from tests.factories import Org, Planning, draft_plan

QUALITATIVE_TEXT = "Kualitas koordinasi lintas program"


@dataclass
class LastYear:
    period: Any
    plan: Any  # Epidemiolog Satu's: two measurable indicators (12 a year, summed), one qualitative
    regular: list[Any]  # Triwulan I–IV
    annual: Any  # Akhir
    measured: list[Any]
    described: Any  # the qualitative indicator


def qualitative_indicator(text: str = QUALITATIVE_TEXT) -> Indicator:
    return Indicator(
        text=text,
        aspect=Aspect.QUALITY,
        qualitative=True,
        direction=Direction.MORE_IS_BETTER,
        accumulation=Accumulation.LAST,
    )


def approve(plan: Any) -> Any:
    plan.status = PlanStatus.APPROVED
    plan.versions.append(WorkPlanVersion(version=1, approved_at=utcnow(), snapshot=snapshot(plan)))
    db.session.flush()
    return plan


def build_last_year(org: Org, planning: Planning) -> LastYear:
    period = Period(year=today().year - 1, cadence="quarterly")
    save_period(period, SYSTEM)
    period.status = PeriodStatus.EVALUATION
    plan = draft_plan(
        org.employees.epid1, period, ["Laporan surveilans mingguan", "Kader terlatih"]
    )
    plan.objectives[0].indicators.append(qualitative_indicator())
    db.session.flush()
    approve(plan)
    db.session.commit()
    subs = sorted(period.sub_periods, key=lambda s: s.number)
    measured = [o.indicators[0] for o in plan.objectives]
    return LastYear(
        period=period,
        plan=plan,
        regular=[s for s in subs if not s.annual],
        annual=next(s for s in subs if s.annual),
        measured=measured,
        described=plan.objectives[0].indicators[1],
    )


def all_values(level: Level = Level.AS_EXPECTED) -> dict[int, Level]:
    return {v.id: level for v in db.session.scalars(select(BehaviourValue))}


def approved_report(
    year: LastYear, sub_period: Any, values: Sequence[int], planning: Planning
) -> Report:
    """A quarter's report with ``values`` for the measurable indicators and a description
    of the qualitative one, submitted and approved by the Kepala Seksi."""
    report = service.start_report(year.plan.id, sub_period.id, SYSTEM)
    numbers = dict(zip([i.id for i in year.measured], values, strict=True))
    service.save_report(
        report, numbers, SYSTEM, notes={year.described.id: f"Rapat {sub_period.name}"}
    )
    service.submit_report(report, SYSTEM)
    ratings = evaluations.Ratings(
        results=Level.AS_EXPECTED,
        behaviour=Level.AS_EXPECTED,
        values=all_values(),
        feedback="Baik.",
        indicator_levels={year.described.id: Level.AS_EXPECTED},
    )
    evaluations.approve_report(report, ratings, scope_for_user(planning.kasi))
    return report


def the_quarters(year: LastYear, planning: Planning, values: Sequence[Sequence[int]]) -> None:
    for sub_period, numbers in zip(year.regular, values, strict=True):
        approved_report(year, sub_period, numbers, planning)


def target(indicator: Any) -> Decimal:
    return Decimal(indicator.target)
