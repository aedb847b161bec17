"""Factories for the ratings: plans with chosen indicators, reports with realizations,
evaluations with value ratings and qualitative levels, written directly as rows (the
screens of the annual evaluation are another story) and committed, so that workers in other
processes see them."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select

from kinerja.domain.planning import (
    Accumulation,
    Aspect,
    Direction,
    ObjectiveKind,
    PeriodStatus,
    PlanStatus,
    default_accumulation,
    default_direction,
)
from kinerja.domain.ratings import Level, UnitPredikat, predikat
from kinerja.domain.reporting import ReportStatus
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.org import Employee, Unit
from kinerja.models.planning import (
    BehaviourValue,
    Indicator,
    Objective,
    Period,
    SubPeriod,
    WorkPlan,
    WorkPlanVersion,
)
from kinerja.models.ratings import Rating, UnitRating
from kinerja.models.reports import (
    BehaviourRating,
    Evaluation,
    IndicatorLevel,
    Realization,
    Report,
)
from kinerja.security.policies import SYSTEM
from kinerja.services.plans.history import snapshot
from kinerja.services.plans.periods import save_period
from tests.factories import make_employee, make_position


@dataclass(frozen=True)
class Spec:
    """An indicator to plan: measurable with a target, or qualitative (``target=None``)."""

    aspect: Aspect = Aspect.QUANTITY
    target: Decimal | int | None = 12
    main: bool = True
    direction: Direction | None = None
    accumulation: Accumulation | None = None


QUALITATIVE = Spec(aspect=Aspect.QUALITY, target=None)


def open_period(year: int = 2026, status: PeriodStatus = PeriodStatus.EVALUATION) -> Period:
    """A quarterly period (four Triwulan and the annual evaluation)."""
    period = Period(year=year, cadence="quarterly")
    save_period(period, SYSTEM)
    period.status = status
    db.session.commit()
    return period


def regular(period: Period) -> list[SubPeriod]:
    return [s for s in period.sub_periods if not s.annual]


def annual(period: Period) -> SubPeriod:
    return next(s for s in period.sub_periods if s.annual)


def plan(
    employee: Employee, period: Period, specs: Sequence[Spec], approved: bool = True
) -> WorkPlan:
    """A plan with one objective per indicator, approved (a version kept) unless told."""
    work_plan = WorkPlan(
        period=period,
        employee=employee,
        position_id=employee.position_id,
        unit_id=employee.unit_id,
        status=PlanStatus.DRAFT,
        version=1,
    )
    for index, spec in enumerate(specs):
        objective = Objective(
            kind=ObjectiveKind.MAIN if spec.main else ObjectiveKind.ADDITIONAL,
            text=f"Sasaran {index + 1}",
            order=index,
        )
        objective.indicators = [
            Indicator(
                text=f"Indikator {index + 1}",
                aspect=spec.aspect,
                qualitative=spec.target is None,
                target=None if spec.target is None else _cents(spec.target),
                unit=None if spec.target is None else "dokumen",
                direction=spec.direction or default_direction(spec.aspect),
                accumulation=spec.accumulation or default_accumulation(spec.aspect),
            )
        ]
        work_plan.objectives.append(objective)
    db.session.add(work_plan)
    db.session.flush()
    if approved:
        work_plan.status = PlanStatus.APPROVED
        work_plan.versions.append(
            WorkPlanVersion(version=1, approved_at=utcnow(), snapshot=snapshot(work_plan))
        )
    db.session.commit()
    return work_plan


def _cents(value: Any) -> Decimal:
    """A number as NUMERIC(14, 2) keeps it (PostgreSQL rounds on storage, SQLite does not)."""
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def indicators(work_plan: WorkPlan) -> list[Indicator]:
    return [i for o in work_plan.objectives for i in o.indicators]


def report(
    work_plan: WorkPlan,
    sub_period: SubPeriod,
    values: Sequence[Any] | Mapping[int, Any],
    status: ReportStatus = ReportStatus.APPROVED,
) -> Report:
    """A report with a realization per indicator (values in the plan's order, or by id)."""
    lines = indicators(work_plan)
    by_id = (
        values
        if isinstance(values, Mapping)
        else dict(zip([i.id for i in lines], values, strict=True))
    )
    row = Report(
        work_plan=work_plan,
        sub_period=sub_period,
        employee_id=work_plan.employee_id,
        unit_id=work_plan.unit_id,
        status=status,
        plan_version=work_plan.version,
    )
    row.realizations = [
        Realization(indicator_id=i, value=None if v is None else _cents(v))
        for i, v in by_id.items()
    ]
    db.session.add(row)
    db.session.commit()
    return row


def evaluate(
    row: Report,
    results: Level | None,
    behaviour: Level | None,
    values: Level | Sequence[Level] | None = Level.AS_EXPECTED,
    levels: Mapping[int, Level] | None = None,
    decided: bool = True,
) -> Evaluation:
    """The supervisor's evaluation of a report: levels, the seven values, qualitative
    levels by indicator id; approved (decided) unless told."""
    value_ids = db.session.scalars(select(BehaviourValue.id).order_by(BehaviourValue.order)).all()
    if values is None:
        value_levels: list[Level] = []
    elif isinstance(values, Level):
        value_levels = [values] * len(value_ids)
    else:
        value_levels = list(values)
    evaluation = Evaluation(
        report_id=row.id,
        employee_id=row.employee_id,
        results=results,
        behaviour=behaviour,
        predikat=predikat(results, behaviour) if results and behaviour and decided else None,
        decided_at=utcnow() if decided else None,
        feedback="Baik" if decided else None,
    )
    evaluation.ratings = [
        BehaviourRating(value_id=v, level=level)
        for v, level in zip(value_ids, value_levels, strict=False)
    ]
    evaluation.indicator_levels = [
        IndicatorLevel(indicator_id=i, level=level) for i, level in (levels or {}).items()
    ]
    db.session.add(evaluation)
    db.session.commit()
    return evaluation


def set_unit_predikat(unit: Unit, period: Period, value: UnitPredikat) -> UnitRating:
    row = UnitRating(unit_id=unit.id, period_id=period.id, predikat=value, note="uji")
    db.session.add(row)
    db.session.commit()
    return row


def ratings_by_employee(period: Period) -> dict[int, Rating]:
    db.session.expire_all()
    rows = db.session.scalars(select(Rating).where(Rating.period_id == period.id))
    return {r.employee_id: r for r in rows}


def staff(unit: Unit, supervisor: Any, count: int, prefix: str) -> list[Employee]:
    """``count`` employees in ``unit``, each in a position of their own."""
    people = []
    for index in range(count):
        position = make_position(f"{prefix}{index}", unit, supervisor)
        people.append(make_employee(f"Pegawai {prefix}{index}", position))
    db.session.commit()
    return people


VALUES_OF = [Decimal(v) for v in ("0", "1", "2.5", "3", "3.15", "4", "9.5", "10", "10.5", "12")]
LEVELS = list(Level)


def random_year(rng: random.Random, period: Period, people: Sequence[Employee], unit: Unit) -> None:
    """A year of plans, reports and evaluations drawn at random (reproducibly by ``rng``):
    every aspect, direction and accumulation, qualitative indicators, missing and empty
    realizations, periodic and annual evaluations, values rated or not, plans under
    revision, and a unit predikat or not."""
    quarters = regular(period)
    if rng.random() < 0.7:
        set_unit_predikat(unit, period, rng.choice(list(UnitPredikat)))
    for employee in people:
        specs = [
            QUALITATIVE
            if rng.random() < 0.15
            else Spec(
                aspect=rng.choice(list(Aspect)),
                target=rng.choice([Decimal("10"), Decimal("12"), Decimal("3.3"), Decimal("100")]),
                main=rng.random() < 0.6,
                direction=rng.choice([None, *Direction]),
                accumulation=rng.choice([None, *Accumulation]),
            )
            for _ in range(rng.randint(0, 5))
        ]
        work_plan = plan(employee, period, specs)
        lines = indicators(work_plan)
        for quarter in quarters:
            if rng.random() < 0.2:
                continue
            values = [
                None if i.qualitative or rng.random() < 0.1 else rng.choice(VALUES_OF) * _scale(i)
                for i in lines
            ]
            row = report(work_plan, quarter, values)
            if rng.random() < 0.6:
                _random_evaluation(rng, row, lines)
        if rng.random() < 0.4:
            row = report(work_plan, annual(period), [None] * len(lines))
            _random_evaluation(rng, row, lines)
        if rng.random() < 0.15:  # a revision opened after the approval: rated as approved
            work_plan.status = PlanStatus.DRAFT
            work_plan.version = 2
            for indicator in indicators(work_plan):
                if indicator.target is not None:
                    indicator.target = indicator.target * 3
            db.session.commit()


def _scale(indicator: Indicator) -> Decimal:
    return Decimal(indicator.target or 1) / 10


def _random_evaluation(rng: random.Random, row: Report, lines: list[Indicator]) -> None:
    evaluate(
        row,
        rng.choice([*LEVELS, None]),
        rng.choice([*LEVELS, None]),
        values=rng.choice([None, [rng.choice(LEVELS) for _ in range(7)]]),
        levels={i.id: rng.choice(LEVELS) for i in lines if i.qualitative and rng.random() < 0.8},
        decided=rng.random() < 0.85,
    )
