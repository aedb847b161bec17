"""``flask kinerja bench dashboards`` measures each role's home page on a generated year and
ends with its JSON summary; a second run reuses the year."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from kinerja.extensions import db
from kinerja.models.planning import Period


def test_the_dashboards_bench_ends_with_p95_per_page(app) -> None:
    runner = app.test_cli_runner()
    args = ["kinerja", "bench", "dashboards", "--employees", "60", "--repeat", "2"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    summary = json.loads(lines[-1])
    assert (summary["bench"], summary["employees"]) == ("dashboards", 60)
    assert set(summary["p95_ms"]) == {"admin", "operator", "supervisor", "employee"}
    assert all(value > 0 for value in summary["p95_ms"].values())
    again = runner.invoke(args=args)
    assert again.exit_code == 0, again.output
    assert "Reusing" in again.output
    assert db.session.scalar(select(func.count()).select_from(Period)) == 1
