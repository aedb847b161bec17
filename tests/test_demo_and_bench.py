"""The demo organisation on PostgreSQL, and the benchmark that runs against it."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from kinerja.bench import bench_org
from kinerja.domain.nip import parse_nip
from kinerja.extensions import db
from kinerja.models.org import Employee, Position, Unit
from kinerja.models.security import KinerjaUser
from kinerja.services.demo import load_demo


def _employee_of(username: str) -> Employee:
    user = db.session.scalar(select(KinerjaUser).where(KinerjaUser.username == username))
    return db.session.scalar(select(Employee).where(Employee.user_id == user.id))


def test_demo_is_complete_valid_and_idempotent(app) -> None:  # noqa: ANN001
    first = load_demo(employees=300)
    assert (first.units >= 8, first.positions >= 60, first.employees) == (True, True, 300)
    kinds = set(db.session.scalars(select(Unit.kind).distinct()))
    assert len(kinds) >= 5
    assert all(parse_nip(nip) for nip in db.session.scalars(select(Employee.nip)))
    pegawai, atasan = _employee_of("pegawai"), _employee_of("atasan")
    assert pegawai.position.supervisor_id == atasan.position_id
    operator = db.session.scalar(select(KinerjaUser).where(KinerjaUser.username == "operator"))
    assert operator.operator_unit.code == "DINKES"
    second = load_demo(employees=300)
    assert (second.units, second.positions, second.employees) == (
        first.units,
        first.positions,
        first.employees,
    )
    heads_without_boss = db.session.scalar(
        select(func.count())
        .select_from(Position)
        .where(Position.supervisor_id.is_(None), Position.is_head.is_(False))
    )
    assert heads_without_boss == 0


def test_bench_prints_figures_and_the_baseline_ratio(app) -> None:  # noqa: ANN001
    load_demo(employees=300)
    lines = bench_org(app, repeat=2)
    assert lines[0].startswith("Organisation screens and API: 300 employees")
    timings = [line for line in lines if "HTTP" in line]
    assert len(timings) == 11
    assert all(line.endswith("HTTP 200") for line in timings)
    ratio = re.search(r"(\d+) -> (\d+) SQL statements per page", lines[-1])
    assert int(ratio.group(1)) > 50 > int(ratio.group(2))
