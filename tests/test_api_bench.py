"""The API benchmark: the employee list served by gunicorn, ours and a stock FAB list of the
same table side by side, ending with its JSON summary."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from kinerja.extensions import db
from kinerja.models.org import Employee

pytestmark = pytest.mark.slow


def test_the_api_bench_ends_with_its_json_summary(app) -> None:
    result = app.test_cli_runner().invoke(
        args=["kinerja", "bench", "api", "--employees", "300", "--seconds", "1"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    summary = json.loads(lines[-1])
    assert list(summary) == ["bench", "employees", "rps", "p50_ms", "p95_ms", "stock_ratio"]
    assert (summary["bench"], summary["employees"]) == ("api", 300)
    assert summary["rps"] > 0 and summary["stock_ratio"] > 0
    assert summary["p95_ms"] >= summary["p50_ms"] > 0
    assert "same rows in both lists: True" in result.output
    assert db.session.scalar(select(func.count(Employee.id))) == 300


def test_the_stock_list_exists_only_for_the_bench(client, app) -> None:
    assert not app.config["KINERJA_BENCH_STOCK_API"]
    assert client.get("/api/v1/bench_stock_employee/").status_code == 404
