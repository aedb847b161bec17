"""The email pipeline end to end on the real services: recorded once in the recipient's
language, sent over SMTP by the sending job on a real RQ worker, refused addresses failed
for good, a server that is down retried later."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from kinerja.domain.errors import N_
from kinerja.extensions import db
from kinerja.models.mail import EmailKind, EmailStatus, OutgoingEmail
from kinerja.services.boundary import transaction
from kinerja.services.mail import compose, send
from tests.conftest import MailSink, RefusingSink
from tests.factories import Org


def _drafts(org: Org, event: str) -> list[compose.Draft]:
    e = org.employees
    e.kasi_surv.email = "kasi@uji.example"
    e.kabid_p2p.email = "kabid@uji.example"
    e.kabid_p2p.user.locale = "en"
    db.session.flush()
    found = compose.employee_recipients([e.kasi_surv.id, e.kabid_p2p.id])
    return [
        compose.Draft(
            EmailKind.FEEDBACK,
            recipient,
            event,
            "probe",
            N_("Sent %(sent)d"),
            {"sent": 3},
            {"detail": "rincian"},
        )
        for recipient in found.values()
    ]


def test_recorded_once_in_each_language_and_sent_by_the_job(
    org: Org, run_jobs, mailbox: MailSink, probe_templates: None
) -> None:
    with transaction():
        ids = compose.record(_drafts(org, "evaluation 1"))
    with transaction():
        again = compose.record(_drafts(org, "evaluation 1"))
    assert len(ids) == 2 and again == []
    run_jobs()
    by_address = {m["To"]: m for m in mailbox.messages}
    assert set(by_address) == {"kasi@uji.example", "kabid@uji.example"}
    kasi = by_address["kasi@uji.example"].get_body(("plain",)).get_content()
    assert kasi.startswith(f"Yth. {org.employees.kasi_surv.name}, rincian")
    assert by_address["kabid@uji.example"]["Subject"] == "Sent 3"
    assert "Dear" in by_address["kabid@uji.example"].get_body(("html",)).get_content()
    # the sink takes 8BITMIME: the bodies travel as they are, not base64
    encodings = {part["Content-Transfer-Encoding"] for part in mailbox.messages[0].walk()}
    assert encodings - {None} <= {"7bit", "8bit"}, encodings
    rows = db.session.scalars(select(OutgoingEmail)).all()
    assert {r.status for r in rows} == {EmailStatus.SENT}
    assert all(r.message_id and r.sent_at for r in rows)


def test_refused_address_fails_for_good_and_a_dead_server_is_retried(
    app: Flask,
    org: Org,
    sink: RefusingSink,
    probe_templates: None,
) -> None:
    sink.refused.add("kabid@uji.example")
    with transaction():
        compose.record(_drafts(org, "evaluation 2"))
    delivery = send.send_due()
    assert (delivery.sent, delivery.failed) == (1, 1)
    failed = db.session.scalars(
        select(OutgoingEmail).where(OutgoingEmail.status == EmailStatus.FAILED)
    ).one()
    assert failed.address == "kabid@uji.example" and failed.error.startswith("550")

    with transaction():
        compose.record(_drafts(org, "evaluation 3"))
    state = app.extensions["mail"]
    port, state.port = state.port, 9  # nothing listens there
    try:
        delivery = send.send_due()
    finally:
        state.port = port
    assert delivery.retrying == 2 and delivery.sent == 0
    assert send.send_due().handled == 0  # not due yet
    db.session.execute(
        OutgoingEmail.__table__.update()
        .where(OutgoingEmail.status == EmailStatus.RETRYING)
        .values(next_attempt_at=OutgoingEmail.created_at)
    )
    db.session.commit()
    assert send.send_due().sent == 1  # the refused one fails again, for good


def test_names_are_escaped_in_html_and_long_or_non_ascii_content_arrives_whole(
    org: Org, run_jobs, mailbox: MailSink, probe_templates: None
) -> None:
    recipient = compose.Recipient("zoe@uji.example", "Zoë <b>Ülkü</b>", "en", employee_id=1)
    detail = "kalimat panjang " * 400  # one line of 6,400 characters
    draft = compose.Draft(
        EmailKind.FEEDBACK,
        recipient,
        "evaluation 9",
        "probe",
        N_("Dear %(name)s,"),
        {"name": recipient.name},
        {"detail": detail},
    )
    with transaction():
        compose.record([draft])
    run_jobs()
    (message,) = mailbox.messages
    assert message["Subject"] == "Dear Zoë <b>Ülkü</b>,"
    html = message.get_body(("html",)).get_content()
    assert "Dear Zoë &lt;b&gt;Ülkü&lt;/b&gt;," in html and "<b>" not in html
    text = message.get_body(("plain",)).get_content()
    assert text.startswith("Dear Zoë <b>Ülkü</b>,") and detail.strip() in text
    # a line longer than SMTP allows (998 bytes) goes base64 even to an 8BITMIME server
    assert message.get_body(("plain",))["Content-Transfer-Encoding"] == "base64"
    assert message["Message-ID"] == db.session.scalars(select(OutgoingEmail.message_id)).one()


def test_without_8bitmime_every_body_is_base64_and_decodes_to_the_same_text() -> None:
    from email import message_from_bytes
    from email.policy import default

    from kinerja.services.mail import mime

    text, html = "Yth. Zoë,\nCapaian: 95%\n", "<p>Yth. Zoë,</p>\n<p>95%</p>"
    for eight_bit, expected in ((False, {"base64"}), (True, {"8bit"})):
        _, data = mime.build("k@x.id", "z@x.id", "Umpan balik", text, html, eight_bit=eight_bit)
        message = message_from_bytes(data, policy=default)
        parts = [p for p in message.walk() if not p.is_multipart()]
        assert {p["Content-Transfer-Encoding"] for p in parts} == expected
        assert all(max(map(len, data.split(b"\r\n"))) <= 998 for _ in parts)
        assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == text
        assert "<p>95%</p>" in message.get_body(("html",)).get_content()
        _, data = mime.build("k@x.id", "z@x.id", "Sandi", text, None, eight_bit=eight_bit)
        alone = message_from_bytes(data, policy=default)
        assert alone.get_content().replace("\r\n", "\n") == text
