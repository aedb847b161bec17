"""Development per unit: for each unit of a reader's reach, its active people, how many are
below the yearly 20 JP, their average JP and their average job-person match. Set-based:
three grouped statements, whatever the number of people."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Integer, and_, case, func, select

from kinerja.domain.competency import YEARLY_JP
from kinerja.extensions import db
from kinerja.models.competency import TrainingRecord
from kinerja.models.org import Employee, Unit
from kinerja.models.trees import unit_subtree_ids
from kinerja.security.policies import employees
from kinerja.security.policies.scope import Scope
from kinerja.services.competency.gaps import standard_lines


@dataclass(frozen=True)
class UnitDevelopment:
    unit_id: int
    code: str
    name: str
    people: int
    below_jp: int
    average_jp: Decimal
    average_match: Decimal | None  # of those whose position has a standard


def unit_summary(scope: Scope, year: int, unit_id: int | None = None) -> list[UnitDevelopment]:
    """Each unit with readable active people (of a unit's subtree if given), by code."""
    people = Employee.active.is_(True) & employees.read(scope)
    if unit_id is not None:
        people = people & Employee.unit_id.in_(unit_subtree_ids(unit_id))
    jp = (
        select(
            Employee.id, Employee.unit_id, func.coalesce(func.sum(TrainingRecord.jp), 0).label("jp")
        )
        .outerjoin(
            TrainingRecord,
            and_(TrainingRecord.employee_id == Employee.id, TrainingRecord.year == year),
        )
        .where(people)
        .group_by(Employee.id, Employee.unit_id)
        .subquery("jp")
    )
    per_unit = db.session.execute(
        select(
            jp.c.unit_id,
            func.count(),
            func.sum((jp.c.jp < YEARLY_JP).cast(Integer)),
            func.avg(jp.c.jp),
        ).group_by(jp.c.unit_id)
    ).all()
    lines = standard_lines(people).subquery("lines")
    assessed = func.coalesce(lines.c.assessed, 0)
    met = func.sum(case((assessed < lines.c.required, assessed), else_=lines.c.required))
    match = (
        select(lines.c.employee_id, (met * 100.0 / func.sum(lines.c.required)).label("match"))
        .group_by(lines.c.employee_id)
        .subquery("match")
    )
    matches: dict[int, float] = {
        unit: average
        for unit, average in db.session.execute(
            select(Employee.unit_id, func.avg(match.c.match))
            .join(match, match.c.employee_id == Employee.id)
            .group_by(Employee.unit_id)
        )
    }
    units = {
        u.id: u
        for u in db.session.scalars(select(Unit).where(Unit.id.in_([r[0] for r in per_unit])))
    }
    summary = [
        UnitDevelopment(
            unit_id=unit,
            code=units[unit].code,
            name=units[unit].name,
            people=int(count),
            below_jp=int(below or 0),
            average_jp=Decimal(str(average or 0)).quantize(Decimal("0.1")),
            average_match=(
                Decimal(str(matches[unit])).quantize(Decimal("0.01"))
                if matches.get(unit) is not None
                else None
            ),
        )
        for unit, count, below, average in per_unit
    ]
    return sorted(summary, key=lambda row: row.code)
