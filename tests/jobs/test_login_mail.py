"""Mailing one-time passwords: one use case per login, so that a retry never sends a second
password to someone this run already mailed."""

from __future__ import annotations

import re
from typing import Any

from rq.registry import ScheduledJobRegistry

from kinerja.extensions import db, mail
from kinerja.models.base import utcnow
from kinerja.models.jobs import JobRun, JobStatus, Message
from kinerja.security.policies import SYSTEM
from kinerja.services import outbox
from kinerja.services.logins import create_logins, mail_login_credentials
from tests.conftest import RefusingSink
from tests.factories import Org, login


def _password(message: Any) -> str:
    body = message.get_content()
    return re.search(r"^Kata sandi sekali pakai: (\S+)\s*$", body, re.MULTILINE).group(1)


def test_a_retry_never_mails_a_second_password(
    client, org: Org, run_jobs, sink: RefusingSink
) -> None:
    org.employees.kasi_surv.email = "kasi@uji.example"
    db.session.commit()
    sink.refused.add("kasi@uji.example")
    batch = create_logins([org.employees.epid2.id, org.employees.kasi_surv.id], SYSTEM, "email")
    run_jobs()  # epid2 is mailed; kasi's mail is refused: the run will be retried
    db.session.expire_all()
    run = db.session.get(JobRun, batch.job_run_id)
    assert (run.status, run.attempts) == (JobStatus.RETRYING, 1)
    assert [m["To"] for m in sink.messages] == ["epid2@uji.example"]

    sink.refused.clear()
    queue = outbox.queue("mail")
    registry = ScheduledJobRegistry(queue=queue)
    for job_id in registry.get_job_ids():  # no waiting for RQ's back-off
        registry.remove(job_id)
        queue.enqueue_job(queue.fetch_job(job_id))
    run_jobs()
    db.session.expire_all()
    run = db.session.get(JobRun, batch.job_run_id)
    assert (run.status, run.attempts) == (JobStatus.SUCCEEDED, 2)
    assert run.outcome == Message("Sent %(sent)d, skipped %(skipped)d.", {"sent": 1, "skipped": 1})
    assert [m["To"] for m in sink.messages] == ["epid2@uji.example", "kasi@uji.example"]
    first = sink.messages[0]
    login(client, org.employees.epid2.nip, _password(first))  # still valid


def test_the_mail_use_case_skips_a_login_mailed_since(org: Org, sink: RefusingSink) -> None:
    batch = create_logins([org.employees.epid2.id], SYSTEM, "show")  # created, not mailed
    user_id = batch.created[0].user_id
    since = utcnow()
    with mail.connect() as connection:
        assert mail_login_credentials(user_id, connection, mailed_since=since)
        assert not mail_login_credentials(user_id, connection, mailed_since=since)
    assert [m["To"] for m in sink.messages] == ["epid2@uji.example"]
