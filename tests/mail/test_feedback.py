"""Feedback by email: the approved evaluation and the final period rating reach the
employee in their language (declining emails does not stop them), with the levels, the
supervisor's feedback, the strongest and weakest indicators and a link; the ratings run
sends the Operators and Admins a summary, and a second run sends nothing again."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from sqlalchemy import select

from kinerja.domain.competency import TrainingMode
from kinerja.domain.errors import FieldErrors
from kinerja.domain.planning import Aspect
from kinerja.domain.ratings import Level
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.competency import Recommendation, Training
from kinerja.models.jobs import JobRun
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
    strongest = text.index("Indikator Laporan surveilans mingguan (200,0%)")
    assert strongest < text.index("Indikator Kader terlatih (33,3%)")  # Indonesian decimals
    assert f"/report/{report.id}/" in text
    assert "Pertahankan laporan mingguan." in _text(message, "html")
    assert " JP)" not in text  # no recommendation computed: no trainings named
    row = db.session.scalars(select(OutgoingEmail)).one()
    assert row.kind == EmailKind.FEEDBACK and row.key.endswith(f"evaluation {report.evaluation.id}")


def test_the_feedback_names_the_top_recommended_trainings_of_the_year(
    org: Org, planning: Planning, reporting: Reporting, run_jobs, mailbox: MailSink
) -> None:
    report = submitted_report(reporting)
    year = report.sub_period.period.year
    titles = ["Komunikasi Publik", "Kerja Sama Tim", "Etika ASN", "Pelayanan Prima"]
    trainings = [
        Training(title=t, mode=TrainingMode.CLASSICAL, jp=8 + n) for n, t in enumerate(titles)
    ]
    db.session.add_all(trainings)
    db.session.flush()
    for rank, training in enumerate(trainings, start=1):
        db.session.add(
            Recommendation(
                employee_id=org.employees.epid1.id,
                training_id=training.id,
                year=year,
                rank=rank,
                gap_closed=5 - rank,
                gap_total=6,
                computed_at=utcnow(),
            )
        )
    db.session.add(  # someone else's: not in this email
        Recommendation(
            employee_id=org.employees.epid2.id,
            training_id=trainings[3].id,
            year=year,
            rank=1,
            gap_closed=1,
            gap_total=1,
            computed_at=utcnow(),
        )
    )
    db.session.commit()
    _approve(report, planning, "Tingkatkan komunikasi.")
    run_jobs()
    message = _by_address(mailbox)["epid1@uji.example"]
    text, html = _text(message), _text(message, "html")
    assert text.index("Komunikasi Publik (8 JP)") < text.index("Kerja Sama Tim (9 JP)")
    assert "Etika ASN (10 JP)" in text and "Etika ASN (10 JP)" in html
    assert "Pelayanan Prima" not in text  # the top three only


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
    training = Training(title="Manajemen Kinerja", mode=TrainingMode.E_LEARNING, jp=20)
    db.session.add(training)
    db.session.flush()
    db.session.add(
        Recommendation(
            employee_id=e.epid2.id,
            training_id=training.id,
            year=period.year,
            rank=1,
            gap_closed=2,
            gap_total=3,
            computed_at=utcnow(),
        )
    )
    db.session.commit()

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
    assert "Recommended trainings:" in english_text
    assert "Manajemen Kinerja (20 JP), closes 2 levels of your competency gaps" in english_text
    assert "Manajemen Kinerja" not in indonesian

    operator = _text(mail["operator@uji.example"])
    assert operator.startswith("Dear Operator Uji,")
    assert "Good: 2" in operator and "Total: 3" in operator
    assert "Final: 2 of 3." in operator
    assert "Jumlah: 3" in _text(mail["admin@uji.example"])

    asked = db.session.scalars(
        select(JobRun.args).where(JobRun.name == "compute_recommendations")
    ).all()
    assert [list(args) for args in asked] == [[period.year]]  # ratings became final
    before = len(mailbox.messages)
    compute_period_ratings(period.id, None, SYSTEM)  # nothing changed: nothing new
    run_jobs()
    assert len(mailbox.messages) == before
    kinds = db.session.scalars(select(OutgoingEmail.kind)).all()
    assert sorted(kinds) == sorted([EmailKind.RATING] * 2 + [EmailKind.UNIT_SUMMARY] * 2)
