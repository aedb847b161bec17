"""``flask kinerja bench api --employees N``: the integrators' employee list under load.

* The demo organisation is grown to N employees with the demo's own loaders (units,
  positions, employees, logins; idempotent, so a second run on the same database loads
  nothing). Run ``flask kinerja init`` on the database first.
* The app is served by gunicorn (2 sync workers) on loopback, with the stock FAB resource
  ``bench_stock_employee`` registered beside ours (``KINERJA_BENCH_STOCK_API``).
* 16 client threads (``KINERJA_BENCH_CLIENTS``) ask for the employees of the Operator's unit
  tree, 50 a page over the first pages, for ``--seconds``: first ``/api/v1/employee/``, then
  the stock resource. Both answer as the Operator (a JWT from ``/api/v1/security/login``, or
  any header given in ``KINERJA_BENCH_AUTH_HEADER``, e.g. ``Authorization: Bearer …`` of an
  API key), and the bench checks that both give the same rows.

The last line printed is the JSON summary; ``stock_ratio`` is our rate over the stock one.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import prison
from flask import Flask
from sqlalchemy import func, select, text

from kinerja.bench.survey import ROOT, _free_port, _wait_until_up
from kinerja.extensions import db
from kinerja.models.org import Employee
from kinerja.models.security import KinerjaUser

WORKERS = 2
CLIENTS = int(os.environ.get("KINERJA_BENCH_CLIENTS", "16"))
PAGE_SIZE = 50
PAGES = 5  # the clients walk the first pages, as a paging integrator does
LOGIN = "operator"  # an Operator whose scope is a unit tree (Dinas Kesehatan)


@dataclass
class Run:
    requests: int
    seconds: float
    durations_ms: list[float]
    failures: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if not self.durations_ms:
            return 0.0
        ordered = sorted(self.durations_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))]

    def line(self, label: str) -> str:
        return (
            f"{label:<34} {self.requests:6d} requests in {self.seconds:4.1f} s: "
            f"{self.rps:6.1f}/s  p50 {statistics.median(self.durations_ms or [0]):6.1f} ms  "
            f"p95 {self.percentile(0.95):6.1f} ms  failures {self.failures}"
        )


def load_employees(load: Callable[[int], None], employees: int) -> tuple[int, int]:
    """Grow the organisation to ``employees`` people with ``load`` (the demo's loader, given
    by the CLI); (employees, the Operator's unit)."""
    load(employees)
    counted = db.session.scalar(select(func.count(Employee.id))) or 0
    unit_id = db.session.scalar(
        select(KinerjaUser.operator_unit_id).where(KinerjaUser.username == LOGIN)
    )
    if unit_id is None:
        raise RuntimeError(f"the demo login {LOGIN!r} has no unit")
    return counted, unit_id


@contextmanager
def served(app: Flask) -> Iterator[tuple[int, int]]:
    """The app under gunicorn (sync workers) on a free loopback port, with the stock list;
    (port, the server's process id)."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": str(app.config["SQLALCHEMY_DATABASE_URI"]),
        "SECRET_KEY": str(app.config["SECRET_KEY"]),
        "KINERJA_ENV": "development",
        "KINERJA_BENCH_STOCK_API": "1",
        "FAB_UPDATE_PERMS": "0",
        "RATELIMIT_ENABLED": "0",
        # counted as in production (one Redis round trip a request), never reached
        "API_RATE_LIMIT": "100000000",
    }
    command = [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS)]
    command += ["--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "run:app"]
    server = subprocess.Popen(  # noqa: S603 - our own command line
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        _wait_until_up(server, port)
        yield port, server.pid
    finally:
        server.terminate()
        server.wait(timeout=20)


def auth_header(port: int, password: str) -> dict[str, str]:
    """The header the clients send: ``KINERJA_BENCH_AUTH_HEADER`` (``Name: value``) if set,
    else a JWT of the Operator's password sign-in."""
    given = os.environ.get("KINERJA_BENCH_AUTH_HEADER")
    if given:
        name, _, value = given.partition(":")
        return {name.strip(): value.strip()}
    body = json.dumps({"username": LOGIN, "password": password, "provider": "db"})
    status, answer = _call(port, "POST", "/api/v1/security/login", {}, body)
    if status != 200:
        raise RuntimeError(f"cannot sign in as {LOGIN}: {answer!r} (load the demo first)")
    return {"Authorization": f"Bearer {answer['access_token']}"}


def _call(
    port: int, method: str, path: str, headers: dict[str, str], body: str | None = None
) -> tuple[int, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body, {"Content-Type": "application/json", **headers})
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        connection.close()


def list_path(resource: str, unit_id: int, page: int) -> str:
    query = {
        "filters": [{"col": "unit", "opr": "in_unit_tree", "value": unit_id}],
        "page": page,
        "page_size": PAGE_SIZE,
    }
    return f"/api/v1/{resource}/?q={prison.dumps(query)}"


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu(server_pid: int) -> tuple[float, float]:
    """CPU seconds used so far by the gunicorn workers and by the database's backends serving
    this database (Linux, database on this machine; zeros elsewhere). Measured around each
    run, they give the cost of a request whatever else the machine is busy with."""
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children")
    workers = [int(pid) for pid in children.read_text().split()] if children.exists() else []
    backends = (
        db.session.scalars(
            text(
                "SELECT pid FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).all()
        if db.engine.dialect.name == "postgresql"
        else []
    )
    db.session.rollback()
    return sum(map(_cpu_seconds, workers)), sum(map(_cpu_seconds, backends))


def drive(port: int, paths: list[str], headers: dict[str, str], seconds: float) -> Run:
    """:data:`CLIENTS` threads asking for ``paths`` in turn until ``seconds`` have passed."""
    lock = threading.Lock()
    durations: list[float] = []
    failures = [0]
    stop_at = time.perf_counter() + seconds

    def client(number: int) -> None:
        turn = number
        while time.perf_counter() < stop_at:
            path = paths[turn % len(paths)]
            turn += 1
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                ok = response.status == 200
            except OSError:
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if ok:
                    durations.append(elapsed)
                else:
                    failures[0] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        for future in [pool.submit(client, n) for n in range(CLIENTS)]:
            future.result()
    return Run(len(durations), time.perf_counter() - started, durations, failures[0])


def same_rows(port: int, headers: dict[str, str], unit_id: int) -> tuple[bool, int]:
    """Whether ours and the stock list give the same ids and count; the count."""
    answers = [_call(port, "GET", list_path(r, unit_id, 0), headers) for r in RESOURCES]
    (status_ours, ours), (status_stock, stock) = answers
    if status_ours != 200 or status_stock != 200:
        raise RuntimeError(f"the lists answered {status_ours} and {status_stock}")
    same = ours["ids"] == stock["ids"] and ours["count"] == stock["count"]
    return same, int(ours["count"])


RESOURCES = ("employee", "bench_stock_employee")


def bench_api(
    app: Flask,
    load: Callable[[int], None],
    employees: int,
    seconds: float,
    say: Callable[[str], None],
) -> dict[str, Any]:
    started = time.perf_counter()
    counted, unit_id = load_employees(load, employees)
    db.session.remove()
    say(f"{counted:,} employees ready in {time.perf_counter() - started:.1f} s")
    password = app.config["KINERJA_DEMO_PASSWORD"]
    runs: dict[str, Run] = {}
    with served(app) as (port, server_pid):
        headers = auth_header(port, password)
        same, count = same_rows(port, headers, unit_id)
        say(f"employees in the Operator's unit tree: {count:,}; same rows in both lists: {same}")
        if not same:
            raise RuntimeError("our list and the stock one disagree")
        for resource in RESOURCES:
            paths = [list_path(resource, unit_id, page) for page in range(PAGES)]
            drive(port, paths, headers, min(2.0, seconds))  # warm both workers
            app_before, database_before = server_cpu(server_pid)
            runs[resource] = run = drive(port, paths, headers, seconds)
            app_after, database_after = server_cpu(server_pid)
            say(run.line(f"/api/v1/{resource}/"))
            if run.requests:
                app_ms = (app_after - app_before) * 1000 / run.requests
                database_ms = (database_after - database_before) * 1000 / run.requests
                say(
                    f"  server CPU per request: app {app_ms:.1f} ms + database "
                    f"{database_ms:.1f} ms (2 idle cores: about "
                    f"{2000 / max(app_ms + database_ms, 0.1):.0f} requests/s at most)"
                )
    ours, stock = runs["employee"], runs["bench_stock_employee"]
    return {
        "bench": "api",
        "employees": employees,
        "rps": round(ours.rps, 1),
        "p50_ms": round(statistics.median(ours.durations_ms or [0]), 1),
        "p95_ms": round(ours.percentile(0.95), 1),
        "stock_ratio": round(ours.rps / stock.rps, 2) if stock.rps else 0.0,
    }
