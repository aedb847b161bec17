"""Background jobs: a real RQ worker process, the outbox when Redis is down, failures."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask

from kinerja.extensions import db
from kinerja.models.jobs import JobRun, JobStatus
from kinerja.security.policies import SYSTEM
from kinerja.services import outbox
from kinerja.services.logins import create_logins
from tests.conftest import _free_port
from tests.factories import Org

ROOT = Path(__file__).resolve().parents[2]


def _reload(run_id: int) -> JobRun:
    db.session.expire_all()
    return db.session.get(JobRun, run_id)


@pytest.mark.slow
def test_a_real_worker_process_sends_the_login_emails(org: Org, mailbox, smtp) -> None:
    batch = create_logins([org.employees.epid2.id], SYSTEM, "email")
    assert _reload(batch.job_run_id).status == JobStatus.QUEUED
    env = {
        **os.environ,
        "KINERJA_ENV": "test",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.port),
    }
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "run", "kinerja", "worker", "--burst"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    run = _reload(batch.job_run_id)
    assert (run.status, run.done, run.total) == (JobStatus.SUCCEEDED, 1, 1)
    assert [m["To"] for m in mailbox.messages] == ["epid2@uji.example"]


def test_nothing_is_lost_when_redis_is_down(app: Flask, org: Org, run_jobs, mailbox) -> None:
    state = app.extensions["kinerja_jobs"]
    good_url = app.config["REDIS_URL"]
    app.config["REDIS_URL"], state["redis"] = "redis://127.0.0.1:1/0", None
    try:
        batch = create_logins([org.employees.epid2.id], SYSTEM, "email")
    finally:
        app.config["REDIS_URL"], state["redis"] = good_url, None
    assert batch.created  # the logins were committed although Redis was unreachable
    assert _reload(batch.job_run_id).status == JobStatus.PENDING
    assert outbox.dispatch_pending(older_than=timedelta(0)) == 1
    run_jobs()
    assert _reload(batch.job_run_id).status == JobStatus.SUCCEEDED
    assert len(mailbox.messages) == 1


def test_a_failing_job_is_recorded_with_its_error_and_can_be_retried(
    app: Flask, org: Org, run_jobs, mailbox, smtp
) -> None:
    batch = create_logins([org.employees.epid2.id], SYSTEM, "email")
    mail_state = app.extensions["mail"]
    mail_state.port = _free_port()  # nobody listens there: every attempt fails
    try:
        for _attempt in range(1 + len(outbox.RETRY_INTERVALS)):
            run_jobs()
            from rq.registry import ScheduledJobRegistry

            queue = outbox.queue("mail")
            for job_id in ScheduledJobRegistry(queue=queue).get_job_ids():
                queue.enqueue_job(queue.fetch_job(job_id))  # skip RQ's back-off wait
    finally:
        mail_state.port = smtp.port
    run = _reload(batch.job_run_id)
    assert run.status == JobStatus.FAILED
    assert run.attempts == 1 + len(outbox.RETRY_INTERVALS)
    assert "Connection refused" in run.error or "ConnectionRefused" in run.error
    assert outbox.retry(run.id)
    run_jobs()
    assert _reload(run.id).status == JobStatus.SUCCEEDED
    assert len(mailbox.messages) == 1
