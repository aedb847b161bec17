"""``flask kinerja bench ratings`` at a small scale: it generates its year, rates it, agrees
with the naive baseline and ends with its JSON line; ``--fast-load`` writes the year with
the triggers off (no change-feed rows) and leaves them on for the job it times."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from kinerja.bench.ratings import bench_ratings
from kinerja.extensions import db
from kinerja.models.changes import Change
from kinerja.models.ratings import Rating


def _changes(resource: str) -> int:
    query = select(func.count()).select_from(Change).where(Change.resource == resource)
    return int(db.session.scalar(query) or 0)


def test_the_ratings_bench_rates_its_year_and_ends_with_its_json_line(app) -> None:
    lines = list(bench_ratings(100, subset=20))
    summary = json.loads(lines[-1])
    assert summary["bench"] == "ratings" and summary["employees"] == 100
    assert summary["realizations"] == 100 * 48
    assert summary["naive_ratio"] > 1
    assert "agrees with the job" in lines[-2]
    assert db.session.scalar(select(func.count()).select_from(Rating)) == 100
    assert _changes("realization") == 100 * 48


def test_fast_load_writes_the_year_without_triggers_but_times_the_job_with_them(app) -> None:
    summary = json.loads(list(bench_ratings(100, subset=20, fast_load=True))[-1])
    assert summary["realizations"] == 100 * 48
    assert _changes("realization") == 0  # generated with the triggers off
    assert _changes("rating") == 100  # the job ran with them on
