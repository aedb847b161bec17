"""Mailing one-time passwords for new logins."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale, gettext
from flask_mail import Message
from sqlalchemy import select

from kinerja.extensions import db, mail
from kinerja.jobs.progress import report_progress
from kinerja.jobs.registry import job
from kinerja.models.base import utcnow
from kinerja.models.jobs import JobRun
from kinerja.models.org import Employee
from kinerja.models.security import KinerjaUser

PROGRESS_EVERY = 50


@job
def email_login_credentials(user_ids: list[int], run_id: int | None = None) -> str:
    """Issue a fresh one-time password to each login and mail it to the employee.

    Idempotent: a login already mailed by this run (a retry after a partial failure) is
    skipped, so nobody gets a second password that silently replaces the first.
    """
    run = db.session.get(JobRun, run_id) if run_id else None
    since = run.created_at if run else None
    from kinerja.services.logins import hash_password, one_time_password

    rows = db.session.execute(
        select(KinerjaUser, Employee)
        .join(Employee, Employee.user_id == KinerjaUser.id)
        .where(KinerjaUser.id.in_(user_ids))
        .order_by(KinerjaUser.id)
    ).all()
    sent = skipped = 0
    base_url = current_app.config.get("KINERJA_BASE_URL", "http://127.0.0.1:5000")
    with mail.connect() as connection, force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for index, (user, employee) in enumerate(rows, start=1):
            already = user.credentials_sent_at is not None and (
                since is None or user.credentials_sent_at >= since
            )
            if already or not employee.email or user.last_login is not None:
                skipped += 1
                continue
            password = one_time_password()
            user.password = hash_password(password)
            user.must_change_password = True
            message = Message(
                subject=gettext("Your Kinerja login"),
                recipients=[employee.email],
                body=render_template(
                    "email/login_credentials.txt",
                    name=employee.name,
                    username=user.username,
                    password=password,
                    login_url=f"{base_url}/login/",
                ),
            )
            connection.send(message)
            user.credentials_sent_at = utcnow()
            db.session.commit()
            sent += 1
            if index % PROGRESS_EVERY == 0:
                report_progress(run_id, index, len(rows))
    report_progress(run_id, len(rows), len(rows))
    return f"sent {sent}, skipped {skipped}"
