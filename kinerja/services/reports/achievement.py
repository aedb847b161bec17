"""Achievement per indicator in a report, computed by the rules of
:mod:`kinerja.domain.ratings` against the approved version the report is made against, and
the results level suggested from it: the indicators' levels (a qualitative indicator counts
with the level its evaluator gave it), or for a unit's head the unit's own predikat."""

from __future__ import annotations

from collections.abc import Mapping
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
    suggest_results_from_levels,
    unit_head_results,
)
from kinerja.extensions import db
from kinerja.models.org import Position
from kinerja.models.planning import SubPeriod, WorkPlan
from kinerja.models.ratings import UnitRating
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


@dataclass(frozen=True)
class ResultsSuggestion:
    """The suggested results level and what it follows: the indicators' levels, or the
    unit predikat ``unit_rating`` of the unit the employee heads."""

    level: Level
    unit_rating: UnitRating | None = None


def head_unit_rating(plan: WorkPlan) -> UnitRating | None:
    """The unit predikat that sets the suggestion of a unit's head: that of the unit whose
    head position the plan was made for, in the plan's period (None: not a head, or the
    unit's predikat is not set)."""
    if plan.position_id is None:
        return None
    return db.session.scalar(
        select(UnitRating)
        .join(Position, Position.unit_id == UnitRating.unit_id)
        .where(
            Position.id == plan.position_id,
            Position.is_head.is_(True),
            UnitRating.period_id == plan.period_id,
        )
    )


def results_suggestion(
    report: Report, given: Mapping[int, Level] | None = None
) -> ResultsSuggestion:
    """What the results of ``report`` are suggested to be, with ``given`` levels (by
    indicator id) of its qualitative indicators: they count where an achievement would; a
    qualitative indicator not yet given a level does not count (domain.md)."""
    unit_rating = head_unit_rating(report.work_plan)
    if unit_rating is not None:
        return ResultsSuggestion(unit_head_results(unit_rating.predikat), unit_rating)
    levels: list[tuple[Level, bool]] = []
    chosen = given or {}
    for line in progress(report):
        level = chosen.get(line.indicator.id) if line.indicator.qualitative else line.level
        if level is not None:
            levels.append((level, line.objective.kind == ObjectiveKind.MAIN))
    return ResultsSuggestion(suggest_results_from_levels(levels))


def suggested_results(report: Report, given: Mapping[int, Level] | None = None) -> Level:
    return results_suggestion(report, given).level
