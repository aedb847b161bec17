"""Background job runs: the outbox of follow-up work, the record of each run, and the files
that wait for a job.

What a run says to people (its kind, its state, its result) is kept as message templates
with parameters, never as English sentences: the screens translate them for each reader.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja.domain.errors import N_
from kinerja.domain.org import LabeledEnum
from kinerja.extensions import BaseModel
from kinerja.models.base import TimestampMixin, UTCDateTime, enum_column
from kinerja.models.security import KinerjaUser

RETRY_INTERVALS: tuple[int, ...] = (10, 60, 300)
"""Seconds RQ waits before each retry of a failed run: three retries, then the run has
failed (and waits for *Retry* in the back office)."""


class Message(NamedTuple):
    """A sentence to show, as its English template (the msgid) and its parameters."""

    template: str
    params: dict[str, Any]


class JobName(LabeledEnum):
    """The jobs there are, by the name the outbox records, with what people call them."""

    IMPORT_ORGANISATION_FILE = "import_organisation_file", N_("Organisation import")
    EMAIL_LOGIN_CREDENTIALS = "email_login_credentials", N_("Login credentials by email")
    COMPUTE_PERIOD_RATINGS = "compute_period_ratings", N_("Period ratings")
    COMPUTE_AGENCY_RATINGS = "compute_agency_ratings", N_("Period ratings of one agency")
    SEND_EMAILS = "send_emails", N_("Sending email")
    COMPUTE_SURVEY_INDICES = "compute_survey_indices", N_("Survey indices (IKM)")
    DELIVER_WEBHOOKS = "deliver_webhooks", N_("Webhook deliveries")
    COMPUTE_RECOMMENDATIONS = "compute_recommendations", N_("Training recommendations")
    PRINT_UNIT_PLANS = "print_unit_plans", N_("Printing the SKPs of a unit")


class JobStatus(StrEnum):
    PENDING = "pending"  # committed, not yet handed to the queue (the outbox)
    QUEUED = "queued"
    RUNNING = "running"
    RETRYING = "retrying"  # an attempt failed; RQ will try again
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # every attempt failed, or the job was refused

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def finished(self) -> bool:
        return self in (JobStatus.SUCCEEDED, JobStatus.FAILED)


_STATUS_LABELS = {
    JobStatus.PENDING: N_("Waiting"),
    JobStatus.QUEUED: N_("Queued"),
    JobStatus.RUNNING: N_("Running"),
    JobStatus.RETRYING: N_("Retrying"),
    JobStatus.SUCCEEDED: N_("Succeeded"),
    JobStatus.FAILED: N_("Failed"),
}
RETRYING_STATE = N_("Retrying (attempt %(attempt)d of %(retries)d)")


def job_label(name: str) -> str:
    """The English label (msgid) of a job by its recorded name; an unknown name as is."""
    try:
        return JobName(name).label
    except ValueError:
        return name


class JobRun(TimestampMixin, BaseModel):
    """One run of a background job, written in the transaction that asked for it."""

    __tablename__ = "job_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    args: Mapped[list[Any]] = mapped_column(JSON, nullable=False, default=list)
    queue: Mapped[str] = mapped_column(String(30), nullable=False, default="default")
    status: Mapped[JobStatus] = mapped_column(
        enum_column(JobStatus), nullable=False, default=JobStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    total: Mapped[int | None] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # The result or refusal as a message template (msgid) and its parameters.
    message: Mapped[str | None] = mapped_column(Text)
    message_params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)  # technical, for whoever fixes it
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("ab_user.id", ondelete="SET NULL"), index=True
    )

    # A part of a larger run (the ratings of one agency in a run fanned out per agency):
    # the parent shows the overall progress and is finished by its last part.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("job_run.id", ondelete="CASCADE"), index=True
    )

    requested_by: Mapped[KinerjaUser | None] = relationship(foreign_keys=[requested_by_id])

    @property
    def state(self) -> Message:
        """The status as people read it: a retrying run says which attempt comes next."""
        if self.status == JobStatus.RETRYING:
            return Message(
                RETRYING_STATE, {"attempt": self.attempts, "retries": len(RETRY_INTERVALS)}
            )
        return Message(JobStatus(self.status).label, {})

    @property
    def outcome(self) -> Message | None:
        """What the run reported (a summary of its result, or why it was refused)."""
        if not self.message:
            return None
        return Message(self.message, dict(self.message_params or {}))

    @property
    def progress(self) -> str:
        if self.total:
            return f"{self.done}/{self.total} ({self.done * 100 // self.total}%)"
        return str(self.done) if self.done else ""


class Upload(TimestampMixin, BaseModel):
    """A file handed to a background job (an import), kept in the upload file store under a
    generated ``key`` until the job has read it. The row stays as the record of what was
    uploaded (name, size, hash, who); ``key`` is cleared once the file is removed."""

    __tablename__ = "upload"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str | None] = mapped_column(String(120), unique=True)
    original_name: Mapped[str] = mapped_column(String(200), nullable=False)
    content_type: Mapped[str] = mapped_column(String(120), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("ab_user.id", ondelete="SET NULL"), index=True
    )
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __str__(self) -> str:
        return self.original_name
