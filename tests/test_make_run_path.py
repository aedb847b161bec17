"""The `make run` path on a fresh folder: init and demo on SQLite (twice: idempotent), then
the served app answers and the demo admin can sign in."""

from __future__ import annotations

import http.cookiejar
import importlib.util
import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import _free_port

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _flask(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "run", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_init_and_demo_on_sqlite_then_serve(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "KINERJA_ENV", "SECRET_KEY"}
    }
    env["KINERJA_INSTANCE_DIR"] = str(tmp_path)
    assert "roles: Admin, Operator" in _flask(env, "kinerja", "init")
    first = _flask(env, "kinerja", "demo")
    assert re.search(r"\d+ units, \d+ positions, 300 employees", first)
    for login in ("admin", "operator", "atasan", "pegawai", "integrator"):
        assert re.search(rf"^\s+{login}\s+/ kinerja-demo", first, re.MULTILINE)
    _flask(env, "kinerja", "init")
    second = _flask(env, "kinerja", "demo")
    assert re.search(r"(\d+ units, \d+ positions, 300 employees)", second).group(1) == re.search(
        r"(\d+ units, \d+ positions, 300 employees)", first
    ).group(1)

    database = tmp_path / "kinerja.sqlite3"
    with sqlite3.connect(database) as connection:
        (supervisor,) = connection.execute(
            "SELECT p2.id FROM employee e JOIN ab_user u ON u.id = e.user_id "
            "JOIN position p ON p.id = e.position_id JOIN position p2 ON p2.id = p.supervisor_id "
            "WHERE u.username = 'pegawai'"
        ).fetchone()
        (holder,) = connection.execute(
            "SELECT u.username FROM employee e JOIN ab_user u ON u.id = e.user_id "
            "WHERE e.position_id = ?",
            (supervisor,),
        ).fetchone()
        previous = connection.execute(
            "SELECT p.status, count(r.id), sum(r.final) FROM period p "
            "JOIN rating r ON r.period_id = p.id "
            "WHERE p.year = (SELECT max(year) - 1 FROM period) GROUP BY p.status"
        ).fetchall()
    assert holder == "atasan"  # pegawai's direct supervisor is atasan
    ((status, rated, final),) = previous  # last year, closed, rated
    assert status == "closed" and rated > final > 0

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "run", "run", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        login_page = _get(opener, base + "/login/")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
        form = urllib.parse.urlencode(
            {"csrf_token": token, "username": "admin", "password": "kinerja-demo"}
        ).encode()
        opener.open(base + "/login/", data=form, timeout=10)
        employees = _get(opener, base + "/employees/list/")
        assert "Pegawai" in employees and "Jumlah Data" in employees
        _mirror_holds_every_row(base, database, tmp_path / "mirror.sqlite3")
    finally:
        server.terminate()
        server.wait(timeout=10)


def _mirror_holds_every_row(base: str, database: Path, path: Path) -> None:
    """The change feed on SQLite: the example mirror, synced from cursor 0 after the demo
    was loaded twice, holds exactly the rows of the database."""
    spec = importlib.util.spec_from_file_location("mirror", ROOT / "docs/examples/mirror.py")
    assert spec is not None and spec.loader is not None
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    mirror = example.Mirror(base, example.login(base, "integrator", "kinerja-demo"), str(path))
    assert mirror.sync() > 300
    held = mirror.rows()
    mirror.close()
    with sqlite3.connect(database) as connection:
        for table in ("unit", "employee", "work_plan", "realization", "rating"):
            ids = {row_id for (row_id,) in connection.execute(f"SELECT id FROM {table}")}  # noqa: S608
            assert {i for resource, i in held if resource == table} == ids, table


def _get(opener: urllib.request.OpenerDirector, url: str) -> str:
    deadline = time.monotonic() + 30
    while True:
        try:
            return opener.open(url, timeout=10).read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
