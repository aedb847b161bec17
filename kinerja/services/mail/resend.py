"""*Kirim ulang*: an email sent, written to the log or failed is put back in line, as it
was recorded (same key, same body), and sent once more by the sending job."""

from __future__ import annotations

from sqlalchemy import select

from kinerja.domain.errors import N_, ConflictError, NotFoundError
from kinerja.extensions import db
from kinerja.models.mail import EmailStatus, OutgoingEmail
from kinerja.security.policies.mail import outgoing_emails
from kinerja.security.policies.scope import Scope
from kinerja.services import outbox
from kinerja.services.boundary import use_case
from kinerja.services.mail.compose import MAIL_QUEUE, SEND_JOB

RESENDABLE = frozenset({EmailStatus.SENT, EmailStatus.LOGGED, EmailStatus.FAILED})


@use_case
def resend_email(email_id: int, scope: Scope) -> OutgoingEmail:
    """Put the email back in line with a fresh count of attempts and schedule its sending.
    One still on its way (waiting, sending, retrying) is refused: it will be sent anyway."""
    if outgoing_emails.manageable(scope, email_id) is None:
        raise NotFoundError()
    email = db.session.scalars(
        select(OutgoingEmail).where(OutgoingEmail.id == email_id).with_for_update()
    ).one()
    if email.status not in RESENDABLE:
        raise ConflictError(N_("This email is still on its way: it cannot be sent again yet."))
    email.status = EmailStatus.PENDING
    email.attempts = 0
    email.error = None
    email.next_attempt_at = email.claimed_at = email.sent_at = None
    email.message_id = None
    outbox.schedule(SEND_JOB, [email.id], queue_name=MAIL_QUEUE)
    return email
