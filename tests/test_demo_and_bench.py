"""The demo organisation on PostgreSQL, and the benchmark that runs against it."""

from __future__ import annotations

import json
import re

from sqlalchemy import func, select

from kinerja.bench import bench_org
from kinerja.demo import load_demo
from kinerja.demo.org import core_position_code
from kinerja.demo.org_data import core_units, growth, logins, ranks
from kinerja.demo.performance_data import activities, plan_texts, report_texts
from kinerja.domain.nip import parse_nip
from kinerja.extensions import db
from kinerja.models.org import Employee, Position, Unit
from kinerja.models.security import KinerjaUser


def _employee_of(username: str) -> Employee:
    user = db.session.scalar(select(KinerjaUser).where(KinerjaUser.username == username))
    return db.session.scalar(select(Employee).where(Employee.user_id == user.id))


def test_demo_is_complete_valid_and_idempotent(app) -> None:
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


def test_demo_data_files_load_and_agree_with_each_other() -> None:
    units = {unit.code: unit for unit in core_units()}
    positions = [p for u in units.values() for p in (u.head, *u.staff) if p is not None]
    positions += [p for t in growth().templates for p in (t.head, *t.staff)]
    assert all(ranks().code_for(p.grade, pppk) for p in positions for pppk in (False, True))
    assert {t.parent for t in growth().templates} <= set(units)
    for login in logins():
        assert login.operator_unit is None or login.operator_unit in units
        if login.unit is not None and login.position is not None:
            assert core_position_code(login.unit, login.position)
    assert plan_texts().goals and report_texts().stories and activities()


def test_bench_prints_figures_and_the_baseline_ratio(app) -> None:
    load_demo(employees=300)
    lines = bench_org(app, repeat=2)
    assert lines[0].startswith("Organisation screens and API: 300 employees")
    timings = [line for line in lines if "HTTP" in line]
    assert len(timings) == 11
    assert all(line.endswith("HTTP 200") for line in timings)
    ratio = re.search(r"(\d+) -> (\d+) SQL statements per page", lines[-1])
    assert int(ratio.group(1)) > 50 > int(ratio.group(2))


def test_the_import_bench_ends_with_its_json_summary(app) -> None:
    result = app.test_cli_runner().invoke(
        args=["kinerja", "bench", "import", "--rows", "300", "--baseline-rows", "200"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    summary = json.loads(lines[-1])
    assert list(summary) == ["bench", "rows", "check_seconds"]
    assert (summary["bench"], summary["rows"]) == ("import", 300)
    assert isinstance(summary["check_seconds"], float) and summary["check_seconds"] >= 0
    assert "34 rows with errors" in result.output  # the failing unit, the 30 below it, a loop
    assert "Baseline at 200 rows" in result.output
