"""The demo logins (logins.toml): one per role, the personal ones tied to their employee so
that each sees exactly what that role sees. Existing logins are kept as they are."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import select

from kinerja.demo.org import core_position_code
from kinerja.demo.org_data import LoginSpec, logins
from kinerja.extensions import db
from kinerja.models.org import Employee
from kinerja.models.security import KinerjaUser
from kinerja.security import roles
from kinerja.services.logins import hash_password, split_name


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    description: str  # the roles, and the person's name for a personal login
    employee_id: int | None


def ensure_logins(unit_ids: dict[str, int], position_ids: dict[str, int]) -> list[DemoLogin]:
    """Create the missing logins and link the personal ones to their employee."""
    password = current_app.config["KINERJA_DEMO_PASSWORD"]
    role = {
        name: db.session.scalar(select(Role).where(Role.name == name)) for name in roles.ALL_ROLES
    }
    out = []
    for spec in logins():
        employee = _person_of(spec, position_ids)
        first, last = spec.first_name, spec.last_name
        if employee is not None:  # the login shows the person's own name
            first, last = split_name(employee.name)
        user = db.session.scalar(select(KinerjaUser).where(KinerjaUser.username == spec.username))
        if user is None:
            user = KinerjaUser(
                username=spec.username,
                first_name=first,
                last_name=last,
                email=f"{spec.username}@kinerja.example",
                active=True,
                password=hash_password(password),
                roles=[role[r] for r in spec.roles if role[r]],
                operator_unit_id=unit_ids[spec.operator_unit] if spec.operator_unit else None,
            )
            db.session.add(user)
            db.session.flush()
        if employee is not None and employee.user_id is None:
            employee.user_id = user.id
        description = ", ".join(spec.roles)
        if employee is not None:
            description += f" — {employee.name}"
        employee_id = employee.id if employee is not None else None
        out.append(DemoLogin(spec.username, password, description, employee_id))
    return out


def _person_of(spec: LoginSpec, position_ids: dict[str, int]) -> Employee | None:
    if spec.unit is None or spec.position is None:
        return None
    return _holder(position_ids[core_position_code(spec.unit, spec.position)])


def _holder(position_id: int) -> Employee:
    """The position's first holder by id: the same person on every run."""
    employee = db.session.scalar(
        select(Employee).where(Employee.position_id == position_id).order_by(Employee.id).limit(1)
    )
    if employee is None:
        raise LookupError(f"no holder for position {position_id}")
    return employee
