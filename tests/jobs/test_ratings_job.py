"""The ratings job on a real RQ worker process and real PostgreSQL: computed in the
background with progress, a work horse killed with SIGKILL mid-run is retried and completes
(no duplicate, no missing rating), runs a dead worker left "running" are set right by the
sweep, and the nightly schedule asks for every running or evaluated period."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from rq import Retry
from rq.job import JobStatus as RQStatus
from rq.registry import ScheduledJobRegistry
from sqlalchemy import func, select, update

from kinerja.domain.planning import Aspect, PeriodStatus
from kinerja.domain.ratings import Level
from kinerja.extensions import db
from kinerja.jobs.runner import record_killed_horse
from kinerja.models.base import utcnow
from kinerja.models.jobs import JobRun, JobStatus
from kinerja.models.ratings import Rating
from kinerja.security.policies import SYSTEM
from kinerja.services import job_runs, outbox
from kinerja.services.ratings.requests import request_nightly_ratings, request_ratings
from tests.factories import Org
from tests.ratings_factories import Spec, evaluate, open_period, plan, regular, report, staff

ROOT = Path(__file__).resolve().parents[2]
JOB = "compute_period_ratings"


def _run(run_id: int) -> JobRun:
    db.session.expire_all()
    return db.session.get(JobRun, run_id)


def _year_for(period: Any, people: list[Any]) -> None:
    for employee in people:
        work_plan = plan(employee, period, [Spec(Aspect.QUANTITY, 12)])
        rows = [report(work_plan, q, [3]) for q in regular(period)]
        evaluate(rows[-1], Level.AS_EXPECTED, Level.AS_EXPECTED)


def _ratings_per_employee() -> list[int]:
    db.session.expire_all()
    counted = db.session.execute(
        select(Rating.employee_id, func.count()).group_by(Rating.employee_id)
    ).all()
    return [number for _, number in counted]


def _worker(log: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    with log.open("w") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "run", "kinerja", "worker", *args],
            cwd=ROOT,
            env={**os.environ, "KINERJA_ENV": "test", **env},
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )


def _wait_for(condition: Callable[[], bool], worker: subprocess.Popen[str], log: Path) -> None:
    """Wait (at most 60 s) until ``condition`` holds while the worker keeps running."""
    deadline = utcnow() + timedelta(seconds=60)
    while not condition():
        try:
            worker.wait(timeout=0.1)
        except subprocess.TimeoutExpired:
            assert utcnow() < deadline, "timed out; worker log:\n" + log.read_text()
        else:
            pytest.fail("the worker stopped; its log:\n" + log.read_text())


def _work_horse(worker_pid: int) -> int | None:
    """The worker's child running a job: RQ puts its work horse in a process group of its
    own (the scheduler, the other child, stays in the worker's)."""
    children = Path(f"/proc/{worker_pid}/task/{worker_pid}/children").read_text().split()
    for pid in map(int, children):
        try:
            if os.getpgid(pid) == pid:
                return pid
        except ProcessLookupError:
            continue
    return None


@pytest.mark.slow
def test_a_real_worker_process_computes_the_ratings(org: Org) -> None:
    period = open_period()
    _year_for(period, [org.employees.epid1, org.employees.epid2, org.employees.penguji])
    run = request_ratings(period.id, None, SYSTEM)
    assert (_run(run.id).status, run.args) == (JobStatus.QUEUED, [period.id, None])
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "run", "kinerja", "worker", "--burst"],
        cwd=ROOT,
        env={**os.environ, "KINERJA_ENV": "test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    done = _run(run.id)
    assert (done.status, done.done, done.total, done.attempts) == (JobStatus.SUCCEEDED, 3, 3, 1)
    assert done.outcome is not None and done.outcome.params == {
        "rated": 3,
        "final": 0,
        "provisional": 3,
        "changed": 3,
        "warned": 2,
        "units": 2,
    }
    assert done.result is not None and done.result["seconds"] > 0
    assert done.finished_at is not None and done.started_at is not None
    assert _ratings_per_employee() == [1, 1, 1]
    assert {r.run_id for r in db.session.scalars(select(Rating))} == {run.id}


@pytest.mark.slow
def test_a_work_horse_killed_mid_run_is_retried_and_completes(org: Org, tmp_path: Path) -> None:
    period = open_period()
    people = staff(org.units.surv, org.positions.kasi_surv, 12, "K")
    _year_for(period, people)
    run = request_ratings(period.id, None, SYSTEM)
    log = tmp_path / "worker.log"
    # Two plans per committed batch and a pause after each: the run takes seconds.
    worker = _worker(log, "--no-cron", KINERJA_RATINGS_BATCH="2", KINERJA_RATINGS_PAUSE_MS="700")
    try:
        _wait_for(lambda: _run(run.id).done >= 4, worker, log)
        horse = _work_horse(worker.pid)
        assert horse is not None, log.read_text()
        os.kill(horse, signal.SIGKILL)
        _wait_for(lambda: _run(run.id).status == JobStatus.RETRYING, worker, log)
        killed = _run(run.id)
        assert killed.error is not None and "killed by signal 9" in killed.error
        before = {r.employee_id: r.updated_at for r in db.session.scalars(select(Rating))}
        assert 4 <= len(before) < len(people)  # whole batches committed, the rest missing
        _skip_backoff()
        _wait_for(lambda: _run(run.id).status == JobStatus.SUCCEEDED, worker, log)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    done = _run(run.id)
    assert (done.attempts, done.done, done.total, done.error) == (2, 12, 12, None)
    assert done.outcome is not None and done.outcome.params["changed"] == 12 - len(before)
    assert _ratings_per_employee() == [1] * len(people)
    after = {r.employee_id: r.updated_at for r in db.session.scalars(select(Rating))}
    assert {e: after[e] for e in before} == before  # the retry rewrote none of them


def _skip_backoff() -> None:
    queue = outbox.queue("default")
    registry = ScheduledJobRegistry(queue=queue)
    for job_id in registry.get_job_ids():
        registry.remove(job_id)
        queue.enqueue_job(queue.fetch_job(job_id))


def _stale(status: JobStatus, args: list[Any]) -> JobRun:
    run = JobRun(name=JOB, args=args, status=status, attempts=1)
    db.session.add(run)
    db.session.commit()
    db.session.execute(
        update(JobRun)
        .where(JobRun.id == run.id)
        .values(updated_at=utcnow() - job_runs.STALE_AFTER - timedelta(minutes=1))
    )
    db.session.commit()
    return run


def test_the_sweep_sets_right_runs_a_dead_worker_left_behind(org: Org, run_jobs) -> None:
    period = open_period()
    _year_for(period, [org.employees.epid1])
    lost = _stale(JobStatus.RUNNING, [period.id, None])  # Redis has no job for it
    failed = _stale(JobStatus.RUNNING, [period.id, None])
    retried = _stale(JobStatus.RUNNING, [period.id, None])
    fresh = JobRun(name=JOB, args=[period.id, None], status=JobStatus.RUNNING)
    db.session.add(fresh)
    db.session.commit()
    queue = outbox.queue("default")
    for stale, state in ((failed, RQStatus.FAILED), (retried, RQStatus.SCHEDULED)):
        job = queue.create_job(outbox.RUNNER, args=(stale.id,), job_id=outbox.job_id(stale.id))
        job.save()
        job.set_status(state)

    assert job_runs.recover_stale() == 3
    assert (_run(lost.id).status, _run(failed.id).status, _run(retried.id).status) == (
        JobStatus.QUEUED,  # pending again, and handed over at once
        JobStatus.FAILED,
        JobStatus.RETRYING,
    )
    assert _run(failed.id).outcome is not None
    assert _run(fresh.id).status == JobStatus.RUNNING  # not stale: left alone
    assert job_runs.recover_stale() == 0  # idempotent
    run_jobs()
    assert _run(lost.id).status == JobStatus.SUCCEEDED
    assert _ratings_per_employee() == [1]


def test_the_worker_records_a_killed_work_horse(org: Org) -> None:
    runs = [_stale(JobStatus.RUNNING, [1, None]) for _ in range(3)]
    queue = outbox.queue("default")
    jobs = [
        queue.create_job(
            outbox.RUNNER, args=(run.id,), job_id=outbox.job_id(run.id), retry=Retry(max=1)
        )
        for run in runs
    ]
    jobs[1].retries_left = 0
    killed = signal.SIGKILL.value  # the wait status of a process killed by SIGKILL
    record_killed_horse(jobs[0], 4242, killed, None)
    record_killed_horse(jobs[1], 4243, killed, None)
    _run(runs[2].id).status = JobStatus.SUCCEEDED
    db.session.commit()
    record_killed_horse(jobs[2], 4244, killed, None)  # done already: left alone
    assert [_run(run.id).status for run in runs] == [
        JobStatus.RETRYING,
        JobStatus.FAILED,
        JobStatus.SUCCEEDED,
    ]
    assert "work horse 4242 killed by signal 9" in (_run(runs[0].id).error or "")


def test_the_nightly_run_asks_for_running_and_evaluated_periods(org: Org) -> None:
    periods = {
        status: open_period(year, status)
        for year, status in (
            (2024, PeriodStatus.CLOSED),
            (2025, PeriodStatus.EVALUATION),
            (2026, PeriodStatus.RUNNING),
            (2027, PeriodStatus.PLANNING),
        )
    }
    first = request_nightly_ratings()
    assert [_run(i).args for i in first] == [
        [periods[PeriodStatus.EVALUATION].id, None],
        [periods[PeriodStatus.RUNNING].id, None],
    ]
    assert request_nightly_ratings() == first  # still queued: not asked for twice
    assert {_run(i).requested_by_id for i in first} == {None}
