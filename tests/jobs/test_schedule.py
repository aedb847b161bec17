"""The periodic jobs: declared in kinerja/jobs/schedule.py, enqueued by RQ's cron on the
real Redis, run by a worker — the outbox sweep hands over what waited while Redis was down."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from redis import Redis
from rq.cron import CronScheduler, get_cron_job_ids
from rq.exceptions import StopRequested
from rq.job import Job
from sqlalchemy import update

from kinerja.extensions import db
from kinerja.jobs.schedule import register_periodic
from kinerja.jobs.worker import WorkerCron
from kinerja.models.base import utcnow
from kinerja.models.jobs import JobRun, JobStatus
from kinerja.security.policies import SYSTEM
from kinerja.services import outbox
from kinerja.services.logins import create_logins
from tests.factories import Org

ROOT = Path(__file__).resolve().parents[2]
SWEEP = "kinerja.jobs.sweep.sweep_outbox"
RECOVER = "kinerja.jobs.sweep.recover_stale_runs"
NIGHTLY = "kinerja.jobs.ratings.request_nightly_ratings"
EMAILS = "kinerja.jobs.mail.send_due_emails"
REMINDERS = "kinerja.jobs.notices.send_deadline_reminders"
DIGESTS = "kinerja.jobs.notices.send_supervisor_digests"
SURVEYS = "kinerja.jobs.surveys.request_nightly_survey_indices"
RECOMMENDATIONS = "kinerja.jobs.competency.request_nightly_recommendations"
PRUNE_CHANGES = "kinerja.jobs.retention.prune_change_log"
PRUNE_DELIVERIES = "kinerja.jobs.retention.prune_webhook_deliveries"
PARTITIONS = "kinerja.jobs.partitions.partition_realizations"
DUE_AT_ONCE = [SWEEP, RECOVER, EMAILS]  # the interval jobs; the nightly ratings wait for 01:00


def _left_pending_while_redis_was_down(app: Flask, org: Org) -> int:
    """A use case commits while Redis is unreachable, a minute ago: its run stays pending."""
    state = app.extensions["kinerja_jobs"]
    good_url = app.config["REDIS_URL"]
    app.config["REDIS_URL"], state["redis"] = "redis://127.0.0.1:1/0", None
    try:
        batch = create_logins([org.employees.epid2.id], SYSTEM, "email")
    finally:
        app.config["REDIS_URL"], state["redis"] = good_url, None
    run_id = batch.job_run_id
    db.session.execute(
        update(JobRun).where(JobRun.id == run_id).values(created_at=utcnow() - timedelta(minutes=1))
    )
    db.session.commit()
    assert _status(run_id) == JobStatus.PENDING
    return run_id


def _status(run_id: int) -> JobStatus:
    db.session.expire_all()
    return db.session.get(JobRun, run_id).status


def test_the_schedule_registers_the_sweeps_the_nightly_ratings_and_due_emails(app: Flask) -> None:
    scheduler = register_periodic(CronScheduler(connection=outbox.redis_connection()))
    assert [(j.func_name, j.queue_name, j.interval, j.cron) for j in scheduler.get_jobs()] == [
        (SWEEP, "default", 60, None),
        (RECOVER, "default", 300, None),
        (NIGHTLY, "default", None, "0 1 * * *"),
        (SURVEYS, "default", None, "30 1 * * *"),
        (RECOMMENDATIONS, "default", None, "0 2 * * *"),
        (EMAILS, "mail", 60, None),
        (REMINDERS, "default", None, "0 6 * * *"),
        (DIGESTS, "default", None, "30 6 * * *"),
        (PRUNE_CHANGES, "default", None, "0 3 * * *"),
        (PRUNE_DELIVERIES, "default", None, "15 3 * * *"),
        (PARTITIONS, "default", None, "30 3 * * *"),
    ]


def test_the_sweep_job_hands_over_a_run_left_pending(
    app: Flask, org: Org, run_jobs, mailbox
) -> None:
    run_id = _left_pending_while_redis_was_down(app, org)
    connection = outbox.redis_connection()
    scheduler = register_periodic(CronScheduler(connection=connection))
    assert [j.func_name for j in scheduler.enqueue_jobs()] == DUE_AT_ONCE
    run_jobs()  # the sweep, then the run it handed over
    (sweep_id,) = get_cron_job_ids(SWEEP, connection)
    assert Job.fetch(sweep_id, connection=connection).return_value() == 1
    assert _status(run_id) == JobStatus.SUCCEEDED
    assert [m["To"] for m in mailbox.messages] == ["epid2@uji.example"]


def test_a_cron_scheduler_whose_worker_is_gone_stops_enqueuing(app: Flask) -> None:
    connection = outbox.redis_connection()
    orphan = register_periodic(WorkerCron(connection, parent_pid=-1))
    with pytest.raises(StopRequested):
        orphan.enqueue_jobs()
    assert outbox.queue("default").count == 0
    attached = register_periodic(WorkerCron(connection, parent_pid=os.getppid()))
    assert [j.func_name for j in attached.enqueue_jobs()] == DUE_AT_ONCE
    assert outbox.queue("default").count + outbox.queue("mail").count == len(DUE_AT_ONCE)


def _wait_for(condition: Callable[[], bool], worker: subprocess.Popen[str], log: Path) -> None:
    """Wait (at most 60 s) until ``condition`` holds, watching the worker: one that exits
    meanwhile fails the test with its log."""
    deadline = utcnow() + timedelta(seconds=60)
    while not condition():
        try:
            worker.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            assert utcnow() < deadline, "timed out; worker log:\n" + log.read_text()
        else:
            pytest.fail("the worker stopped; its log:\n" + log.read_text())


@pytest.mark.slow
def test_make_worker_runs_the_schedule_and_sweeps_the_outbox(
    app: Flask, org: Org, smtp, mailbox, tmp_path: Path
) -> None:
    run_id = _left_pending_while_redis_was_down(app, org)
    connection: Redis = outbox.redis_connection()
    env = {
        **os.environ,
        "KINERJA_ENV": "test",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.port),
    }
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "run", "kinerja", "worker"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        _wait_for(lambda: _status(run_id) == JobStatus.SUCCEEDED, worker, log)
        schedulers = CronScheduler.all(connection)
        assert [[j.func_name for j in s.get_jobs()] for s in schedulers] == [
            [
                SWEEP,
                RECOVER,
                NIGHTLY,
                SURVEYS,
                RECOMMENDATIONS,
                EMAILS,
                REMINDERS,
                DIGESTS,
                PRUNE_CHANGES,
                PRUNE_DELIVERIES,
                PARTITIONS,
            ]
        ]
        sweeps = [Job.fetch(i, connection=connection) for i in get_cron_job_ids(SWEEP, connection)]
        assert 1 in [sweep.return_value() for sweep in sweeps]  # the sweep handed it over
        assert [m["To"] for m in mailbox.messages] == ["epid2@uji.example"]
        worker.terminate()
        assert worker.wait(timeout=30) == 0, log.read_text()
        assert CronScheduler.all(connection) == []  # the cron scheduler stopped with it
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=30)
