"""What a rating is computed from, read for a few plans with the ORM: the indicators of the
approved version in force, the realizations of the regular sub-periods, the levels given to
qualitative indicators, the latest approved evaluation and the unit predikat of a head.

Used for plans under revision (their approved version lives in a snapshot, out of reach of
the set-based statement) and by the naive baseline of the bench, one plan at a time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kinerja.domain.ratings import Level, UnitPredikat
from kinerja.extensions import db
from kinerja.models.org import Position
from kinerja.models.planning import Objective, SubPeriod, WorkPlan
from kinerja.models.ratings import UnitRating
from kinerja.models.reports import BehaviourRating, Evaluation, IndicatorLevel, Realization, Report
from kinerja.services.reports.basis import BasisIndicator, basis


@dataclass(frozen=True)
class EvaluationFacts:
    """The latest approved evaluation of a plan (the annual one, once approved)."""

    id: int
    annual: bool
    results: Level | None
    behaviour: Level | None
    suggested_behaviour: Level | None
    value_levels: tuple[Level, ...]


@dataclass(frozen=True)
class PlanFacts:
    plan_id: int
    employee_id: int
    unit_id: int
    unit_predikat: UnitPredikat | None  # a unit head's, where the unit has one
    indicators: tuple[BasisIndicator, ...]
    values: Mapping[int, tuple[Decimal | None, ...]]  # per indicator, by sub-period
    given_levels: Mapping[int, Level]  # per qualitative indicator, the latest given
    evaluation: EvaluationFacts | None


def load_facts(plan_ids: Sequence[int], period_id: int) -> list[PlanFacts]:
    """The facts of each plan of ``plan_ids`` (a handful of queries for all of them)."""
    if not plan_ids:
        return []
    ids = list(plan_ids)
    plans = db.session.scalars(
        select(WorkPlan)
        .where(WorkPlan.id.in_(ids))
        .order_by(WorkPlan.id)
        .options(
            selectinload(WorkPlan.versions),
            selectinload(WorkPlan.objectives).selectinload(Objective.indicators),
        )
    ).all()
    values = _values(ids)
    given = _given_levels(ids)
    evaluations = _latest_evaluations(ids)
    heads = _unit_predikat_of_heads(ids, period_id)
    return [
        PlanFacts(
            plan_id=plan.id,
            employee_id=plan.employee_id,
            unit_id=plan.unit_id,
            unit_predikat=heads.get(plan.id),
            indicators=tuple(basis(plan)),
            values=values.get(plan.id, {}),
            given_levels=given.get(plan.id, {}),
            evaluation=evaluations.get(plan.id),
        )
        for plan in plans
    ]


def _values(ids: list[int]) -> dict[int, dict[int, tuple[Decimal | None, ...]]]:
    rows = db.session.execute(
        select(Report.work_plan_id, Realization.indicator_id, Realization.value)
        .join(Report, Report.id == Realization.report_id)
        .join(SubPeriod, SubPeriod.id == Report.sub_period_id)
        .where(Report.work_plan_id.in_(ids), SubPeriod.annual.is_(False))
        .order_by(Report.work_plan_id, SubPeriod.number)
    )
    found: dict[int, dict[int, list[Decimal | None]]] = {}
    for plan_id, indicator_id, value in rows:
        found.setdefault(plan_id, {}).setdefault(indicator_id, []).append(value)
    return {
        plan_id: {indicator_id: tuple(seq) for indicator_id, seq in by_indicator.items()}
        for plan_id, by_indicator in found.items()
    }


def _given_levels(ids: list[int]) -> dict[int, dict[int, Level]]:
    rows = db.session.execute(
        select(Report.work_plan_id, IndicatorLevel.indicator_id, IndicatorLevel.level)
        .join(Evaluation, Evaluation.id == IndicatorLevel.evaluation_id)
        .join(Report, Report.id == Evaluation.report_id)
        .join(SubPeriod, SubPeriod.id == Report.sub_period_id)
        .where(Report.work_plan_id.in_(ids), Evaluation.decided_at.is_not(None))
        .order_by(SubPeriod.number)
    )
    found: dict[int, dict[int, Level]] = {}
    for plan_id, indicator_id, level in rows:  # later sub-periods overwrite earlier ones
        found.setdefault(plan_id, {})[indicator_id] = Level(level)
    return found


def _latest_evaluations(ids: list[int]) -> dict[int, EvaluationFacts]:
    rows = db.session.execute(
        select(Report.work_plan_id, Evaluation, SubPeriod.annual)
        .join(Report, Report.id == Evaluation.report_id)
        .join(SubPeriod, SubPeriod.id == Report.sub_period_id)
        .where(Report.work_plan_id.in_(ids), Evaluation.decided_at.is_not(None))
        .order_by(SubPeriod.number)
    )
    latest = {plan_id: (evaluation, annual) for plan_id, evaluation, annual in rows}
    levels: dict[int, list[Level]] = {}
    for evaluation_id, level in db.session.execute(
        select(BehaviourRating.evaluation_id, BehaviourRating.level).where(
            BehaviourRating.evaluation_id.in_([e.id for e, _ in latest.values()])
        )
    ):
        levels.setdefault(evaluation_id, []).append(Level(level))
    return {
        plan_id: EvaluationFacts(
            id=evaluation.id,
            annual=bool(annual),
            results=_level(evaluation.results),
            behaviour=_level(evaluation.behaviour),
            suggested_behaviour=_level(evaluation.suggested_behaviour),
            value_levels=tuple(levels.get(evaluation.id, ())),
        )
        for plan_id, (evaluation, annual) in latest.items()
    }


def _unit_predikat_of_heads(ids: list[int], period_id: int) -> dict[int, UnitPredikat]:
    rows = db.session.execute(
        select(WorkPlan.id, UnitRating.predikat)
        .join(Position, Position.id == WorkPlan.position_id)
        .join(UnitRating, UnitRating.unit_id == Position.unit_id)
        .where(
            WorkPlan.id.in_(ids),
            Position.is_head.is_(True),
            UnitRating.period_id == period_id,
        )
    )
    return {plan_id: UnitPredikat(predikat) for plan_id, predikat in rows}


def _level(value: Level | str | None) -> Level | None:
    return None if value is None else Level(value)
