"""Sending under trouble, on a real SMTP server (aiosmtpd) and real RQ workers: one
connection per batch, a server failing transiently (451, a dropped connection) retried with
backoff until it delivers, a refused address failed for good, a worker killed mid-batch and
two sending jobs at once — never an email twice, never one missing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from kinerja.domain.errors import N_
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.jobs import JobRun, JobStatus
from kinerja.models.mail import EmailKind, EmailStatus, OutgoingEmail
from kinerja.services import outbox
from kinerja.services.boundary import transaction
from kinerja.services.mail import compose
from tests.mail.conftest import ScriptedSink

ROOT = Path(__file__).resolve().parents[2]
BOUND = 60.0

pytestmark = pytest.mark.usefixtures("probe_templates")


def address(number: int) -> str:
    return f"orang{number}@uji.example"


def record(count: int, event: str = "evaluation 1") -> list[int]:
    """Record one probe email to each of ``count`` people (the sending job is scheduled)."""
    drafts = [
        compose.Draft(
            EmailKind.FEEDBACK,
            compose.Recipient(address(n), f"Orang {n}", "id", employee_id=n),
            event,
            "probe",
            N_("Sent %(sent)d"),
            {"sent": n},
            {"detail": f"rincian {n}"},
        )
        for n in range(count)
    ]
    with transaction():
        return compose.record(drafts)


def send_job(run_jobs: Callable[[], None]) -> None:
    """One more sending job, worked off by a real RQ worker."""
    with transaction():
        outbox.schedule(compose.SEND_JOB, queue_name=compose.MAIL_QUEUE)
    run_jobs()


def emails() -> list[OutgoingEmail]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutgoingEmail).order_by(OutgoingEmail.id)))


def email_to(number: int) -> OutgoingEmail:
    db.session.expire_all()
    return db.session.scalars(
        select(OutgoingEmail).where(OutgoingEmail.address == address(number))
    ).one()


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + BOUND
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def due(email: OutgoingEmail) -> Callable[[], bool]:
    return lambda: email.next_attempt_at is not None and utcnow() >= email.next_attempt_at


def test_each_batch_goes_over_one_smtp_connection_even_several_at_once(
    mail_config: dict, scripted: ScriptedSink, run_jobs: Callable[[], None]
) -> None:
    mail_config["KINERJA_MAIL_BATCH"] = 5
    mail_config["KINERJA_MAIL_CONNECTIONS"] = 3  # three batches at a time
    record(23)
    run_jobs()
    assert scripted.connections == 5
    assert sorted(scripted.per_connection.values()) == [3, 5, 5, 5, 5]
    assert set(scripted.delivered.values()) == {1} and len(scripted.delivered) == 23
    assert {e.status for e in emails()} == {EmailStatus.SENT}
    run = db.session.scalars(select(JobRun)).one()
    assert run.status == JobStatus.SUCCEEDED and run.outcome.params["sent"] == 23
    assert run.done == 23  # the lanes' progress added up


def test_a_server_answering_451_is_retried_with_growing_delays_then_delivers(
    mail_config: dict, scripted: ScriptedSink, run_jobs: Callable[[], None]
) -> None:
    # The first delay is long enough that a loaded machine still sends "too early" below.
    mail_config["KINERJA_MAIL_RETRY_DELAYS"] = (1.5, 0.9, 5)
    scripted.transient[address(1)] = 2
    record(3)
    run_jobs()
    first = email_to(1)
    assert (first.status, first.attempts, first.error) == (
        EmailStatus.RETRYING,
        1,
        "451 try again later",
    )
    waited = first.next_attempt_at - first.updated_at
    assert 1.45 < waited.total_seconds() < 1.8
    assert scripted.delivered[address(0)] == scripted.delivered[address(2)] == 1

    send_job(run_jobs)  # too early: nothing is due
    assert utcnow() < first.next_attempt_at, "the machine was too slow to test 'too early'"
    assert email_to(1).attempts == 1
    wait_until(due(first), "the first retry")
    send_job(run_jobs)
    second = email_to(1)
    assert (second.status, second.attempts) == (EmailStatus.RETRYING, 2)
    assert 0.8 < (second.next_attempt_at - second.updated_at).total_seconds() < 1.2

    wait_until(due(second), "the second retry")
    send_job(run_jobs)
    delivered = email_to(1)
    assert (delivered.status, delivered.attempts, delivered.error) == (EmailStatus.SENT, 3, None)
    assert delivered.sent_at is not None and delivered.message_id
    assert scripted.delivered[address(1)] == 1 and sum(scripted.delivered.values()) == 3


def test_transient_failures_give_up_once_the_delays_are_used_up(
    mail_config: dict, scripted: ScriptedSink, run_jobs: Callable[[], None]
) -> None:
    mail_config["KINERJA_MAIL_RETRY_DELAYS"] = (0.2,)
    scripted.transient[address(0)] = 10
    record(1)
    run_jobs()
    wait_until(due(email_to(0)), "the retry")
    send_job(run_jobs)
    failed = email_to(0)
    assert (failed.status, failed.attempts, failed.next_attempt_at) == (EmailStatus.FAILED, 2, None)
    assert scripted.transient[address(0)] == 8  # asked twice, then left alone
    send_job(run_jobs)
    assert email_to(0).attempts == 2


def test_a_dropped_connection_is_retried_and_everything_arrives_once(
    mail_config: dict, scripted: ScriptedSink, run_jobs: Callable[[], None]
) -> None:
    mail_config["KINERJA_MAIL_RETRY_DELAYS"] = (1.5,)  # not yet due when the first run ends
    scripted.drop_at = 3
    record(8)
    run_jobs()
    statuses = [e.status for e in emails()]
    assert statuses == [EmailStatus.SENT] * 2 + [EmailStatus.RETRYING] * 6
    assert all("Disconnected" in (e.error or "") for e in emails()[2:])
    wait_until(lambda: all(due(e)() for e in emails()[2:]), "the retry")
    send_job(run_jobs)
    assert {e.status for e in emails()} == {EmailStatus.SENT}
    assert len(scripted.delivered) == 8 and set(scripted.delivered.values()) == {1}
    assert scripted.connections == 2


def test_a_refused_address_fails_for_good_and_is_not_retried(
    mail_config: dict, scripted: ScriptedSink, run_jobs: Callable[[], None]
) -> None:
    mail_config["KINERJA_MAIL_RETRY_DELAYS"] = (0.1,)
    scripted.refused.add(address(1))
    record(4)
    run_jobs()
    refused = email_to(1)
    assert (refused.status, refused.attempts, refused.next_attempt_at) == (
        EmailStatus.FAILED,
        1,
        None,
    )
    assert refused.error.startswith("550") and refused.sent_at is None
    assert scripted.connections == 1 and len(scripted.delivered) == 3  # the batch went on
    time.sleep(0.2)  # longer than any retry delay: still nothing to retry
    send_job(run_jobs)
    assert email_to(1).attempts == 1 and address(1) not in scripted.delivered


def _worker(log: Path, port: int, **env: str) -> subprocess.Popen[str]:
    """A real ``flask kinerja worker --burst mail`` process sending to ``port``."""
    with log.open("w") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "run", "kinerja", "worker", "--burst", "mail"],
            cwd=ROOT,
            env={
                **os.environ,
                "KINERJA_ENV": "test",
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": str(port),
                **env,
            },
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )


def _work_horse(worker_pid: int) -> int | None:
    """The worker's child running the job (RQ gives it a process group of its own)."""
    children = Path(f"/proc/{worker_pid}/task/{worker_pid}/children").read_text().split()
    for pid in map(int, children):
        try:
            if os.getpgid(pid) == pid:
                return pid
        except ProcessLookupError:
            continue
    return None


