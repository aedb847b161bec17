"""Webhooks: the Admin's subscriptions of URLs to events, and every delivery made to them.

A delivery is written in the transaction of the change it announces (like the outbox's job
runs): a change rolled back announces nothing. Its body is fixed when it is written, so a
retry or a replay sends the very same event (same ``event_id``), signed anew.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja.domain.errors import N_
from kinerja.domain.org import LabeledEnum
from kinerja.extensions import BaseModel
from kinerja.models.base import TimestampMixin, UTCDateTime, enum_column


class WebhookEvent(LabeledEnum):
    """The events one may subscribe to, by the name the body's ``type`` carries."""

    REPORT_SUBMITTED = "report.submitted", N_("A report was submitted")
    EVALUATION_APPROVED = "evaluation.approved", N_("An evaluation was approved")
    PLAN_APPROVED = "plan.approved", N_("A work plan was approved")
    RATING_FINALIZED = "rating.finalized", N_("A period rating became final")
    EMPLOYEE_CHANGED = "employee.changed", N_("An employee was added, changed or removed")


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # written, waiting for its job
    DELIVERED = "delivered"  # the receiver answered 2xx
    RETRYING = "retrying"  # an attempt failed; the job tries again after a pause
    FAILED = "failed"  # every attempt failed (a replay sends it again)

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    DeliveryStatus.PENDING: N_("Waiting"),
    DeliveryStatus.DELIVERED: N_("Delivered"),
    DeliveryStatus.RETRYING: N_("Retrying"),
    DeliveryStatus.FAILED: N_("Failed"),
}


class WebhookSubscription(TimestampMixin, BaseModel):
    """A receiver's URL and the events it wants; ``secret`` signs every delivery to it
    (shown once when the subscription is made, masked everywhere after)."""

    __tablename__ = "webhook_subscription"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(1000), nullable=False)
    description: Mapped[str | None] = mapped_column(String(200))
    events: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    secret: Mapped[str] = mapped_column(String(100), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("ab_user.id", ondelete="SET NULL"), index=True
    )

    @property
    def masked_secret(self) -> str:
        """The secret as lists show it: enough to tell two apart, not to sign."""
        return f"…{self.secret[-4:]}" if self.secret else ""

    def __str__(self) -> str:
        return self.description or self.url


class WebhookDelivery(TimestampMixin, BaseModel):
    """One event for one subscription, with what became of it."""

    __tablename__ = "webhook_delivery"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_subscription.id", ondelete="CASCADE"), nullable=False, index=True
    )
    event_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    event_type: Mapped[str] = mapped_column(String(60), nullable=False, index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_column(DeliveryStatus), nullable=False, default=DeliveryStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    response_code: Mapped[int | None] = mapped_column(SmallInteger)
    error: Mapped[str | None] = mapped_column(Text)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    subscription: Mapped[WebhookSubscription] = relationship()

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"
