"""Who hears about other people's work: the holders of a supervising position, the
Operators of a unit (of it or of a unit above it) and the Admins — each found with one
query for a whole job, never one per employee."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import select

from kinerja.extensions import db
from kinerja.models.org import Employee, Unit
from kinerja.models.security import KinerjaUser
from kinerja.security import roles


def holders(position_ids: Iterable[int]) -> dict[int, list[int]]:
    """The active employees holding each position (by position id)."""
    ids = sorted(set(position_ids))
    found: dict[int, list[int]] = defaultdict(list)
    if not ids:
        return found
    rows = db.session.execute(
        select(Employee.position_id, Employee.id)
        .where(Employee.position_id.in_(ids), Employee.active.is_(True))
        .order_by(Employee.id)
    )
    for position_id, employee_id in rows:
        found[position_id].append(employee_id)
    return found


def admin_ids() -> list[int]:
    """The active logins with the Admin role."""
    return list(
        db.session.scalars(
            select(KinerjaUser.id)
            .join(KinerjaUser.roles)
            .where(Role.name == roles.ADMIN, KinerjaUser.active.is_(True))
            .order_by(KinerjaUser.id)
        )
    )


@dataclass(frozen=True)
class UnitTree:
    """The unit tree (parent of each unit) and the Operators of each unit, loaded once."""

    parents: Mapping[int, int | None]
    operators: Mapping[int, list[int]]  # unit id → Operator logins of exactly that unit

    @classmethod
    def load(cls) -> UnitTree:
        parents = dict(db.session.execute(select(Unit.id, Unit.parent_id)).tuples().all())
        operators: dict[int, list[int]] = defaultdict(list)
        rows = db.session.execute(
            select(KinerjaUser.operator_unit_id, KinerjaUser.id)
            .join(KinerjaUser.roles)
            .where(
                Role.name == roles.OPERATOR,
                KinerjaUser.active.is_(True),
                KinerjaUser.operator_unit_id.is_not(None),
            )
            .order_by(KinerjaUser.id)
        )
        for unit_id, user_id in rows:
            operators[unit_id].append(user_id)
        return cls(parents, operators)

    def chain(self, unit_id: int) -> list[int]:
        """The unit and every unit above it (a cyclic tree stops where it repeats)."""
        seen: list[int] = []
        current: int | None = unit_id
        while current is not None and current not in seen:
            seen.append(current)
            current = self.parents.get(current)
        return seen

    def operators_of(self, unit_id: int) -> list[int]:
        """The Operators who manage the unit: those of the unit or of a unit above it."""
        return [user for unit in self.chain(unit_id) for user in self.operators.get(unit, [])]

    def within(self, unit_id: int, root_id: int) -> bool:
        return root_id in self.chain(unit_id)
