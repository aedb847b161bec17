"""The figures the home page shows each person: what is within their reach, their own plan,
and what waits for them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select

from kinerja.extensions import db
from kinerja.models.org import Employee, Position, Unit
from kinerja.models.planning import Period, WorkPlan
from kinerja.security.policies import employees, positions, units
from kinerja.security.policies.scope import Scope
from kinerja.services.data_quality import issue_counts
from kinerja.services.plans.periods import current_period
from kinerja.services.plans.queries import approval_queue_query
from kinerja.services.reports.queries import queue_count


@dataclass(frozen=True)
class Overview:
    counts: dict[str, int]
    me: Employee | None
    data_quality: int | None
    period: Period | None
    my_plan: WorkPlan | None
    plans_waiting: int
    reports_waiting: int


def overview(scope: Scope) -> Overview:
    me = db.session.get(Employee, scope.employee_id) if scope.employee_id is not None else None
    period = current_period()
    my_plan = None
    if me is not None and period is not None:
        my_plan = db.session.scalar(
            select(WorkPlan).where(WorkPlan.employee_id == me.id, WorkPlan.period_id == period.id)
        )
    plans_waiting = 0
    if scope.is_supervisor:
        plans_waiting = _count_rows(approval_queue_query(scope))
    return Overview(
        counts={
            "units": _count(Unit, units.read(scope)),
            "positions": _count(Position, positions.read(scope)),
            "employees": _count(Employee, employees.read(scope)),
        },
        me=me,
        data_quality=sum(issue_counts(scope).values())
        if scope.manages_all or scope.is_operator
        else None,
        period=period,
        my_plan=my_plan,
        plans_waiting=plans_waiting,
        reports_waiting=queue_count(scope),
    )


def _count(model: type, condition: ColumnElement[bool]) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(condition)) or 0


def _count_rows(query: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
