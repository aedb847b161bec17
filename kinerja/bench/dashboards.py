"""``flask kinerja bench dashboards --employees N``: each role's home page through the app.

1. A year for ``N`` employees is generated (not timed) by the ratings bench's loader
   (:mod:`kinerja.bench.ratings.data`: units of 25, 40 units to an agency, approved plans,
   twelve monthly reports, evaluations), and rated once by the ratings job, so that the
   predikat curve has its per-unit checks.
2. Four logins are made (or reused): the Admin, an Operator of one agency (1,000 people),
   the head of one unit (a supervisor of 24) and one of that unit's staff (an employee).
   A later run on the same database reuses a rated bench year of exactly ``N`` people.
3. Each one's home page for the bench period and its December is requested ``repeat``
   times through the app (the Flask test client: routing, login session, policies, SQL,
   templates), after one warm-up request.

The last line is ``{"bench": "dashboards", "employees": N, "p95_ms": {page: ms, …}}``. Run it
on a scratch database: the year stays there.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from flask import Flask
from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import func, select, text, update

from kinerja.bench.ratings.data import generate
from kinerja.extensions import db
from kinerja.models.org import Employee, Position, Unit
from kinerja.models.planning import Period, WorkPlan
from kinerja.models.ratings import Rating
from kinerja.models.security import KinerjaUser
from kinerja.security import roles
from kinerja.security.policies.scope import SYSTEM
from kinerja.services.logins import hash_password
from kinerja.services.ratings import compute

PASSWORD = "Bench-dashboards-2026!"  # noqa: S105 - a scratch database's bench logins


def _login(username: str, role_names: tuple[str, ...], **fields: object) -> KinerjaUser:
    user = db.session.scalar(select(KinerjaUser).where(KinerjaUser.username == username))
    if user is None:
        user = KinerjaUser(
            username=username,
            first_name="Bench",
            last_name=username,
            email=f"{username}@bench.example",
            active=True,
            password=hash_password(PASSWORD),
            roles=[db.session.scalar(select(Role).where(Role.name == r)) for r in role_names],
        )
        db.session.add(user)
    for key, value in fields.items():
        setattr(user, key, value)
    db.session.flush()
    return user


def _people(period: Period) -> dict[str, tuple[str, ...]]:
    """The four logins of the bench year: Admin, an agency's Operator, a head, a staff."""
    prefix = f"BR{period.year}"
    agency = db.session.scalar(select(Unit).where(Unit.code == f"{prefix}-O1"))
    head_position = db.session.scalar(select(Position).where(Position.code == f"{prefix}-H1"))
    if agency is None or head_position is None:
        raise RuntimeError("the bench year has no agency O1 or head H1")
    head = db.session.scalar(select(Employee).where(Employee.position_id == head_position.id))
    staff = db.session.scalar(
        select(Employee)
        .where(Employee.unit_id == head_position.unit_id, Employee.id != getattr(head, "id", 0))
        .order_by(Employee.id)
        .limit(1)
    )
    if head is None or staff is None:
        raise RuntimeError("the bench unit has no head or staff")
    _login("bench-dash-admin", (roles.ADMIN,))
    _login("bench-dash-operator", (roles.OPERATOR,), operator_unit_id=agency.id)
    for username, person, role_names in (
        ("bench-dash-supervisor", head, (roles.SUPERVISOR, roles.EMPLOYEE)),
        ("bench-dash-employee", staff, (roles.EMPLOYEE,)),
    ):
        user = _login(username, role_names)
        db.session.execute(  # an earlier bench year's holder lets go of the login
            update(Employee)
            .where(Employee.user_id == user.id, Employee.id != person.id)
            .values(user_id=None)
        )
        person.user_id = user.id
    db.session.commit()
    return {
        "admin": ("bench-dash-admin",),
        "operator": ("bench-dash-operator",),
        "supervisor": ("bench-dash-supervisor",),
        "employee": ("bench-dash-employee",),
    }


def _earlier_year(employees: int) -> int | None:
    """A rated bench year of exactly ``employees`` plans loaded by an earlier run, if any
    (generating 100,000 people's year takes minutes; measuring again should not)."""
    for period_id, plans in db.session.execute(
        select(Period.id, func.count(WorkPlan.id))
        .join(WorkPlan, WorkPlan.period_id == Period.id)
        .where(Period.name.like("Bench ratings %"))
        .group_by(Period.id)
        .order_by(Period.id.desc())
    ):
        if plans == employees and db.session.scalar(
            select(func.count()).select_from(Rating).where(Rating.period_id == period_id)
        ):
            return int(period_id)
    return None


def _p95(durations: list[float]) -> float:
    ordered = sorted(durations)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1)


def bench_dashboards(app: Flask, employees: int, repeat: int = 20) -> Iterator[str]:
    """Lines to print, the JSON line last (see the module's docstring)."""
    started = time.perf_counter()
    period_id = _earlier_year(employees)
    if period_id is None:
        year = generate(employees)
        rated = compute.compute_period_ratings(year.period_id, None, SYSTEM)
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        period_id = year.period_id
        yield (
            f"Generated {year.employees:,} employees and rated {rated.rated:,} "
            f"in {time.perf_counter() - started:.1f} s (not timed)."
        )
    else:
        yield f"Reusing the bench year of {employees:,} employees already loaded."
    period = db.session.get(Period, period_id)
    assert period is not None
    december = [s for s in period.sub_periods if not s.annual][-1]
    url = f"/?period={period.id}&sub_period={december.id}"
    people = _people(period)
    app.config["WTF_CSRF_ENABLED"] = False  # the bench signs in by form, without a page
    p95: dict[str, float] = {}
    # Each request runs in a thread of its own, as under a server: in the command's thread
    # it would share the command's app context, hence ``g`` and the first signed-in user.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bench-request") as worker:
        for page, (username,) in people.items():
            client = app.test_client()
            login = {"username": username, "password": PASSWORD}
            worker.submit(client.post, "/login/", data=login).result()
            first = worker.submit(client.get, url).result()  # warm: compiled SQL, templates
            if first.status_code != 200 or f"Bench {username}" not in first.get_data(True):
                raise RuntimeError(f"{page}: HTTP {first.status_code}, not signed in as {username}")
            durations = []
            for _ in range(repeat):
                begun = time.perf_counter()
                response = worker.submit(client.get, url).result()
                durations.append((time.perf_counter() - begun) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"{page}: HTTP {response.status_code}")
            p95[page] = _p95(durations)
            median = sorted(durations)[len(durations) // 2]
            yield f"{page}: median {median:.1f} ms, p95 {p95[page]} ms"
    yield json.dumps({"bench": "dashboards", "employees": employees, "p95_ms": p95})
