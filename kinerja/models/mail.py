"""Outgoing email: every message the product sends is recorded before it is sent, with
what became of it, so that nothing is sent twice and everything can be sent again."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kinerja.domain.errors import N_
from kinerja.domain.org import LabeledEnum
from kinerja.extensions import BaseModel
from kinerja.models.base import TimestampMixin, UTCDateTime, enum_column


class EmailKind(LabeledEnum):
    """What an email is about; digests and reminders may be declined, feedback not."""

    FEEDBACK = "feedback", N_("Feedback on an evaluation")
    RATING = "rating", N_("Final period rating")
    DIGEST = "digest", N_("Supervisor's weekly digest")
    REMINDER = "reminder", N_("Deadline reminder")
    OVERDUE = "overdue", N_("Overdue notice")
    ESCALATION = "escalation", N_("Escalation of an overdue step")
    UNIT_SUMMARY = "unit_summary", N_("Unit summary after a rating run")

    @property
    def optional(self) -> bool:
        """Whether a person may decline this kind in their profile."""
        return self in _DIGESTS or self in _REMINDERS

    @property
    def digest(self) -> bool:
        return self in _DIGESTS


_DIGESTS = {EmailKind.DIGEST, EmailKind.UNIT_SUMMARY}
_REMINDERS = {EmailKind.REMINDER, EmailKind.OVERDUE, EmailKind.ESCALATION}


class EmailStatus(StrEnum):
    PENDING = "pending"  # recorded, waiting for the sending job
    SENDING = "sending"  # claimed by a sending job (a lease: see ``claimed_at``)
    SENT = "sent"  # accepted by the SMTP server
    LOGGED = "logged"  # no SMTP server configured (make run): written to the log instead
    RETRYING = "retrying"  # a transient failure; the job tries again
    FAILED = "failed"  # refused for good (an unknown address…) or retries exhausted

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    EmailStatus.PENDING: N_("Waiting"),
    EmailStatus.SENDING: N_("Sending"),
    EmailStatus.SENT: N_("Sent"),
    EmailStatus.LOGGED: N_("Written to the log"),
    EmailStatus.RETRYING: N_("Retrying"),
    EmailStatus.FAILED: N_("Failed"),
}


class OutgoingEmail(TimestampMixin, BaseModel):
    """One email to one recipient, rendered in their language when it was recorded.

    ``key`` is unique: the kind, the recipient and the event it is about (e.g.
    ``feedback:user 7:evaluation 31``), so that a retried job never sends the same email
    twice; *Kirim ulang* sends the recorded message again on purpose."""

    __tablename__ = "outgoing_email"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    kind: Mapped[EmailKind] = mapped_column(enum_column(EmailKind), nullable=False, index=True)
    recipient_id: Mapped[int | None] = mapped_column(
        ForeignKey("ab_user.id", ondelete="SET NULL"), index=True
    )
    address: Mapped[str] = mapped_column(String(254), nullable=False, index=True)
    language: Mapped[str] = mapped_column(String(5), nullable=False)
    subject: Mapped[str] = mapped_column(String(300), nullable=False)
    text_body: Mapped[str] = mapped_column(Text, nullable=False)
    html_body: Mapped[str | None] = mapped_column(Text)
    status: Mapped[EmailStatus] = mapped_column(
        enum_column(EmailStatus), nullable=False, default=EmailStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # A retrying email waits until then; a sending one was claimed then (a job killed
    # mid-batch leaves its claim behind, and the claim expires).
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    message_id: Mapped[str | None] = mapped_column(String(300))
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("job_run.id", ondelete="SET NULL"), index=True
    )

    def __str__(self) -> str:
        return f"{self.subject} → {self.address}"
