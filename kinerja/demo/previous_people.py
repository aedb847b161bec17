"""Who took part in the demo's previous year: the planners, who rated them, and those
evaluators' logins.

* A planner is an active employee holding a position, drawn at ``plan_share`` — fewer in a
  large demo, so that the year stays bounded (``max_planners``); every unit's head and the
  demo logins' people always plan.
* The evaluator is the holder of the supervising position, or, where it is vacant, the
  next holder up the chain (an acting evaluator, *Plt.*): every unit's year is rated.
* Evaluators approved plans and reports, so they have logins: those without one get it as
  *Buat akun* makes them (username = NIP, a one-time password nobody was told, to change at
  the first sign-in), without any password being printed.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable
from typing import Any, NamedTuple

from flask_appbuilder.security.sqla.models import Role, assoc_user_role
from sqlalchemy import insert, select

from kinerja.demo.bulk import insert_returning
from kinerja.demo.previous_year_data import YearPlan
from kinerja.domain.org import PositionKind
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.org import Employee, Position, Unit
from kinerja.models.security import KinerjaUser
from kinerja.security import roles
from kinerja.services.logins import hash_password, one_time_password, split_name

PLACEHOLDER_EMAIL = "{nip}@pegawai.invalid"  # as Buat akun writes it for those without one


class Person(NamedTuple):
    """An active employee holding a position (a tuple: a large demo has 100,000)."""

    employee_id: int
    user_id: int | None
    nip: str
    name: str
    unit_id: int
    unit_code: str
    unit_name: str
    position_id: int
    position_name: str
    kind: PositionKind
    is_head: bool
    evaluator_id: int | None  # the employee who rated them (None: nobody above)


def active_people() -> list[Person]:
    """Active employees holding an active position, by id, each with their evaluator."""
    rows = db.session.execute(
        select(
            Employee.id,
            Employee.user_id,
            Employee.nip,
            Employee.name,
            Unit.id.label("unit_id"),
            Unit.code,
            Unit.name.label("unit_name"),
            Position.id.label("position_id"),
            Position.name.label("position_name"),
            Position.kind,
            Position.is_head,
        )
        .join(Position, Position.id == Employee.position_id)
        .join(Unit, Unit.id == Employee.unit_id)
        .where(Employee.active.is_(True), Position.active.is_(True))
        .order_by(Employee.id)
    ).all()
    holder: dict[int, int] = {}
    for row in rows:
        holder.setdefault(row.position_id, row.id)
    found = select(Position.id, Position.supervisor_id).where(Position.active.is_(True))
    above: dict[int, int | None] = dict(db.session.execute(found).tuples().all())
    return [
        Person(
            employee_id=row.id,
            user_id=row.user_id,
            nip=row.nip,
            name=row.name,
            unit_id=row.unit_id,
            unit_code=row.code,
            unit_name=row.unit_name,
            position_id=row.position_id,
            position_name=row.position_name,
            kind=PositionKind(row.kind),
            is_head=bool(row.is_head),
            evaluator_id=_evaluator(row.position_id, above, holder),
        )
        for row in rows
    ]


def _evaluator(
    position_id: int, above: dict[int, int | None], holder: dict[int, int]
) -> int | None:
    """The first holder up the chain of supervising positions (vacant ones skipped)."""
    seen = {position_id}
    current = above.get(position_id)
    while current is not None and current not in seen:
        if current in holder:
            return holder[current]
        seen.add(current)
        current = above.get(current)
    return None


def choose_planners(
    rng: random.Random, plan: YearPlan, people: list[Person], always: Collection[int]
) -> list[Person]:
    """The planners (see the module's docstring): the heads and ``always``, the others each
    at ``plan_share`` or at the share that keeps the whole near ``max_planners``, and at
    least one person of every unit. One draw per person, so that the same organisation
    always gives the same planners."""
    sure = [p.is_head or p.employee_id in always for p in people]
    others = len(people) - sum(sure)
    room = max(plan.max_planners - sum(sure), 0)
    share = min(plan.plan_share, room / others) if others else 0.0
    chosen = [rng.random() < share or certain for certain in sure]
    planned = {p.unit_id for p, yes in zip(people, chosen, strict=True) if yes}
    for index, person in enumerate(people):  # a unit without a head: its first person
        if person.unit_id not in planned:
            chosen[index] = True
            planned.add(person.unit_id)
    return [person for person, yes in zip(people, chosen, strict=True) if yes]


def ensure_evaluator_logins(evaluators: Iterable[Person]) -> dict[int, int]:
    """Logins of the evaluators, by employee id; those missing are made (see the module's
    docstring) with the Employee role (the Supervisor role follows the positions)."""
    users = {p.employee_id: p.user_id for p in evaluators if p.user_id is not None}
    waiting = {p.employee_id: p for p in evaluators if p.user_id is None}
    taken_names = set(
        db.session.scalars(
            select(KinerjaUser.username).where(
                KinerjaUser.username.in_([p.nip for p in waiting.values()])
            )
        )
    )
    missing = [waiting[e] for e in sorted(waiting) if waiting[e].nip not in taken_names]
    if not missing:
        return users
    emails = dict(
        db.session.execute(
            select(Employee.id, Employee.email).where(
                Employee.id.in_([p.employee_id for p in missing])
            )
        )
        .tuples()
        .all()
    )
    taken = set(db.session.scalars(select(KinerjaUser.email)))
    password = hash_password(one_time_password())  # hashed once: nobody knows it
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for person in missing:
        email = emails.get(person.employee_id)
        if not email or email in taken:
            email = PLACEHOLDER_EMAIL.format(nip=person.nip)
        taken.add(email)
        first, last = split_name(person.name)
        rows.append(
            {
                "username": person.nip,
                "first_name": first,
                "last_name": last,
                "email": email,
                "active": True,
                "password": password,
                "must_change_password": True,
                "token_version": 0,
                "created_on": now,
                "changed_on": now,
            }
        )
    ids = insert_returning(KinerjaUser.__table__, rows)
    made = {p.employee_id: user_id for p, user_id in zip(missing, ids, strict=True)}
    role_id = db.session.scalar(select(Role.id).where(Role.name == roles.EMPLOYEE))
    if role_id is not None:
        db.session.execute(
            insert(assoc_user_role), [{"user_id": u, "role_id": role_id} for u in ids]
        )
    if made:
        db.session.execute(
            Employee.update_by_id(), [{"row_id": e, "user_id": u} for e, u in made.items()]
        )
    return {**users, **made}
