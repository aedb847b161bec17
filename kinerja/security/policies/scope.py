"""Who is asking: the roles and organisational place of one person, computed once per request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Integer, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY

from kinerja.extensions import db
from kinerja.models.org import Employee
from kinerja.security import roles


@dataclass(frozen=True)
class Scope:
    """What one person may reach, from their roles and their employee record. Roles add up:
    an Operator who is also an Employee reaches the union of both."""

    user_id: int | None
    role_names: frozenset[str]
    operator_unit_id: int | None = None
    employee_id: int | None = None
    employee_unit_id: int | None = None
    employee_position_id: int | None = None
    # The Operator's units, listed, when the request resolved them ahead (read-only lists:
    # see kinerja.security.current.with_units_listed); otherwise the policies ask SQL.
    operator_subtree: tuple[int, ...] | None = None

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None or self.manages_all

    @property
    def sees_all(self) -> bool:
        return bool(self.role_names & {roles.ADMIN, roles.INTEGRATOR})

    @property
    def manages_all(self) -> bool:
        return roles.ADMIN in self.role_names

    @property
    def is_operator(self) -> bool:
        return roles.OPERATOR in self.role_names and self.operator_unit_id is not None

    @property
    def is_supervisor(self) -> bool:
        return roles.SUPERVISOR in self.role_names and self.employee_position_id is not None

    @property
    def is_employee(self) -> bool:
        return bool(self.role_names & {roles.EMPLOYEE, roles.SUPERVISOR}) and (
            self.employee_id is not None
        )


SYSTEM = Scope(user_id=None, role_names=frozenset({roles.ADMIN}))
"""The scope of jobs, the CLI and seeding: everything."""

NOBODY = Scope(user_id=None, role_names=frozenset())


def scope_for_user(user: Any | None) -> Scope:
    """The scope of a FAB user (anonymous or ``None`` reaches nothing)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NOBODY
    role_names = frozenset(role.name for role in getattr(user, "roles", []))
    with db.session.no_autoflush:  # never flush a half-built row while asking who this is
        row = db.session.execute(
            select(Employee.id, Employee.unit_id, Employee.position_id).where(
                Employee.user_id == user.id, Employee.active.is_(True)
            )
        ).first()
    return Scope(
        user_id=user.id,
        role_names=role_names,
        operator_unit_id=getattr(user, "operator_unit_id", None),
        employee_id=row.id if row else None,
        employee_unit_id=row.unit_id if row else None,
        employee_position_id=row.position_id if row else None,
    )


def employee_scope(employee_id: int) -> Scope:
    """An employee's own view (used when someone enters data on their behalf)."""
    return Scope(user_id=None, role_names=frozenset({roles.EMPLOYEE}), employee_id=employee_id)


def one_of(column: Any, ids: tuple[int, ...]) -> ColumnElement[bool]:
    """``column`` is one of ``ids``: on PostgreSQL ``= ANY(:ids)``, one array parameter (an
    ``IN`` of hundreds of parameters costs more to build and send than the query takes)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return column.in_(ids)  # type: ignore[no-any-return]
    listed = bindparam(None, list(ids), type_=ARRAY(Integer))
    return column == any_(listed)  # type: ignore[no-any-return]
