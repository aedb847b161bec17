"""Use cases of the organisation: validating, saving and deleting units, positions and
employees.

Validation raises :class:`~kinerja.domain.errors.FieldErrors` keyed by the field names the
forms and the API use, so the same rule speaks in the UI, the API and imports.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select

from kinerja.domain.contact import normalise_email
from kinerja.domain.errors import N_, ConflictError, DomainError
from kinerja.domain.nip import InvalidNip, parse_nip
from kinerja.extensions import db
from kinerja.models.org import Employee, Position, Rank, Unit
from kinerja.models.trees import supervisor_chain_ids, unit_ancestor_ids
from kinerja.security.policies import Policy, employees, is_within, positions, units
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import use_case
from kinerja.services.roles import sync_supervisor_roles
from kinerja.services.validation import NOT_FOUND, Errors, duplicate, require, require_within
from kinerja.services.webhooks import announce


def _check_code_name_kind(errors: Errors, item: Unit | Position, used: str) -> None:
    """The code (trimmed, unique per table), name and kind every unit and position needs."""
    model = type(item)
    if require(errors, "code", item.code):
        item.code = item.code.strip()
        if duplicate(model, model.code, item.code, item.id):
            errors.add("code", used, code=item.code)
    require(errors, "name", item.name)
    require(errors, "kind", item.kind)


# --- units ----------------------------------------------------------------------------------


def validate_unit(unit: Unit, scope: Scope) -> None:
    """Code unique, no cycle in the tree, parent within the person's units."""
    errors = Errors()
    with db.session.no_autoflush:
        _check_code_name_kind(errors, unit, N_("Unit code %(code)s is already used."))
        parent_id = unit.parent.id if unit.parent is not None else unit.parent_id
        if parent_id is None:
            if not scope.manages_all:
                errors.add("parent", N_("Choose the unit this unit belongs to."))
        elif not is_within(units.placeable(scope), Unit, parent_id):
            errors.add("parent", NOT_FOUND)
        elif unit.id is not None and creates_unit_cycle(unit.id, parent_id):
            errors.add(
                "parent", N_("A unit cannot be placed below itself or one of its sub-units.")
            )
    errors.raise_if_any()


def creates_unit_cycle(unit_id: int, new_parent_id: int) -> bool:
    ancestors = set(db.session.scalars(unit_ancestor_ids(new_parent_id)))
    return unit_id in ancestors


# --- positions ------------------------------------------------------------------------------


def validate_position(position: Position, scope: Scope) -> None:
    """Code unique, unit within reach, grade 1–17, no cycle in the supervision chain."""
    errors = Errors()
    with db.session.no_autoflush:
        _check_code_name_kind(errors, position, N_("Position code %(code)s is already used."))
        unit_id = position.unit.id if position.unit is not None else position.unit_id
        require_within(errors, "unit", unit_id, units.placeable(scope), Unit)
        if (
            position.is_head
            and position.active
            and unit_id is not None
            and duplicate(
                Position,
                Position.unit_id,
                unit_id,
                position.id,
                Position.is_head.is_(True),
                Position.active.is_(True),
            )
        ):
            errors.add("is_head", N_("This unit already has a head position."))
        if position.grade is not None and not 1 <= position.grade <= 17:
            errors.add("grade", N_("The position class must be between 1 and 17."))
        supervisor_id = (
            position.supervisor.id if position.supervisor is not None else position.supervisor_id
        )
        if supervisor_id is not None:
            if not is_within(positions.supervisor_choices(scope), Position, supervisor_id):
                errors.add("supervisor", NOT_FOUND)
            elif position.id is not None and creates_supervision_cycle(position.id, supervisor_id):
                errors.add(
                    "supervisor",
                    N_("A position cannot be supervised by itself or by one it supervises."),
                )
    errors.raise_if_any()


def creates_supervision_cycle(position_id: int, new_supervisor_id: int) -> bool:
    chain = set(db.session.scalars(supervisor_chain_ids(new_supervisor_id)))
    return position_id in chain


# --- employees ------------------------------------------------------------------------------


