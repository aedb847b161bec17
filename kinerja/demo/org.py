"""The demo organisation: units and their positions, in one supervision chain up to the Sekda.

Rows go in with set-based inserts of what is missing (by unit and position code), so the demo
stays idempotent and ``--employees 100000`` takes minutes, not hours.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import insert, select, update

from kinerja.demo.org_data import UnitSpec, core_units, growth
from kinerja.domain.org import PositionKind
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.org import Position, Unit

BATCH = 5000
# The government unit has no head: the heads of its units report to the Sekretaris Daerah.
GOVERNMENT, SECRETARIAT = "PEMKOT", "SETDA"


@dataclass(frozen=True)
class PositionSlot:
    code: str
    name: str
    kind: PositionKind
    grade: int
    is_head: bool


def demo_units(employees: int) -> list[UnitSpec]:
    """The core tree, then as many repeated units as the extra employees need."""
    return list(core_units()) + list(_grown_units(employees))


def _grown_units(employees: int) -> Iterator[UnitSpec]:
    plan = growth()
    extra = max(0, employees - plan.core_employees) // plan.employees_per_unit
    for n in range(extra):
        template = plan.templates[n % len(plan.templates)]
        number = n // len(plan.templates) + 1
        name = template.name.format(n=number)
        yield UnitSpec(
            code=f"{template.parent}.{template.prefix}{number:05d}",
            name=name,
            kind=template.kind,
            parent=template.parent,
            head=replace(template.head, name=f"{template.head.name} {name}"),
            staff=template.staff,
        )


def position_code(unit_code: str, index: int) -> str:
    return f"{unit_code}-{index:02d}"


def position_slots(spec: UnitSpec) -> list[PositionSlot]:
    """A unit's positions; the head is number 00, so codes stay stable as staff are added."""
    out = []
    if spec.head:
        head = spec.head
        out.append(
            PositionSlot(position_code(spec.code, 0), head.name, head.kind, head.grade, True)
        )
    for index, staff in enumerate(spec.staff, start=1):
        code = position_code(spec.code, index)
        out.append(PositionSlot(code, staff.name, staff.kind, staff.grade, False))
    return out


def core_position_code(unit_code: str, position_name: str) -> str:
    """The code of a core unit's position named in a data file."""
    spec = next(s for s in core_units() if s.code == unit_code)
    for slot in position_slots(spec):
        if slot.name == position_name:
            return slot.code
    raise LookupError(position_name)


def ensure_units(specs: list[UnitSpec]) -> dict[str, int]:
    """Insert the missing units, parents first, level by level; returns ids by code."""
    ids = dict(db.session.execute(select(Unit.code, Unit.id)).tuples().all())
    now = utcnow()
    pending = [s for s in specs if s.code not in ids]
    while pending:
        ready = [s for s in pending if s.parent is None or s.parent in ids]
        if not ready:
            raise RuntimeError("demo units reference unknown parents")
        rows = [
            {
                "code": s.code,
                "name": s.name,
                "kind": s.kind,
                "active": True,
                "parent_id": ids.get(s.parent) if s.parent else None,
                "created_at": now,
                "updated_at": now,
            }
            for s in ready
        ]
        for chunk in chunks(rows):
            db.session.execute(insert(Unit), chunk)
        ids = dict(db.session.execute(select(Unit.code, Unit.id)).tuples().all())
        pending = [s for s in pending if s.code not in ids]
    return ids


def ensure_positions(specs: list[UnitSpec], unit_ids: dict[str, int]) -> dict[str, int]:
    """Insert the missing positions and link them to their supervising position, leaving
    existing positions as they are; returns ids by code."""
    existing = dict(db.session.execute(select(Position.code, Position.id)).tuples().all())
    now = utcnow()
    rows = [
        {
            "code": slot.code,
            "name": slot.name,
            "kind": slot.kind,
            "grade": slot.grade,
            "is_head": slot.is_head,
            "active": True,
            "unit_id": unit_ids[spec.code],
            "created_at": now,
            "updated_at": now,
        }
        for spec in specs
        for slot in position_slots(spec)
        if slot.code not in existing
    ]
    for chunk in chunks(rows):
        db.session.execute(insert(Position), chunk)
    ids = dict(db.session.execute(select(Position.code, Position.id)).tuples().all())
    new_codes = {row["code"] for row in rows}
    by_code = {s.code: s for s in specs}
    updates = []
    for spec in specs:
        boss = _boss_of(spec, by_code)
        for slot in position_slots(spec):
            if slot.code not in new_codes:
                continue
            supervisor = boss if slot.is_head else (_head_code(spec) or boss)
            if supervisor and supervisor in ids:
                updates.append({"id": ids[slot.code], "supervisor_id": ids[supervisor]})
    for chunk in chunks(updates):
        db.session.execute(update(Position), chunk)
    return ids


def _boss_of(spec: UnitSpec, by_code: dict[str, UnitSpec]) -> str | None:
    """The head position above a unit: its parent's head, or further up; OPD heads report to
    the Sekretaris Daerah."""
    parent = by_code.get(spec.parent) if spec.parent else None
    while parent is not None:
        if parent.code == GOVERNMENT:
            return _head_code(by_code[SECRETARIAT]) if spec.code != SECRETARIAT else None
        if parent.head:
            return _head_code(parent)
        parent = by_code.get(parent.parent) if parent.parent else None
    return None


def _head_code(spec: UnitSpec) -> str | None:
    return position_code(spec.code, 0) if spec.head else None


def chunks(rows: list[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    """Bounded batches, so a large demo never builds one huge statement."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
