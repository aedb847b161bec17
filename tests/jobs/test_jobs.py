"""Background jobs: a real RQ worker process, the outbox when Redis is down, retries that
show, refusals that fail at once, and sweeps that never hand a run over twice."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select, update

from kinerja.domain.errors import ConflictError, NotFoundError
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.jobs import RETRY_INTERVALS, JobRun, JobStatus, Message
from kinerja.security.policies import SYSTEM, scope_for_user
from kinerja.services import job_runs, outbox
from kinerja.services.imports import ImportKind, ImportMode, request_import
from kinerja.services.logins import create_logins
from tests.conftest import _free_port
from tests.factories import Org

ROOT = Path(__file__).resolve().parents[2]


def _reload(run_id: int) -> JobRun:
    db.session.expire_all()
    return db.session.get(JobRun, run_id)


def _skip_backoff(queue_name: str) -> None:
    """Move the retries RQ scheduled for later into the queue now (no waiting)."""
    queue = outbox.queue(queue_name)
    registry = ScheduledJobRegistry(queue=queue)
    for job_id in registry.get_job_ids():
        registry.remove(job_id)
        queue.enqueue_job(queue.fetch_job(job_id))


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
    assert run.outcome == Message("Sent %(sent)d, skipped %(skipped)d.", {"sent": 1, "skipped": 0})
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
    assert outbox.dispatch_pending(older_than=timedelta(0)) == 0  # handed over once
    run_jobs()
    assert _reload(batch.job_run_id).status == JobStatus.SUCCEEDED
    assert len(mailbox.messages) == 1


def test_a_failing_job_shows_its_retries_then_fails_and_can_be_retried(
    app: Flask, org: Org, run_jobs, mailbox, smtp
) -> None:
    batch = create_logins([org.employees.epid2.id], SYSTEM, "email")
    mail_state = app.extensions["mail"]
    mail_state.port = _free_port()  # nobody listens there: every attempt fails
    try:
        for attempt in range(1, len(RETRY_INTERVALS) + 1):
            run_jobs()
            run = _reload(batch.job_run_id)
            assert (run.status, run.attempts, run.finished_at) == (
                JobStatus.RETRYING,
                attempt,
                None,
            )
            assert run.state == Message(
                "Retrying (attempt %(attempt)d of %(retries)d)",
                {"attempt": attempt, "retries": len(RETRY_INTERVALS)},
            )
            _skip_backoff("mail")
        run_jobs()  # the last retry
    finally:
        mail_state.port = smtp.port
    run = _reload(batch.job_run_id)
    assert (run.status, run.attempts) == (JobStatus.FAILED, 1 + len(RETRY_INTERVALS))
    assert run.finished_at is not None
    assert "Connection refused" in run.error or "ConnectionRefused" in run.error
    assert ScheduledJobRegistry(queue=outbox.queue("mail")).get_job_ids() == []  # RQ gave up
    job_runs.retry(run.id, SYSTEM)
    run_jobs()
    assert _reload(run.id).status == JobStatus.SUCCEEDED
    assert len(mailbox.messages) == 1


def test_a_refused_job_fails_at_once_with_its_message(org: Org, run_jobs) -> None:
    scope = scope_for_user(org.users.operator)
    run = request_import(
        ImportKind.UNITS,
        io.BytesIO(b"kode,nama,jenis,kode_induk\nDINKES.A,A,bidang,DINKES\n"),
        "units.csv",
        ImportMode.ALL_OR_NOTHING,
        scope,
    )
    org.users.operator.active = False  # deactivated before the job ran
    db.session.commit()
    run_jobs()
    run = _reload(run.id)
    assert (run.status, run.attempts) == (JobStatus.FAILED, 1)
    assert run.outcome == Message(
        "The account that uploaded the file no longer exists or is inactive.", {}
    )
    assert ScheduledJobRegistry(queue=outbox.queue("default")).get_job_ids() == []


def test_only_failed_runs_in_reach_can_be_retried(org: Org) -> None:
    admins = JobRun(name="email_login_credentials", status=JobStatus.FAILED)
    operators = JobRun(
        name="import_organisation_file",
        status=JobStatus.SUCCEEDED,
        requested_by_id=org.users.operator.id,
    )
    db.session.add_all([admins, operators])
    db.session.commit()
    operator = scope_for_user(org.users.operator)
    with pytest.raises(NotFoundError):
        job_runs.retry(admins.id, operator)
    with pytest.raises(ConflictError):
        job_runs.retry(operators.id, operator)
    assert _reload(admins.id).status == JobStatus.FAILED
    assert _reload(operators.id).status == JobStatus.SUCCEEDED


def test_two_sweeps_at_once_hand_each_run_over_once(
    app: Flask, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = [JobRun(name="email_login_credentials", args=[[]], queue="mail") for _ in range(6)]
    db.session.add_all(runs)
    db.session.commit()
    db.session.execute(update(JobRun).values(created_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()

    # Both sweeps wait for each other inside their first hand-over, so that they really
    # overlap: without the row lock both would hand over the first run.
    both_inside = threading.Barrier(2, timeout=20)
    enqueue = outbox._enqueue
    first_call = threading.local()

    def overlapping_enqueue(run_id: int, queue_name: str) -> None:
        if not getattr(first_call, "done", False):
            first_call.done = True
            both_inside.wait()
        enqueue(run_id, queue_name)

    monkeypatch.setattr(outbox, "_enqueue", overlapping_enqueue)
    handed: list[Any] = []

    def sweep() -> None:
        with app.app_context():
            handed.append(outbox.dispatch_pending())

    sweeps = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in sweeps:
        thread.start()
    for thread in sweeps:
        thread.join(timeout=60)
    assert sum(handed) == len(runs) and len(handed) == 2
    assert outbox.queue("mail").count == len(runs)
    db.session.expire_all()
    assert set(db.session.scalars(select(JobRun.status))) == {JobStatus.QUEUED}


def test_without_redis_jobs_run_inline_after_the_commit(
    app: Flask, org: Org, mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    batch = create_logins([org.employees.epid2.id], SYSTEM, "email")
    run = _reload(batch.job_run_id)
    assert (run.status, run.attempts) == (JobStatus.SUCCEEDED, 1)
    assert [m["To"] for m in mailbox.messages] == ["epid2@uji.example"]

    monkeypatch.setattr(app.extensions["mail"], "port", _free_port())  # nobody listens
    org.employees.perawat.email = "perawat@uji.example"
    db.session.commit()
    batch = create_logins([org.employees.perawat.id], SYSTEM, "email")
    assert batch.created  # the use case committed; only its inline follow-up failed
    run = _reload(batch.job_run_id)
    assert (run.status, run.attempts) == (JobStatus.FAILED, 1)  # no retries without RQ
    assert run.finished_at is not None