def validate_employee(employee: Employee, scope: Scope) -> None:
    """Valid and unique NIP, unit within reach, position in the employee's unit, rank fits."""
    errors = Errors()
    with db.session.no_autoflush:
        if require(errors, "nip", employee.nip):
            try:
                employee.nip = parse_nip(employee.nip).value
            except InvalidNip as exc:
                errors["nip"].append(exc)
            else:
                if duplicate(Employee, Employee.nip, employee.nip, employee.id):
                    errors.add("nip", N_("NIP %(nip)s is already registered."), nip=employee.nip)
        require(errors, "name", employee.name)
        position = employee.position or (
            db.session.get(Position, employee.position_id) if employee.position_id else None
        )
        unit_id = employee.unit.id if employee.unit is not None else employee.unit_id
        if unit_id is None and position is not None:
            employee.unit = position.unit
            unit_id = position.unit_id
        if require(errors, "unit", unit_id):
            if not is_within(units.placeable(scope), Unit, unit_id):
                errors.add("unit", NOT_FOUND)
            elif position is not None and position.unit_id != unit_id:
                errors.add(
                    "position",
                    N_("This position belongs to another unit (%(unit)s)."),
                    unit=position.unit.name,
                )
            elif (
                position is not None
                and _newly_placed(employee, position)
                and not is_within(positions.manage(scope), Position, position.id)
            ):
                errors.add("position", NOT_FOUND)
        rank = employee.rank or (
            db.session.get(Rank, employee.rank_id) if employee.rank_id else None
        )
        if (
            rank is not None
            and employee.employment_type
            and rank.employment_type != employee.employment_type
        ):
            errors.add("rank", N_("This rank does not fit the employment type."))
        if employee.email and employee.email.strip():
            try:
                employee.email = normalise_email(employee.email)
            except DomainError as exc:
                errors["email"].append(exc)
        elif employee.email is not None:
            employee.email = None
    errors.raise_if_any()


def _newly_placed(employee: Employee, position: Position) -> bool:
    """Whether the employee is being given ``position`` now (an unchanged post is not
    checked again: it may be one the person may no longer hand out)."""
    if employee.id is None:
        return True
    held = db.session.scalar(select(Employee.position_id).where(Employee.id == employee.id))
    return held != position.id


# --- saving and deleting --------------------------------------------------------------------
# A new row is checked by the validation (its parent, unit or supervisor must be within
# reach); an existing one must itself be manageable.


def _check_existing(policy: Policy[Any], row: Unit | Position | Employee, scope: Scope) -> None:
    if row.id is not None:
        policy.check_manage(scope, row)


@use_case
def save_unit(unit: Unit, scope: Scope) -> None:
    _check_existing(units, unit, scope)
    validate_unit(unit, scope)
    db.session.add(unit)


@use_case
def save_position(position: Position, scope: Scope) -> None:
    _check_existing(positions, position, scope)
    validate_position(position, scope)
    db.session.add(position)
    db.session.flush()
    sync_supervisor_roles()


@use_case
def save_employee(employee: Employee, scope: Scope) -> None:
    _check_existing(employees, employee, scope)
    validate_employee(employee, scope)
    op = "update" if employee.id is not None else "create"
    db.session.add(employee)
    db.session.flush()
    sync_supervisor_roles()
    announce.employee_changed(employee, op)


@use_case
def delete_unit(unit: Unit, scope: Scope) -> None:
    """Only an empty unit can go: its sub-units, positions and employees would lose their home."""
    units.check_manage(scope, unit)
    counts = {
        "units": _count(Unit, Unit.parent_id == unit.id),
        "positions": _count(Position, Position.unit_id == unit.id),
        "employees": _count(Employee, Employee.unit_id == unit.id),
    }
    if any(counts.values()):
        raise ConflictError(
            N_(
                "This unit still has %(units)d sub-units, %(positions)d positions and "
                "%(employees)d employees; move or remove them first."
            ),
            **counts,
        )
    db.session.delete(unit)


@use_case
def delete_position(position: Position, scope: Scope) -> None:
    positions.check_manage(scope, position)
    counts = {
        "holders": _count(Employee, Employee.position_id == position.id),
        "subordinates": _count(Position, Position.supervisor_id == position.id),
    }
    if any(counts.values()):
        raise ConflictError(
            N_(
                "This position is still held by %(holders)d employees and supervises "
                "%(subordinates)d positions; reassign them first."
            ),
            **counts,
        )
    db.session.delete(position)
    db.session.flush()
    sync_supervisor_roles()


@use_case
def delete_employee(employee: Employee, scope: Scope) -> None:
    employees.check_manage(scope, employee)
    announce.employee_changed(employee, "delete")
    db.session.delete(employee)
    db.session.flush()
    sync_supervisor_roles()


def _count(model: Any, condition: ColumnElement[bool]) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(condition)) or 0
