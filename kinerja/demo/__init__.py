"""A living demo organisation: a city government with agencies, positions, employees, logins,
plans and reports, for `make run`, the benchmarks and a first look at the product.

Demo data is not a use case: this package fills the database through the real use cases where
there are some (plans' snapshots, reports, logins' passwords, supervisor roles), with its
texts in ``data/``. Deterministic (seeded) and idempotent: running it again adds only what is
missing, so the demo logins and their relations are always there.
"""

from __future__ import annotations

from dataclasses import dataclass

from kinerja.demo.bulk import analyze
from kinerja.demo.development import load_development
from kinerja.demo.logins import DemoLogin, ensure_logins
from kinerja.demo.org import demo_units, ensure_positions, ensure_units
from kinerja.demo.people import ensure_employees
from kinerja.demo.planning import load_plans
from kinerja.demo.previous_year import load_previous_year
from kinerja.demo.reporting import load_reports
from kinerja.demo.surveys import load_surveys
from kinerja.extensions import db
from kinerja.models.org import Employee, Position, Unit
from kinerja.models.planning import Period
from kinerja.services.boundary import transaction
from kinerja.services.roles import sync_supervisor_roles

__all__ = ["DemoReport", "load_demo", "load_organisation"]


@dataclass
class DemoReport:
    units: int
    positions: int
    employees: int
    logins: list[tuple[str, str, str]]  # username, password, description


def load_demo(employees: int = 300) -> DemoReport:
    """Load the demo organisation and logins; add only what is missing."""
    specs = demo_units(employees)
    with transaction():  # all of it or nothing; the use cases inside join this one
        unit_ids = ensure_units(specs)
        position_ids = ensure_positions(specs, unit_ids)
        ensure_employees(specs, unit_ids, position_ids, employees)
        logins = ensure_logins(unit_ids, position_ids)
        plans = load_plans(
            pegawai_id=_employee_of(logins, "pegawai"), atasan_id=_employee_of(logins, "atasan")
        )
        load_reports(plans.period_id, plans.reporting_staff_ids, plans.supervisor_id)
        current = db.session.get(Period, plans.period_id)
        assert current is not None
        people = {login.employee_id for login in logins if login.employee_id is not None}
        load_previous_year(current.year - 1, always=people)
        load_surveys(plans.period_id)
        load_development(current.year, people)
        sync_supervisor_roles()
    count = db.session.query
    return DemoReport(
        units=count(Unit).count(),
        positions=count(Position).count(),
        employees=count(Employee).count(),
        logins=[(login.username, login.password, login.description) for login in logins],
    )


def load_organisation(employees: int) -> None:
    """Only the organisation and the logins, grown to ``employees`` people (the API bench's
    data: no plans, reports or previous year); idempotent like :func:`load_demo`."""
    specs = demo_units(employees)
    with transaction():
        unit_ids = ensure_units(specs)
        position_ids = ensure_positions(specs, unit_ids)
        ensure_employees(specs, unit_ids, position_ids, employees)
        ensure_logins(unit_ids, position_ids)
        sync_supervisor_roles()
        analyze([Unit.__table__, Position.__table__, Employee.__table__])  # planned for their size


def _employee_of(logins: list[DemoLogin], username: str) -> int:
    """The plans and reports follow the people behind these two logins."""
    for login in logins:
        if login.username == username and login.employee_id is not None:
            return login.employee_id
    raise LookupError(f"the demo login {username!r} has no employee")
