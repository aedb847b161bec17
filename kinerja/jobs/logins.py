"""Mailing one-time passwords for new logins."""

from __future__ import annotations

from kinerja.domain.errors import N_
from kinerja.extensions import mail
from kinerja.jobs.registry import job
from kinerja.services import job_runs, logins
from kinerja.services.job_runs import JobOutcome

PROGRESS_EVERY = 50
SUMMARY = N_("Sent %(sent)d, skipped %(skipped)d.")


@job
def email_login_credentials(user_ids: list[int], run_id: int | None = None) -> JobOutcome:
    """Mail each new login its one-time password, over one SMTP connection.

    Each login is its own use case (committed once its mail is accepted), so a retry after
    a partial failure skips whoever this run already mailed.
    """
    mailed_since = job_runs.requested_at(run_id)
    progress = job_runs.progress_reporter(run_id, every=PROGRESS_EVERY)
    sent = 0
    with mail.connect() as connection:
        for index, user_id in enumerate(user_ids, start=1):
            if logins.mail_login_credentials(user_id, connection, mailed_since=mailed_since):
                sent += 1
            progress(index, len(user_ids))
    return JobOutcome(SUMMARY, {"sent": sent, "skipped": len(user_ids) - sent})
