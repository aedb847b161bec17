"""``flask kinerja bench org``: the organisation screens and API as the demo logins see them
(load the demo with ``flask kinerja demo --employees 100000`` first). Requests go through the
whole Flask stack in-process (no network), so the figures are server time; each line also
counts the SQL statements a request sends, which must not grow with the rows on a page.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import event, func, select

from kinerja.extensions import db
from kinerja.models.org import Employee, Unit


@dataclass
class Timing:
    label: str
    p50_ms: float
    p95_ms: float
    statements: int
    status: int

    def line(self) -> str:
        return (
            f"  {self.label:<58} p50 {self.p50_ms:7.1f} ms   p95 {self.p95_ms:7.1f} ms   "
            f"{self.statements:3d} SQL   HTTP {self.status}"
        )


@contextmanager
def count_statements(app: Flask) -> Iterator[list[int]]:
    counter = [0]

    def count(*_args: Any, **_kwargs: Any) -> None:
        counter[0] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", count)


def measure(app: Flask, label: str, call: Callable[[], Any], repeat: int) -> Timing:
    call()  # warm caches (compiled SQL, templates) once
    durations = []
    status = 0
    with count_statements(app) as counter:
        for _ in range(repeat):
            started = time.perf_counter()
            response = call()
            durations.append((time.perf_counter() - started) * 1000)
            status = response.status_code
        statements = counter[0] // repeat
    durations.sort()
    p95 = durations[min(len(durations) - 1, int(len(durations) * 0.95))]
    return Timing(label, statistics.median(durations), p95, statements, status)


def _signed_in(app: Flask, username: str, password: str) -> Any:
    client = app.test_client()
    response = client.post("/login/", data={"username": username, "password": password})
    if response.status_code != 302:
        raise RuntimeError(f"cannot sign in as {username}: load the demo first")
    return client


def _token(app: Flask, username: str, password: str) -> dict[str, str]:
    response = app.test_client().post(
        "/api/v1/security/login",
        json={"username": username, "password": password, "provider": "db"},
    )
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


def bench_org(app: Flask, repeat: int = 20) -> list[str]:
    """Time list, search, show and API calls at the current data size, with and without the
    bulk loading of related rows (the naive baseline loads them one row at a time)."""
    app.config["WTF_CSRF_ENABLED"] = False  # the bench signs in with plain form posts
    password = app.config["KINERJA_DEMO_PASSWORD"]
    with app.app_context():
        employees = db.session.scalar(select(func.count()).select_from(Employee))
        units = db.session.scalar(select(func.count()).select_from(Unit))
        some_employee = db.session.scalar(select(Employee.id).order_by(Employee.id.desc()))
        dinkes = db.session.scalar(select(Unit.id).where(Unit.code == "DINKES"))
    admin = _signed_in(app, "admin", password)
    operator = _signed_in(app, "operator", password)
    atasan = _signed_in(app, "atasan", password)
    token = _token(app, "integrator", password)
    api = app.test_client()
    page = "psize_EmployeeView=100"
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("admin: employees, page of 100", lambda: admin.get(f"/employees/list/?{page}")),
        (
            "admin: employees, NIP or name search",
            lambda: admin.get(f"/employees/list/?_flt_0_name=Siregar&{page}"),
        ),
        (
            "admin: employees of DINKES with sub-units",
            lambda: admin.get(f"/employees/list/?_flt_0_unit=DINKES&{page}"),
        ),
        ("admin: one employee", lambda: admin.get(f"/employees/show/{some_employee}")),
        (
            "admin: unit choices, search 'puskesmas'",
            lambda: admin.get("/employees/choices/unit/?q=puskesmas"),
        ),
        (
            "operator: employees of own units, page of 100",
            lambda: operator.get(f"/employees/list/?{page}"),
        ),
        ("atasan: subordinates", lambda: atasan.get("/employees/list/")),
        (
            "API: employees, page of 100",
            lambda: api.get("/api/v1/employee/?q=(page_size:100)", headers=token),
        ),
        (
            "API: employees in DINKES tree, page of 100",
            lambda: api.get(
                f"/api/v1/employee/?q=(filters:!((col:unit,opr:in_unit_tree,"
                f"value:{dinkes})),page_size:100)",
                headers=token,
            ),
        ),
        (
            "API: employees changed since a timestamp",
            lambda: api.get(
                "/api/v1/employee/?q=(filters:!((col:updated_at,opr:gt,"
                "value:'2026-01-01T00:00:00')),page_size:100)",
                headers=token,
            ),
        ),
    ]
    lines = [
        f"Organisation screens and API: {employees:,} employees, {units:,} units, "
        f"{repeat} requests each"
    ]
    for label, call in cases:
        lines.append(measure(app, label, call, repeat).line())
    lines.append("Baseline without bulk loading of related rows (one query per row):")
    appbuilder: Any = app.appbuilder  # type: ignore[attr-defined]
    view = next(v for v in appbuilder.baseviews if type(v).__name__ == "EmployeeView")
    fast = measure(app, "admin: employees, page of 100", cases[0][1], repeat)
    eager, view.datamodel.eager = view.datamodel.eager, ()
    try:
        naive = measure(app, "admin: employees, page of 100 (naive)", cases[0][1], repeat)
    finally:
        view.datamodel.eager = eager
    lines.append(naive.line())
    lines.append(
        f"  bulk loading: {naive.p50_ms / fast.p50_ms:.1f}x faster at the median, "
        f"{naive.statements} -> {fast.statements} SQL statements per page"
    )
    return lines
