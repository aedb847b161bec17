"""The Admin's use cases on webhooks: subscribe a URL to events (its secret is generated
here and shown once), change or remove a subscription, give it a new secret, and replay a
delivery (the same event, sent once more)."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from sqlalchemy import select

from kinerja.domain.errors import N_, ConflictError, DomainError, FieldErrors, NotFoundError
from kinerja.extensions import db
from kinerja.models.webhooks import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from kinerja.security.policies.scope import Scope
from kinerja.security.policies.webhooks import webhook_deliveries, webhook_subscriptions
from kinerja.services import outbox
from kinerja.services.boundary import use_case
from kinerja.services.webhooks.events import DELIVERY_JOB, WEBHOOK_QUEUE

SECRET_PREFIX = "whsec_"  # noqa: S105 - the label in front of a secret
EVENT_NAMES = frozenset(event.value for event in WebhookEvent)


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_hex(24)


def validate(subscription: WebhookSubscription) -> None:
    """A URL over http(s) with a host, and at least one known event."""
    problems: dict[str, list[DomainError]] = {}
    parts = urlsplit(subscription.url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        problems["url"] = [DomainError(N_("Enter an http:// or https:// address."))]
    events = subscription.events
    if not isinstance(events, list) or not events:
        problems["events"] = [DomainError(N_("Choose at least one event."))]
    elif unknown := [name for name in events if name not in EVENT_NAMES]:
        problems["events"] = [
            DomainError(N_("Unknown event: %(names)s."), names=", ".join(map(str, unknown)))
        ]
    if problems:
        raise FieldErrors(problems)


@use_case
def save_subscription(subscription: WebhookSubscription, scope: Scope) -> str | None:
    """Add or change a subscription; a new one gets its secret, returned this once."""
    if subscription.id is not None:
        webhook_subscriptions.check_manage(scope, subscription)
    elif not scope.manages_all:
        raise NotFoundError()
    validate(subscription)
    created = None
    if not subscription.secret:
        created = subscription.secret = new_secret()
        subscription.created_by_id = scope.user_id
    db.session.add(subscription)
    db.session.flush()
    return created


@use_case
def rotate_secret(subscription_id: int, scope: Scope) -> str:
    """A new secret for the subscription, returned this once; the old one stops signing
    at once (a receiver that still checks it refuses the next deliveries)."""
    subscription = webhook_subscriptions.manageable(scope, subscription_id)
    if subscription is None:
        raise NotFoundError()
    subscription.secret = new_secret()
    return subscription.secret


@use_case
def delete_subscription(subscription: WebhookSubscription, scope: Scope) -> None:
    """Remove a subscription with its deliveries' record."""
    webhook_subscriptions.check_manage(scope, subscription)
    db.session.delete(subscription)


@use_case
def replay_delivery(delivery_id: int, scope: Scope) -> WebhookDelivery:
    """Send a delivery again as it was recorded (same event id and body, signed with the
    subscription's current secret). One still waiting for its job is refused."""
    if webhook_deliveries.manageable(scope, delivery_id) is None:
        raise NotFoundError()
    delivery = db.session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.id == delivery_id).with_for_update()
    ).one()
    if delivery.status in (DeliveryStatus.PENDING, DeliveryStatus.RETRYING):
        raise ConflictError(N_("This delivery is still on its way: it cannot be replayed yet."))
    delivery.status = DeliveryStatus.PENDING
    delivery.error = None
    outbox.schedule(DELIVERY_JOB, [delivery.id], queue_name=WEBHOOK_QUEUE)
    return delivery
