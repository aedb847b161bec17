"""``make prod-check`` names every unsafe setting on a line of its own, and ``kinerja demo``
refuses to run in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from kinerja.extensions import db
from kinerja.models.org import Unit
from tests.conftest import DATABASE_URL
from tests.factories import PASSWORD, Org

ROOT = Path(__file__).resolve().parents[1]
SAFE_SECRET = "a-long-random-production-secret-0123456789abcdef"


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "FLASK_DEBUG"}}
    return subprocess.run(
        args,
        cwd=ROOT,
        env={**clean, "KINERJA_ENV": "production", "REDIS_URL": "", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _prod_check(**env: str) -> subprocess.CompletedProcess[str]:
    return _run(["make", "--no-print-directory", "-s", "prod-check"], **env)


def test_an_unsafe_configuration_is_refused_one_line_per_problem(tmp_path: Path) -> None:
    result = _prod_check(FLASK_DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'k.db'}")
    assert result.returncode != 0
    lines = [line for line in result.stdout.splitlines() if line.startswith("prod-check:")]
    assert lines == [
        "prod-check: SECRET_KEY is the development default: set a random secret.",
        "prod-check: FLASK_DEBUG is on: the debugger would run code sent by anyone.",
        "prod-check: DATABASE_URL is SQLite: use PostgreSQL in production.",
    ]


def test_a_short_secret_is_named(tmp_path: Path) -> None:
    result = _prod_check(SECRET_KEY="short", DATABASE_URL=f"sqlite:///{tmp_path / 'k.db'}")
    assert "prod-check: SECRET_KEY is shorter than 32 characters." in result.stdout
    assert result.returncode != 0


def test_a_safe_configuration_passes_and_demo_logins_are_found(org: Org) -> None:
    safe = _prod_check(SECRET_KEY=SAFE_SECRET, DATABASE_URL=DATABASE_URL)
    assert safe.returncode == 0, safe.stdout + safe.stderr
    assert "looks safe" in safe.stdout
    # the test organisation's "admin" and "operator" carry the demo logins' names: with
    # the demo password they are the demo logins
    demo = _prod_check(
        SECRET_KEY=SAFE_SECRET, DATABASE_URL=DATABASE_URL, KINERJA_DEMO_PASSWORD=PASSWORD
    )
    assert demo.returncode != 0
    assert "prod-check: The demo login 'admin' is active: remove it or change it." in demo.stdout
    assert "prod-check: The demo login 'operator' is active" in demo.stdout
    assert "employee" not in demo.stdout  # not a demo login's name


def test_the_demo_refuses_to_run_in_production(org: Org) -> None:
    units = db.session.scalar(select(func.count()).select_from(Unit))
    result = _run(
        [sys.executable, "-m", "flask", "--app", "run", "kinerja", "demo", "--employees", "50"],
        SECRET_KEY=SAFE_SECRET,
        DATABASE_URL=DATABASE_URL,
    )
    assert result.returncode != 0
    assert "refuses to run with KINERJA_ENV=production" in result.stderr
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Unit)) == units
