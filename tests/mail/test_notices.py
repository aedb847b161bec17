"""The periodic notices on the real services: the supervisors' weekly digest and the
deadline reminders, overdue notices and escalations — run as RQ runs them, sent over SMTP,
in each recipient's language, honouring opt-outs, never twice, and with the same number
of SQL statements for more employees."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, event, select

from kinerja.domain.planning import PlanStatus
from kinerja.domain.reporting import ReportStatus
from kinerja.extensions import db
from kinerja.jobs.notices import send_deadline_reminders, send_supervisor_digests
from kinerja.models.base import utcnow
from kinerja.models.jobs import JobRun
from kinerja.models.mail import EmailKind, OutgoingEmail
from kinerja.services.outbox import queue
from tests.conftest import MailSink
from tests.factories import Org, Planning, Reporting, submitted_report
from tests.ratings_factories import Spec, plan, report, staff


def _by_address(mailbox: MailSink) -> dict[str, EmailMessage]:
    return {m["To"]: m for m in mailbox.messages}


def _text(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def _periodic(run_jobs: Callable[[], None], func: Callable[..., int], day: date) -> None:
    """Enqueue the periodic job as RQ's cron does and work it off with a real worker."""
    queue("default").enqueue(func, day.isoformat())
    run_jobs()


def _rows(kind: EmailKind) -> dict[str, OutgoingEmail]:
    db.session.expire_all()
    found = db.session.scalars(select(OutgoingEmail).where(OutgoingEmail.kind == kind))
    return {row.address: row for row in found}


@contextmanager
def statements(app: Flask) -> Iterator[list[int]]:
    counter = [0]

    def count(*_args: Any) -> None:
        counter[0] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


@pytest.fixture
def monday(app: Flask, reporting: Reporting) -> Iterator[date]:
    """A digest day just after Triwulan I ends (its reports are due): the digest weekday
    set to that day's."""
    day = reporting.q1.ends_on + timedelta(days=1)
    before = app.config["KINERJA_DIGEST_WEEKDAY"]
    app.config["KINERJA_DIGEST_WEEKDAY"] = str(day.isoweekday())
    yield day
    app.config["KINERJA_DIGEST_WEEKDAY"] = before


def test_the_digest_lists_waiting_work_in_each_supervisors_language_once_a_week(
    org: Org, planning: Planning, reporting: Reporting, monday: date, run_jobs, mailbox: MailSink
) -> None:
    submitted_report(reporting)  # Epidemiolog Satu's Triwulan I waits for the Kepala Seksi
    reporting.plan2.status = PlanStatus.SUBMITTED  # a revision waits for approval
    reporting.plan2.submitted_at = utcnow() - timedelta(days=5)
    planning.kasi.locale = "en"
    db.session.commit()

    _periodic(run_jobs, send_supervisor_digests, monday - timedelta(days=1))  # not the day
    assert mailbox.messages == []
    _periodic(run_jobs, send_supervisor_digests, monday)
    mail = _by_address(mailbox)
    assert set(mail) == {"kasi@uji.example", "kabid@uji.example"}
    kasi = _text(mail["kasi@uji.example"])
    assert kasi.startswith("Dear Kasi Surveilans Uji,")
    assert "Evaluations waiting: 1" in kasi
    assert "Plans waiting for your approval: 1" in kasi
    assert "The oldest has waited 5 days." in kasi
    assert "- Epidemiolog Dua (Triwulan I)" in kasi  # has not reported; Satu has
    assert "Epidemiolog Satu (" not in kasi
    kabid = _text(mail["kabid@uji.example"])
    assert kabid.startswith("Yth. Kabid P2P Uji,")
    assert "- Kasi Surveilans Uji (Triwulan I)" in kabid

    _periodic(run_jobs, send_supervisor_digests, monday)  # again: nothing new
    _periodic(run_jobs, send_supervisor_digests, monday + timedelta(days=7))  # next week
    assert len(mailbox.messages) == 4
    assert db.session.scalar(select(OutgoingEmail.key).where(OutgoingEmail.id == 1)).endswith(
        "week " + f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"
    )


def test_a_declined_digest_is_not_sent(
    org: Org, planning: Planning, reporting: Reporting, monday: date, run_jobs, mailbox: MailSink
) -> None:
    submitted_report(reporting)
    planning.kasi.email_digests = False
    db.session.commit()
    _periodic(run_jobs, send_supervisor_digests, monday)
    assert set(_by_address(mailbox)) == {"kabid@uji.example"}


