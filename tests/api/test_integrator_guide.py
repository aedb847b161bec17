"""The integrator guide's runnable example (``docs/examples/quickstart.py``) against a real
HTTP server with a real API key: it reads every employee with their unit and golongan by
keyset paging (pages smaller than the list, so the cursor is followed), catches up with the
change feed, exports the list and verifies a signature — and what it prints is true."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.serving import make_server

from kinerja.extensions import db
from kinerja.models.org import Employee, Rank
from kinerja.security import roles
from kinerja.security.policies.scope import SYSTEM
from kinerja.services import service_accounts as accounts
from tests.factories import Org

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(app: Flask) -> Iterator[str]:
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()


def test_the_guides_example_runs_against_a_live_server(server: str, org: Org) -> None:
    rank = db.session.scalar(select(Rank).where(Rank.code == "III/a"))
    org.employees.sekda.rank_id = rank.id if rank else None
    db.session.commit()
    account = accounts.create_service_account(SYSTEM, "tpp", roles.INTEGRATOR, "TPP")
    key = accounts.issue_key(SYSTEM, account.id, "guide").key
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "docs/examples/quickstart.py"),
            "--url",
            server,
            "--key",
            key,
            "--page-size",
            "3",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(": ", 1) for line in done.stdout.splitlines())
    people = db.session.scalar(select(func.count()).select_from(Employee))
    assert int(lines["employees"]) == people == len(vars(org.employees))
    assert int(lines["export rows"]) == people
    assert int(lines["changes"].split()[0]) >= people  # every row has its create entry
    assert lines["signature verified"] == "employee.changed"
    first = lines["first"].split()
    assert len(first[0]) == 18 and first[0].isdigit()