@pytest.mark.slow
def test_a_worker_killed_mid_batch_leaves_no_duplicate_and_nothing_missing(
    mail_config: dict, scripted: ScriptedSink, run_jobs: Callable[[], None], tmp_path: Path
) -> None:
    mail_config["KINERJA_MAIL_LEASE_SECONDS"] = 3
    scripted.hold_at = 8  # the 3rd email of the 2nd batch waits for its answer
    record(20)
    log = tmp_path / "worker.log"
    worker = _worker(
        log,
        scripted.port,
        KINERJA_MAIL_BATCH="5",
        KINERJA_MAIL_LEASE_SECONDS="3",
        KINERJA_MAIL_CONNECTIONS="1",  # one batch at a time: the 2nd one is cut short
    )
    try:
        assert scripted.reached.wait(BOUND), log.read_text()
        # the marks follow the sender by a round trip (SentMarks): let the 7th land
        wait_until(
            lambda: [e.status for e in emails()].count(EmailStatus.SENT) == 7,
            "the marks of the emails accepted",
        )
        horse = _work_horse(worker.pid)
        assert horse is not None, log.read_text()
        os.kill(worker.pid, signal.SIGKILL)
        os.kill(horse, signal.SIGKILL)
    finally:
        worker.wait(timeout=30)
    by_status = [e.status for e in emails()]
    assert by_status == [
        *[EmailStatus.SENT] * 7,
        *[EmailStatus.SENDING] * 3,
        *[EmailStatus.PENDING] * 10,
    ]
    assert scripted.abandoned.wait(BOUND)  # the server saw the client die: nothing accepted
    assert sum(scripted.delivered.values()) == 7

    send_job(run_jobs)  # within the lease: the killed worker's claim is left alone
    assert sum(scripted.delivered.values()) == 17
    claimed = emails()[7]
    lease = timedelta(seconds=mail_config["KINERJA_MAIL_LEASE_SECONDS"])
    wait_until(lambda: utcnow() >= claimed.claimed_at + lease, "the end of the lease")
    send_job(run_jobs)
    assert {e.status for e in emails()} == {EmailStatus.SENT}
    assert len(scripted.delivered) == 20 and set(scripted.delivered.values()) == {1}
    assert [e.attempts for e in emails()][7:10] == [2, 2, 2]


@pytest.mark.slow
def test_two_sending_jobs_at_once_never_send_an_email_twice(
    app: Flask, scripted: ScriptedSink, tmp_path: Path
) -> None:
    record(120)
    with transaction():
        outbox.schedule(compose.SEND_JOB, queue_name=compose.MAIL_QUEUE)
    scripted.rendezvous = 2  # no answer before both workers are connected
    workers = [
        _worker(
            tmp_path / f"worker{n}.log",
            scripted.port,
            KINERJA_MAIL_BATCH="7",
            KINERJA_MAIL_CONNECTIONS="1",  # the rendezvous waits for the other worker
        )
        for n in range(2)
    ]
    for worker, n in zip(workers, range(2), strict=True):
        assert worker.wait(timeout=120) == 0, (tmp_path / f"worker{n}.log").read_text()
    assert len(scripted.delivered) == 120 and set(scripted.delivered.values()) == {1}
    assert scripted.connections >= 2
    db.session.expire_all()
    runs = db.session.scalars(select(JobRun).order_by(JobRun.id)).all()
    assert [r.status for r in runs] == [JobStatus.SUCCEEDED] * 2
    sent = [r.outcome.params["sent"] for r in runs]
    assert sum(sent) == 120 and min(sent) > 0
    assert {e.status for e in emails()} == {EmailStatus.SENT}
