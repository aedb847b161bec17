"""Sending the recorded email (:mod:`kinerja.services.mail.send`)."""

from __future__ import annotations

from kinerja.domain.errors import N_
from kinerja.jobs.registry import job
from kinerja.services import job_runs
from kinerja.services.job_runs import JobOutcome
from kinerja.services.mail import send

SUMMARY = N_(
    "Sent %(sent)d, written to the log %(logged)d, to retry %(retrying)d, failed %(failed)d."
)


@job
def send_emails(ids: list[int] | None = None, run_id: int | None = None) -> JobOutcome:
    """Send every email due (or those of ``ids``), batch by batch over one connection each.

    Idempotent: only emails waiting or due for another attempt are claimed, so a retried
    job or two jobs at once never send an email twice (see the service's docstring)."""
    report = job_runs.progress_reporter(run_id)
    delivery = send.send_due(ids=ids, progress=lambda done: report(done, done))
    return JobOutcome(
        SUMMARY,
        {
            "sent": delivery.sent,
            "logged": delivery.logged,
            "retrying": delivery.retrying,
            "failed": delivery.failed,
        },
    )


def send_due_emails() -> int:
    """Periodic: send what is due (emails whose retry time has come, claims left by a job
    that died); the number handled."""
    return send.send_due().handled
