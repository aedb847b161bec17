"""Data quality: the mistakes that break evaluations, each found by one set-based query."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, select
from sqlalchemy.orm import aliased

from kinerja.domain.errors import N_
from kinerja.domain.org import UnitKind
from kinerja.extensions import db
from kinerja.models.org import Employee, Position, Unit
from kinerja.security.policies import employees, positions, units
from kinerja.security.policies.scope import Scope


@dataclass(frozen=True)
class Check:
    code: str
    title: str
    advice: str
    model: type
    query: Callable[[Scope], Select]


def _active_holder(position: Any = Position) -> ColumnElement[bool]:
    return exists().where(Employee.position_id == position.id, Employee.active.is_(True))


def _employees_without_position(scope: Scope) -> Select:
    return (
        select(Employee)
        .where(
            Employee.active.is_(True),
            Employee.position_id.is_(None),
            employees.manage(scope),
        )
        .order_by(Employee.name)
    )


def _employees_without_login(scope: Scope) -> Select:
    return (
        select(Employee)
        .where(Employee.active.is_(True), Employee.user_id.is_(None), employees.manage(scope))
        .order_by(Employee.name)
    )


def _positions_without_supervisor(scope: Scope) -> Select:
    return (
        select(Position)
        .where(
            Position.active.is_(True),
            Position.supervisor_id.is_(None),
            Position.is_head.is_(False),
            positions.manage(scope),
        )
        .order_by(Position.code)
    )


def _vacant_supervising_positions(scope: Scope) -> Select:
    sub = aliased(Position)
    return (
        select(Position)
        .where(
            Position.active.is_(True),
            exists().where(sub.supervisor_id == Position.id, sub.active.is_(True)),
            ~_active_holder(),
            positions.manage(scope),
        )
        .order_by(Position.code)
    )


def _units_without_head(scope: Scope) -> Select:
    head = aliased(Position)
    return (
        select(Unit)
        .where(
            Unit.active.is_(True),
            Unit.kind != UnitKind.GOVERNMENT,  # the region itself is led by elected officials
            ~exists().where(
                and_(head.unit_id == Unit.id, head.is_head.is_(True), head.active.is_(True))
            ),
            units.placeable(scope),
        )
        .order_by(Unit.code)
    )


CHECKS: list[Check] = [
    Check(
        "employees_without_position",
        N_("Employees without a position"),
        N_("Without a position an employee has no supervisor to plan and rate their work."),
        Employee,
        _employees_without_position,
    ),
    Check(
        "employees_without_login",
        N_("Employees without a login"),
        N_("They cannot plan or report; create logins for them in bulk from the employee list."),
        Employee,
        _employees_without_login,
    ),
    Check(
        "positions_without_supervisor",
        N_("Positions without a supervising position"),
        N_("Every position but a unit head needs an atasan, or its holders cannot be rated."),
        Position,
        _positions_without_supervisor,
    ),
    Check(
        "vacant_supervising_positions",
        N_("Vacant positions that supervise others"),
        N_("Their subordinates have nobody to approve plans and reports: appoint a holder."),
        Position,
        _vacant_supervising_positions,
    ),
    Check(
        "units_without_head",
        N_("Units without a head"),
        N_("Mark the position that heads the unit, or add one."),
        Unit,
        _units_without_head,
    ),
]
CHECKS_BY_CODE = {check.code: check for check in CHECKS}


def issue_counts(scope: Scope) -> dict[str, int]:
    return {
        check.code: db.session.scalar(
            select(func.count()).select_from(check.query(scope).order_by(None).subquery())
        )
        or 0
        for check in CHECKS
    }


def issues(check: Check, scope: Scope, page: int = 0, page_size: int = 50) -> list[object]:
    return list(db.session.scalars(check.query(scope).offset(page * page_size).limit(page_size)))
