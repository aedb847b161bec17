"""Access to webhooks: subscriptions and their deliveries are the Admin's alone (a
subscription sends data of every unit to a URL outside)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true

from kinerja.models.webhooks import WebhookDelivery, WebhookSubscription
from kinerja.security.policies.base import Policy
from kinerja.security.policies.scope import Scope


class WebhookSubscriptionPolicy(Policy[WebhookSubscription]):
    model = WebhookSubscription

    def read(self, scope: Scope) -> ColumnElement[bool]:
        return true() if scope.manages_all else false()

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        return self.read(scope)


class WebhookDeliveryPolicy(Policy[WebhookDelivery]):
    model = WebhookDelivery

    def read(self, scope: Scope) -> ColumnElement[bool]:
        return true() if scope.manages_all else false()

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        """Replaying a delivery: whoever may read it."""
        return self.read(scope)


webhook_subscriptions = WebhookSubscriptionPolicy()
webhook_deliveries = WebhookDeliveryPolicy()
