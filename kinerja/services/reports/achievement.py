"""Achievement per indicator in a report, computed by the rules of
:mod:`kinerja.domain.ratings` against the approved version the report is made against."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select

from kinerja.domain.errors import DomainError
from kinerja.domain.planning import Direction, ObjectiveKind
from kinerja.domain.ratings import (
    Level,
    accumulate,
    achievement,
    indicator_level,
    periodic_target,
    suggest_results,
)
from kinerja.extensions import db
from kinerja.models.planning import SubPeriod
from kinerja.models.reports import Realization, Report
from kinerja.services.reports.basis import BasisIndicator, BasisObjective, basis


@dataclass
class IndicatorProgress:
    """One indicator in a report: this sub-period's value, the year to date by the
    indicator's accumulation, the target due by now, the achievement and its level — or the
    problem that keeps the achievement from being computed."""

    indicator: BasisIndicator
    realization: Realization | None
    to_date: Decimal | None
    target_to_date: Decimal | None
    achievement: float | None
    level: Level | None
    problem: DomainError | None = None

    @property
    def objective(self) -> BasisObjective:
        return self.indicator.objective


def thresholds() -> tuple[int, int]:
    config = current_app.config
    return int(config.get("KINERJA_LEVEL_ABOVE_AT", 105)), int(
        config.get("KINERJA_LEVEL_EXPECTED_AT", 95)
    )


def progress(report: Report) -> list[IndicatorProgress]:
    """Achievement per indicator of the report's approved version, year to date."""
    sub_period = report.sub_period
    count = (
        db.session.scalar(
            select(func.count()).where(
                SubPeriod.period_id == sub_period.period_id, SubPeriod.annual.is_(False)
            )
        )
        or 1
    )
    number = min(sub_period.number, count)  # the annual evaluation: the whole year
    history: dict[int, list[Decimal | None]] = {}
    rows = db.session.execute(
        select(Realization.indicator_id, Realization.value)
        .join(Report, Report.id == Realization.report_id)
        .join(SubPeriod, SubPeriod.id == Report.sub_period_id)
        .where(Report.work_plan_id == report.work_plan_id, SubPeriod.number <= sub_period.number)
        .order_by(SubPeriod.number)
    )
    for indicator_id, value in rows:
        history.setdefault(indicator_id, []).append(value)
    above_at, expected_at = thresholds()
    lines = {r.indicator_id: r for r in report.realizations}
    result = []
    for indicator in basis(report.work_plan, report.plan_version):
        line = IndicatorProgress(
            indicator=indicator,
            realization=lines.get(indicator.id),
            to_date=accumulate(history.get(indicator.id, []), indicator.accumulation),
            target_to_date=None,
            achievement=None,
            level=None,
        )
        if indicator.qualitative:
            result.append(line)  # described, and given its level by the supervisor
            continue
        assert indicator.target is not None
        try:
            line.target_to_date = periodic_target(
                indicator.target, indicator.accumulation, number, count
            )
            if line.to_date is not None:
                line.achievement = achievement(
                    line.target_to_date,
                    line.to_date,
                    indicator.direction == Direction.LESS_IS_BETTER,
                )
                line.level = indicator_level(line.achievement, above_at, expected_at)
        except DomainError as exc:
            line.problem = exc
        result.append(line)
    return result


def suggested_results(report: Report) -> Level:
    above_at, expected_at = thresholds()
    return suggest_results(
        (
            (line.achievement, line.objective.kind == ObjectiveKind.MAIN)
            for line in progress(report)
            if line.achievement is not None
        ),
        above_at,
        expected_at,
    )
