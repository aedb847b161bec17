"""The ratings on SQLite, the `make run` path: the bench's year and a year drawn at random
rated by the same statements as on PostgreSQL, agreeing with the pure rules; the CLI runs
the job inline (no Redis) and a second run changes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_ratings_on_sqlite(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "KINERJA_ENV", "SECRET_KEY"}
    }
    env["KINERJA_INSTANCE_DIR"] = str(tmp_path)
    flask = ("-m", "flask", "--app", "run", "kinerja")
    _run(env, *flask, "init")
    bench = _run(env, *flask, "bench", "ratings", "--employees", "60").splitlines()
    assert json.loads(bench[-1]) == {
        "bench": "ratings",
        "employees": 60,
        "realizations": 60 * 48,
        "seconds": json.loads(bench[-1])["seconds"],
        "naive_ratio": json.loads(bench[-1])["naive_ratio"],
    }
    assert "agrees with the job on every one of them" in bench[-2]
    again = _run(env, *flask, "ratings", "compute", "--period", "1")
    assert "succeeded: 60 employees rated: 36 final, 24 provisional, 0 changed" in again
    assert "agreed on 25 ratings" in _run(env, "-m", "tests.ratings_sqlite_check", "2")
