"""Feedback by email: the approved evaluation and the final period rating reach the
employee in their language (declining emails does not stop them), with the levels, the
supervisor's feedback, the strongest and weakest indicators and a link; the ratings run
sends the Operators and Admins a summary, and a second run sends nothing again."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from sqlalchemy import select

from kinerja.domain.errors import FieldErrors
from kinerja.domain.planning import Aspect
from kinerja.domain.ratings import Level
from kinerja.extensions import db
from kinerja.models.mail import EmailKind, OutgoingEmail
from kinerja.security import roles
from kinerja.security.policies import SYSTEM, scope_for_user
from kinerja.services.ratings.compute import compute_period_ratings
from kinerja.services.reports import evaluations
from tests.annual import all_values
from tests.conftest import MailSink
from tests.factories import Org, Planning, Reporting, make_user, submitted_report
from tests.ratings_factories import Spec, annual, evaluate, open_period, plan, regular, report


def _by_address(mailbox: MailSink) -> dict[str, EmailMessage]:
    return {m["To"]: m for m in mailbox.messages}


def _text(message: EmailMessage, kind: str = "plain") -> str:
    return message.get_body((kind,)).get_content()  # type: ignore[union-attr]


def _approve(report: object, planning: Planning, feedback: str) -> None:
    ratings = evaluations.Ratings(
        results=Level.ABOVE,
        behaviour=Level.AS_EXPECTED,
        values=all_values(),
        feedback=feedback,
    )
    evaluations.approve_report(report, ratings, scope_for_user(planning.kasi))  # type: ignore[arg-type]


def test_an_approved_evaluation_mails_its_feedback_even_to_who_declined_emails(
    org: Org, planning: Planning, reporting: Reporting, run_jobs, mailbox: MailSink
) -> None:
    org.users.employee.email_digests = False
    org.users.employee.email_reminders = False
    db.session.commit()
    report = submitted_report(reporting, values=(6, 1))  # 200 % and 33 % of 3 due
    _approve(report, planning, "Pertahankan laporan mingguan.")
    run_jobs()
    message = _by_address(mailbox)["epid1@uji.example"]
    text = _text(message)
    assert text.startswith("Yth. Epidemiolog Satu,")  # Indonesian by default
    assert "Hasil Kerja: Di Atas Ekspektasi" in text
    assert "Pertahankan laporan mingguan." in text
    strongest = text.index("Indikator Laporan surveilans mingguan (200.0%)")
    assert strongest < text.index("Indikator Kader terlatih (33.3%)")
    assert f"/report/{report.id}/" in text
    assert "Pertahankan laporan mingguan." in _text(message, "html")
    row = db.session.scalars(select(OutgoingEmail)).one()
    assert row.kind == EmailKind.FEEDBACK and row.key.endswith(f"evaluation {report.evaluation.id}")


def test_an_evaluation_returned_or_refused_mails_nothing(
    org: Org, planning: Planning, reporting: Reporting, run_jobs, mailbox: MailSink
) -> None:
    report = submitted_report(reporting)
    ratings = evaluations.Ratings(results=Level.ABOVE, values=all_values())  # no feedback
    with pytest.raises(FieldErrors):  # feedback is required to approve
        evaluations.approve_report(report, ratings, scope_for_user(planning.kasi))
    evaluations.return_report(report, "Lengkapi bukti.", scope_for_user(planning.kasi))
    run_jobs()
    assert mailbox.messages == []
    assert db.session.scalar(select(OutgoingEmail.id)) is None


QUANTITY = Spec(Aspect.QUANTITY, 12)
QUALITY = Spec(Aspect.QUALITY, 90, main=False)


def _final_year(employee: object, period: object) -> None:
    work_plan = plan(employee, period, [QUANTITY, QUALITY])  # type: ignore[arg-type]
    for sub_period, values in zip(
        regular(period),
        [[3, 80], [3, 85], [3, 90], [5, 95]],
        strict=True,  # type: ignore[arg-type]
    ):
        report(work_plan, sub_period, values)
    row = report(work_plan, annual(period), [None, None])  # type: ignore[arg-type]
    evaluate(row, Level.AS_EXPECTED, Level.ABOVE)


def test_final_ratings_mail_each_employee_in_their_language_and_a_summary_once(
    org: Org, run_jobs, mailbox: MailSink
) -> None:
    e = org.employees
    english = make_user("epid2", roles.EMPLOYEE, employee=e.epid2)
    english.locale = "en"
    org.users.operator.locale = "en"
    db.session.commit()
    period = open_period()
    _final_year(e.epid1, period)
    _final_year(e.epid2, period)
    plan(e.kasi_surv, period, [QUANTITY])  # rated, provisional: no email

    compute_period_ratings(period.id, None, SYSTEM)
    run_jobs()
    mail = _by_address(mailbox)
    assert set(mail) == {
        "epid1@uji.example",
        "epid2@uji.example",
        "admin@uji.example",
        "operator@uji.example",
    }
    indonesian, english_text = _text(mail["epid1@uji.example"]), _text(mail["epid2@uji.example"])
    assert indonesian.startswith("Yth. Epidemiolog Satu,")
    assert "Perilaku Kerja: Di Atas Ekspektasi" in indonesian
    assert english_text.startswith("Dear Epidemiolog Dua,")
    assert "Behaviour: Above expectations" in english_text
    assert "Strongest indicator: Indikator 1 (116.7%)" in english_text  # 14 of 12
    assert "Weakest indicator: Indikator 2" in english_text
    assert "Baik" in indonesian and "/ratings/show/" in indonesian

    operator = _text(mail["operator@uji.example"])
    assert operator.startswith("Dear Operator Uji,")
    assert "Good: 2" in operator and "Total: 3" in operator
    assert "Final: 2 of 3." in operator
    assert "Jumlah: 3" in _text(mail["admin@uji.example"])

    before = len(mailbox.messages)
    compute_period_ratings(period.id, None, SYSTEM)  # nothing changed: nothing new
    run_jobs()
    assert len(mailbox.messages) == before
    kinds = db.session.scalars(select(OutgoingEmail.kind)).all()
    assert sorted(kinds) == sorted([EmailKind.RATING] * 2 + [EmailKind.UNIT_SUMMARY] * 2)
