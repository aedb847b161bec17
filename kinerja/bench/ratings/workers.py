"""Fan-out against one job, on real worker processes: the period of ``flask kinerja bench
ratings`` (already generated on a scratch database) rated from scratch twice through RQ —
once as one job, once fanned out per agency to ``--workers`` worker processes — timed
from the request to the run's end, and checked to give the same ratings.

    DATABASE_URL=… REDIS_URL=… flask kinerja bench ratings-workers --workers 2

The last line printed is one JSON object with both timings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import func, select, text

from kinerja.extensions import db
from kinerja.models.jobs import JobRun, JobStatus
from kinerja.models.planning import Period
from kinerja.models.ratings import Rating
from kinerja.security.policies.scope import SYSTEM
from kinerja.services.ratings.requests import request_ratings

ROOT = Path(__file__).resolve().parents[3]


def _fingerprint(period_id: int) -> tuple[int, str]:
    rows = db.session.execute(
        select(Rating.employee_id, Rating.predikat, Rating.final, Rating.results)
        .where(Rating.period_id == period_id)
        .order_by(Rating.employee_id)
    ).all()
    return len(rows), str(hash(tuple(map(tuple, rows))))


def _timed_run(period_id: int, workers: int, fan_out: int) -> tuple[float, int, tuple[int, str]]:
    """Rate the period from scratch through RQ; (seconds, parts, fingerprint)."""
    db.session.execute(
        text("DELETE FROM distribution_check WHERE period_id = :p"), {"p": period_id}
    )
    db.session.execute(text("DELETE FROM rating WHERE period_id = :p"), {"p": period_id})
    db.session.commit()
    started = time.perf_counter()
    run_id = request_ratings(period_id, None, SYSTEM).id
    env = {**os.environ, "KINERJA_RATINGS_FAN_OUT": str(fan_out)}
    command = [
        sys.executable,
        "-m",
        "flask",
        "--app",
        "run",
        "kinerja",
        "worker",
        "--burst",
        "default",
    ]
    processes = [subprocess.Popen(command, cwd=ROOT, env=env)]  # noqa: S603
    if fan_out:  # the others once there are parts to take (a burst worker quits when idle)
        while not _has_parts(run_id) and processes[0].poll() is None:
            time.sleep(0.2)
        processes += [
            subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
            for _ in range(workers - 1)
        ]
    for process in processes:
        process.wait()
    seconds = time.perf_counter() - started
    db.session.expire_all()
    run = db.session.get(JobRun, run_id)
    if run is None or run.status != JobStatus.SUCCEEDED:
        raise RuntimeError(f"run {run_id} did not succeed: {run and run.error}")
    parts = db.session.scalar(select(func.count()).where(JobRun.parent_id == run_id)) or 0
    return seconds, int(parts), _fingerprint(period_id)


def _has_parts(run_id: int) -> bool:
    db.session.rollback()
    return bool(db.session.scalar(select(func.count()).where(JobRun.parent_id == run_id)))


def bench_ratings_workers(workers: int) -> Iterator[str]:
    """Lines to print, the JSON line last (see the module's docstring)."""
    period_id = db.session.scalar(select(Period.id).order_by(Period.year.desc()).limit(1))
    if period_id is None:
        raise RuntimeError("No period: run `flask kinerja bench ratings` first.")
    one, _, expected = _timed_run(period_id, 1, 0)
    yield f"One job: {expected[0]:,} rated in {one:.1f} s"
    fanned, parts, found = _timed_run(period_id, workers, 1)
    yield f"Fanned out: {parts} agencies, {workers} workers, {fanned:.1f} s"
    if found != expected:
        raise RuntimeError("The fanned-out run rated differently from one job.")
    yield json.dumps(
        {
            "bench": "ratings-workers",
            "employees": expected[0],
            "one_job_seconds": round(one, 1),
            "fan_out_seconds": round(fanned, 1),
            "parts": parts,
            "workers": workers,
        }
    )
