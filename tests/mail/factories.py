"""Recorded emails for the back-office and access tests: one to each login of the test
organisation that has an employee record, and one to the Admin."""

from __future__ import annotations

from types import SimpleNamespace

from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.mail import EmailKind, EmailStatus, OutgoingEmail
from tests.factories import Org

# name: (login, status)
EMAILS = {
    "kabid_p2p": ("supervisor", EmailStatus.SENT),
    "epid1": ("employee", EmailStatus.FAILED),
    "penguji": ("other", EmailStatus.FAILED),
    "admin": ("admin", EmailStatus.PENDING),
}


def make_email(user: object, status: EmailStatus, event: str = "test 1") -> OutgoingEmail:
    user_id = getattr(user, "id")  # noqa: B009
    sent = status == EmailStatus.SENT
    email = OutgoingEmail(
        key=f"feedback:u{user_id}:{event}",
        kind=EmailKind.FEEDBACK,
        recipient_id=user_id,
        address=f"{getattr(user, 'username')}@uji.example",  # noqa: B009
        language="id",
        subject=f"Umpan balik {event}",
        text_body=f"Yth. pegawai, {event}.",
        html_body=f"<p>{event}</p>",
        status=status,
        attempts=1,
        error="550 mailbox unavailable" if status == EmailStatus.FAILED else None,
        sent_at=utcnow() if sent else None,
        message_id="<m1@uji.example>" if sent else None,
    )
    db.session.add(email)
    return email


def build_emails(org: Org) -> SimpleNamespace:
    rows = SimpleNamespace(
        **{
            name: make_email(getattr(org.users, login), status)
            for name, (login, status) in EMAILS.items()
        }
    )
    db.session.commit()
    return rows
