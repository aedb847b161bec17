"""Announcing an event: one delivery per active subscription to it, written in the current
use case's transaction, and one delivery job recorded in the outbox beside them.

A use case that rolls back announces nothing (neither the deliveries nor their job exist);
one that commits has its deliveries handed to the queue after the commit, or by the
outbox's sweep if Redis was down then.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.webhooks import WebhookDelivery, WebhookEvent, WebhookSubscription
from kinerja.services import outbox

DELIVERY_JOB = "deliver_webhooks"
WEBHOOK_QUEUE = "default"
BATCH = 200


def emit(event: WebhookEvent, data: dict[str, Any]) -> list[int]:
    """Record ``event`` for every active subscription to it; the deliveries' ids. ``data``
    stays JSON-simple (ids, codes, enum values, ISO dates)."""
    return emit_many(event, [data])


def subscribed(event: WebhookEvent) -> bool:
    """Whether any active subscription wants ``event`` (spares building what nobody reads)."""
    return any(
        event.value in (events or [])
        for events in db.session.scalars(
            select(WebhookSubscription.events).where(WebhookSubscription.active.is_(True))
        )
    )


def emit_many(event: WebhookEvent, items: list[dict[str, Any]]) -> list[int]:
    """Record one ``event`` per item of ``items`` (each its own event id) for every active
    subscription to it, delivered by one job per :data:`BATCH` deliveries."""
    subscribers = [
        subscription
        for subscription in db.session.scalars(
            select(WebhookSubscription)
            .where(WebhookSubscription.active.is_(True))
            .order_by(WebhookSubscription.id)
        )
        if event.value in (subscription.events or [])
    ]
    if not subscribers or not items:
        return []
    occurred_at = utcnow()
    deliveries = []
    for data in items:
        event_id = str(uuid.uuid4())
        deliveries += [
            WebhookDelivery(
                subscription_id=subscription.id,
                event_id=event_id,
                event_type=event.value,
                occurred_at=occurred_at,
                data=data,
            )
            for subscription in subscribers
        ]
    db.session.add_all(deliveries)
    db.session.flush()
    ids = [delivery.id for delivery in deliveries]
    for start in range(0, len(ids), BATCH):
        outbox.schedule(DELIVERY_JOB, ids[start : start + BATCH], queue_name=WEBHOOK_QUEUE)
    return ids