def _team(org: Org, reporting: Reporting, count: int, prefix: str) -> None:
    """``count`` more subordinates of the Kepala Seksi, each with an email and an approved
    plan; every other one has submitted a Triwulan I report, the others not."""
    for index, person in enumerate(staff(org.units.surv, org.positions.kasi_surv, count, prefix)):
        person.email = f"{prefix.lower()}{person.id}@uji.example"
        work_plan = plan(person, reporting.q1.period, [Spec(target=12)])
        if index % 2 == 0:
            report(work_plan, reporting.q1, [3], status=ReportStatus.SUBMITTED)


def _measure(app: Flask, job: Callable[..., int], day: date) -> tuple[int, int]:
    db.session.execute(delete(OutgoingEmail))
    db.session.execute(delete(JobRun))
    db.session.commit()
    with statements(app) as counter:
        recorded = job(day.isoformat())
    return counter[0], recorded


@pytest.mark.parametrize("job", [send_supervisor_digests, send_deadline_reminders])
def test_the_jobs_statements_do_not_grow_with_the_employees(
    app: Flask, org: Org, reporting: Reporting, monday: date, job: Callable[..., int]
) -> None:
    day = monday if job is send_supervisor_digests else reporting.q1.report_deadline - timedelta(3)
    if job is send_deadline_reminders:
        reporting.q1.evaluation_deadline = reporting.q1.report_deadline  # both steps in play
        db.session.commit()
    _team(org, reporting, 3, "Kecil")
    few, recorded_few = _measure(app, job, day)
    _team(org, reporting, 12, "Besar")
    many, recorded_many = _measure(app, job, day)
    assert recorded_few > 0
    if job is send_deadline_reminders:  # those who did not report are each reminded
        assert recorded_many > recorded_few
    assert many == few, f"{few} statements for the small team, {many} for the large one"


def test_reminder_overdue_and_escalations_follow_the_deadline(
    org: Org, planning: Planning, reporting: Reporting, run_jobs, mailbox: MailSink
) -> None:
    deadline = reporting.q1.report_deadline
    planning.kasi.locale = "en"
    org.users.employee.email_reminders = False  # Epidemiolog Satu declined reminders
    db.session.commit()

    def on(offset: int) -> dict[str, OutgoingEmail]:
        _periodic(run_jobs, send_deadline_reminders, deadline + timedelta(days=offset))
        return {
            a: r
            for kind in (EmailKind.REMINDER, EmailKind.OVERDUE, EmailKind.ESCALATION)
            for a, r in _rows(kind).items()
            if "reporting" in r.key
        }

    assert on(-4) == {}
    reminded = on(-3)
    assert set(reminded) == {"epid2@uji.example", "kasi@uji.example", "kabid@uji.example"}
    assert {r.kind for r in reminded.values()} == {EmailKind.REMINDER}
    assert reminded["epid2@uji.example"].key.endswith(
        f"sub-period {reporting.q1.id} reporting before"
    )
    assert len(on(0)) == 3  # the deadline day: the reminder is not repeated
    mail = _by_address(mailbox)
    assert _text(mail["kasi@uji.example"]).startswith("Dear Kasi Surveilans Uji,")
    assert "Please submit your performance report for Triwulan I" in _text(mail["kasi@uji.example"])
    assert _text(mail["epid2@uji.example"]).startswith("Yth. Epidemiolog Dua,")

    overdue = on(1)
    assert {a for a, r in overdue.items() if r.kind == EmailKind.OVERDUE} == {
        "epid2@uji.example",
        "kasi@uji.example",
        "kabid@uji.example",
    }
    assert not any(r.kind == EmailKind.ESCALATION for r in on(2).values())

    escalated = {a: r for a, r in on(3).items() if r.kind == EmailKind.ESCALATION}
    # Epidemiolog Satu and Dua to the Kepala Seksi (who still gets it: reminders are on for
    # them), the Kepala Seksi to the Kepala Bidang; nobody above has an address.
    assert set(escalated) == {"kasi@uji.example", "kabid@uji.example"}
    kasi_text = escalated["kasi@uji.example"].text_body
    assert "- Epidemiolog Dua" in kasi_text and "- Epidemiolog Satu" in kasi_text
    assert "operator@uji.example" not in on(6)

    to_operator = on(7)["operator@uji.example"]
    assert to_operator.key.endswith("reporting operator")
    for name in ("Epidemiolog Satu", "Epidemiolog Dua", "Kasi Surveilans Uji", "Kabid P2P Uji"):
        assert f"- {name}" in to_operator.text_body
    run_jobs()
    on(8)
    keys = db.session.scalars(select(OutgoingEmail.key)).all()
    assert len(mailbox.messages) == len(keys) == 9  # each once: 3 + 3 + 2 + 1
