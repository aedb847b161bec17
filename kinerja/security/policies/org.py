"""Access to the organisation: units, positions, employees, ranks.

* Admin and Integrator read everything; the Admin manages everything.
* An Operator reads and manages their unit's subtree (their own top unit is theirs to fill,
  not to edit or move: that belongs to the BKPSDM).
* An employee reads their unit, its positions and their own record; a supervisor also reads
  the units, positions and people they supervise, directly or not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select, true

from kinerja.models.org import Employee, Position, Rank, Unit
from kinerja.models.trees import subordinate_position_ids, unit_subtree_ids
from kinerja.security.policies.base import Policy, any_of
from kinerja.security.policies.scope import Scope, one_of


def _in_subtree(column: Any, scope: Scope) -> ColumnElement[bool]:
    """``column`` (a unit id) is within the Operator's units: a list when the request resolved
    it ahead (the database then plans for the real number of rows), else a recursive query."""
    assert scope.operator_unit_id is not None
    if scope.operator_subtree is not None:
        return one_of(column, scope.operator_subtree)
    return column.in_(unit_subtree_ids(scope.operator_unit_id))  # type: ignore[no-any-return]


def _subtree(scope: Scope) -> Select[tuple[int]]:
    assert scope.operator_unit_id is not None
    return unit_subtree_ids(scope.operator_unit_id)


def _supervised(scope: Scope) -> Select[tuple[int]]:
    assert scope.employee_position_id is not None
    return subordinate_position_ids(scope.employee_position_id)


Reach = Callable[[Scope], ColumnElement[bool]]


def roles_add_up(
    scope: Scope, *, operator: Reach, employee: Reach, supervisor: Reach
) -> ColumnElement[bool]:
    """What an organisation row's readers reach: Admin and Integrator everything, otherwise
    the union of what each of one's roles reaches (an Operator who is also an employee
    reads both their units and their own records)."""
    if scope.sees_all:
        return true()
    conditions: list[ColumnElement[bool]] = []
    if scope.is_operator:
        conditions.append(operator(scope))
    if scope.is_employee:
        conditions.append(employee(scope))
    if scope.is_supervisor:
        conditions.append(supervisor(scope))
    return any_of(conditions)


def _not_own_links(scope: Scope) -> ColumnElement[bool]:
    """Positions whose supervision links do not involve the person's own position."""
    own = scope.employee_position_id
    if own is None:
        return true()
    return (Position.id != own) & or_(
        Position.supervisor_id.is_(None), Position.supervisor_id != own
    )


class UnitPolicy(Policy[Unit]):
    model = Unit

    def read(self, scope: Scope) -> ColumnElement[bool]:
        return roles_add_up(
            scope,
            operator=lambda s: _in_subtree(Unit.id, s),
            employee=lambda s: Unit.id == s.employee_unit_id,
            supervisor=lambda s: Unit.id.in_(
                select(Employee.unit_id).where(Employee.position_id.in_(_supervised(s)))
            ),
        )

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        """Units one may edit or delete: the Operator's subtree without its top."""
        return self.placeable(scope, include_root=False)

    def placeable(self, scope: Scope, *, include_root: bool = True) -> ColumnElement[bool]:
        """Units one may place things in (a parent, a position's or employee's unit)."""
        if scope.manages_all:
            return true()
        if not scope.is_operator:
            return false()
        subtree = _in_subtree(Unit.id, scope)
        return subtree if include_root else subtree & (Unit.id != scope.operator_unit_id)


class PositionPolicy(Policy[Position]):
    model = Position

    def read(self, scope: Scope) -> ColumnElement[bool]:
        return roles_add_up(
            scope,
            operator=lambda s: _in_subtree(Position.unit_id, s),
            employee=lambda s: Position.unit_id == s.employee_unit_id,
            supervisor=lambda s: Position.id.in_(_supervised(s)),
        )

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        """An Operator's positions, except the supervision links of their own position (it
        and those it supervises): an Operator must not make themselves a supervisor."""
        if scope.manages_all:
            return true()
        if not scope.is_operator:
            return false()
        return _in_subtree(Position.unit_id, scope) & _not_own_links(scope)

    def supervisor_choices(self, scope: Scope) -> ColumnElement[bool]:
        """Positions that may supervise a managed position: those in the subtree, plus those
        that already supervise one of them (an OPD's head reports to the Sekda, outside)."""
        if scope.manages_all:
            return true()
        if not scope.is_operator:
            return false()
        subtree = _subtree(scope)
        own = scope.employee_position_id
        choices = or_(
            Position.unit_id.in_(subtree),
            Position.id.in_(
                select(Position.supervisor_id).where(
                    Position.unit_id.in_(subtree), Position.supervisor_id.is_not(None)
                )
            ),
        )
        return choices if own is None else choices & (Position.id != own)


class EmployeePolicy(Policy[Employee]):
    model = Employee

    def read(self, scope: Scope) -> ColumnElement[bool]:
        return roles_add_up(
            scope,
            operator=lambda s: _in_subtree(Employee.unit_id, s),
            employee=lambda s: Employee.id == s.employee_id,
            supervisor=lambda s: Employee.position_id.in_(_supervised(s)),
        )

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        """An Operator's people, except their own record: taking a post (a supervising one)
        is the Admin's to decide."""
        if scope.manages_all:
            return true()
        if not scope.is_operator:
            return false()
        subtree = _in_subtree(Employee.unit_id, scope)
        return (
            subtree if scope.employee_id is None else subtree & (Employee.id != scope.employee_id)
        )

    def readable_ids(self, scope: Scope) -> Select[tuple[int]]:
        """Employees whose work one may read: own, subordinates (any depth), one's units."""
        return select(Employee.id).where(self.read(scope))

    def team(self, scope: Scope) -> Select[tuple[int]]:
        """The people a supervisor follows day to day: active subordinates, any depth."""
        if not scope.is_supervisor:
            return select(Employee.id).where(false())
        return select(Employee.id).where(
            Employee.position_id.in_(_supervised(scope)), Employee.active.is_(True)
        )


class RankPolicy(Policy[Rank]):
    """Ranks are reference data: everyone signed in reads them; the Admin keeps them."""

    model = Rank

    def read(self, scope: Scope) -> ColumnElement[bool]:
        return true() if scope.signed_in else false()

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        return true() if scope.manages_all else false()


units = UnitPolicy()
positions = PositionPolicy()
employees = EmployeePolicy()
ranks = RankPolicy()
