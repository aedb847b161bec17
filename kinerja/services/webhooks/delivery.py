"""Delivering webhook events: a signed JSON POST per delivery, its outcome recorded.

The body is ``{"id": <event id>, "type": …, "occurred_at": …, "data": {…}}``, compact JSON
with sorted keys; ``X-Kinerja-Signature: sha256=<hex>`` is the HMAC-SHA256 of exactly those
bytes with the subscription's secret, ``X-Kinerja-Timestamp`` the Unix time of the attempt
(``X-Kinerja-Event`` and ``X-Kinerja-Delivery`` say what and which). Any 2xx answer
delivers; anything else (another status, a redirect, a timeout, a refused connection) is a
failed attempt, retried by the delivery job with RQ's backoff until its attempts are used
up, then failed for good — until the Admin replays it. Delivery is at least once: a
receiver keeps the event ids it has handled.

Each outcome is recorded by a use case of its own as soon as it is known, so a job that
dies half-way repeats only the delivery it was making.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select

from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.webhooks import DeliveryStatus, WebhookDelivery, WebhookSubscription
from kinerja.services.boundary import use_case

SIGNATURE_HEADER = "X-Kinerja-Signature"
TIMESTAMP_HEADER = "X-Kinerja-Timestamp"
EVENT_HEADER = "X-Kinerja-Event"
DELIVERY_HEADER = "X-Kinerja-Delivery"
ERROR_LENGTH = 500
USER_AGENT = "Kinerja-Webhooks/1"
UNFINISHED = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)


def body_of(event_id: str, event_type: str, occurred_at: str, data: dict[str, Any]) -> bytes:
    payload = {"id": event_id, "type": event_type, "occurred_at": occurred_at, "data": data}
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def signature(secret: str, body: bytes) -> str:
    """The ``X-Kinerja-Signature`` value of ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Attempt:
    """What one delivery needs to be sent (read before sending, no ORM object kept)."""

    id: int
    url: str
    secret: str
    active: bool
    event_type: str
    body: bytes


@dataclass
class DeliveryReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def deliver(ids: list[int], *, last_attempt: bool) -> DeliveryReport:
    """Send the deliveries of ``ids`` still waiting (a retried job skips those delivered);
    a failure is ``retrying`` unless this is the ``last_attempt``."""
    report = DeliveryReport()
    for attempt in _waiting(ids):
        code: int | None
        error: str | None
        if not attempt.active:
            code, error = None, "The subscription is disabled."
        else:
            code, error = _post(attempt)
        status = record(attempt.id, code, error, last_attempt=last_attempt)
        if status == DeliveryStatus.DELIVERED:
            report.delivered += 1
        elif status == DeliveryStatus.RETRYING:
            report.retrying += 1
        else:
            report.failed += 1
    return report


def _waiting(ids: list[int]) -> list[Attempt]:
    rows = db.session.execute(
        select(WebhookDelivery, WebhookSubscription)
        .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
        .where(WebhookDelivery.id.in_(ids), WebhookDelivery.status.in_(UNFINISHED))
        .order_by(WebhookDelivery.id)
    ).all()
    attempts = [
        Attempt(
            delivery.id,
            subscription.url,
            subscription.secret,
            subscription.active,
            delivery.event_type,
            body_of(
                delivery.event_id,
                delivery.event_type,
                delivery.occurred_at.isoformat(),
                dict(delivery.data or {}),
            ),
        )
        for delivery, subscription in rows
    ]
    db.session.rollback()  # nothing held open while the receivers answer
    return attempts


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer the receiver must fix, not one to follow with the body."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _post(attempt: Attempt) -> tuple[int | None, str | None]:
    """POST the body; the answer's status, and what went wrong if it was no 2xx."""
    request = urllib.request.Request(  # noqa: S310 - an http(s) URL, checked when saved
        attempt.url,
        data=attempt.body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            SIGNATURE_HEADER: signature(attempt.secret, attempt.body),
            TIMESTAMP_HEADER: str(int(time.time())),
            EVENT_HEADER: attempt.event_type,
            DELIVERY_HEADER: str(attempt.id),
        },
    )
    timeout = float(current_app.config.get("KINERJA_WEBHOOK_TIMEOUT", 10))
    try:
        with _OPENER.open(request, timeout=timeout) as answer:
            return int(answer.status), None
    except urllib.error.HTTPError as refused:
        text = refused.read(ERROR_LENGTH).decode(errors="replace")
        return int(refused.code), f"HTTP {refused.code}: {text}".strip()[:ERROR_LENGTH]
    except (OSError, ValueError) as exc:  # refused, unreachable, timed out, bad URL
        return None, f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH]


@use_case
def record(
    delivery_id: int, code: int | None, error: str | None, *, last_attempt: bool
) -> DeliveryStatus:
    """Record one attempt's outcome; the delivery's status after it."""
    delivery = db.session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.id == delivery_id).with_for_update()
    ).one()
    delivery.attempts += 1
    delivery.last_attempt_at = utcnow()
    delivery.response_code = code
    if code is not None and 200 <= code < 300:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = delivery.last_attempt_at
        delivery.error = None
    else:
        delivery.status = DeliveryStatus.FAILED if last_attempt else DeliveryStatus.RETRYING
        delivery.error = error or f"HTTP {code}"
    return DeliveryStatus(delivery.status)
