"""*Webhook* (Admin): subscriptions of URLs to events and the record of every delivery, with
*Kirim ulang* (replay) — the screens and their REST twins ``webhook`` and
``webhook_delivery``. A subscription's secret is shown once, when it is made or renewed;
lists show only its last characters, the API never."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, g, redirect, url_for
from flask_appbuilder.actions import action
from flask_appbuilder.api import expose, protect, safe
from flask_appbuilder.fieldwidgets import Select2ManyWidget
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.validators import InputRequired

from kinerja.domain.errors import DomainError
from kinerja.models.webhooks import DeliveryStatus, WebhookDelivery, WebhookEvent
from kinerja.models.webhooks import WebhookSubscription as Subscription
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.security.policies.scope import Scope
from kinerja.services.webhooks.subscriptions import (
    delete_subscription,
    replay_delivery,
    rotate_secret,
    save_subscription,
)
from kinerja.views.jobs import or_blank
from kinerja.views.refusals import flash_refusal
from kinerja.views.rest import API_METHOD_PERMISSIONS, KinerjaModelApi
from kinerja.views.screens import CRUD_METHOD_PERMISSIONS, READ_ONLY_METHODS, KinerjaModelView

LABELS = {
    "url": _l("URL"),
    "description": _l("Description"),
    "events": _l("Events"),
    "secret": _l("Secret"),
    "active": _l("Active"),
    "subscription": _l("Subscription"),
    "subscription_id": _l("Subscription"),
    "event_id": _l("Event id"),
    "event_type": _l("Event"),
    "occurred_at": _l("Occurred"),
    "data": _l("Data"),
    "status": _l("Status"),
    "attempts": _l("Attempts"),
    "response_code": _l("Response code"),
    "error": _l("Error"),
    "last_attempt_at": _l("Last attempt"),
    "delivered_at": _l("Delivered"),
    "created_at": _l("Created"),
    "updated_at": _l("Changed"),
}
SUBSCRIPTION_COLUMNS = ["id", "url", "description", "events", "active", "created_at", "updated_at"]
DELIVERY_COLUMNS = [
    "id",
    "subscription_id",
    "event_id",
    "event_type",
    "occurred_at",
    "status",
    "attempts",
    "response_code",
    "error",
    "last_attempt_at",
    "delivered_at",
    "created_at",
    "updated_at",
]
SECRET_SHOWN_ONCE = _l(
    "The secret of this subscription, shown this once — keep it with the receiver: %(secret)s"
)


def _flash_secret(secret: str) -> None:
    flash(gettext(SECRET_SHOWN_ONCE, secret=secret), "warning")


def save_and_show_secret(item: Subscription, scope: Scope) -> None:
    """The screen's save: a new subscription's secret is shown once, here."""
    secret = save_subscription(item, scope)
    if secret:
        _flash_secret(secret)


def _masked(secret: str | None) -> str:
    return f"…{secret[-4:]}" if secret else ""


def _event_names(events: Any) -> str:
    labels = {e.value: e.label for e in WebhookEvent}
    return "; ".join(f"{gettext(labels.get(name, name))} ({name})" for name in events or [])


class WebhookView(KinerjaModelView):
    """Subscriptions; *Ganti rahasia* gives one a new secret (shown once)."""

    route_base = "/webhooks"
    datamodel = SQLAInterface(Subscription)
    class_permission_name = roles.WEBHOOK
    method_permission_name = {**CRUD_METHOD_PERMISSIONS, "rotate": "edit"}
    base_order = ("id", "desc")
    list_title = show_title = _l("Webhooks")
    add_title = _l("Add webhook")
    edit_title = _l("Edit webhook")
    list_columns = ["url", "description", "events", "active", "secret"]
    show_columns = ["id", "url", "description", "events", "active", "secret", "created_at"]
    add_columns = edit_columns = ["url", "description", "events", "active"]
    search_columns = ["url", "description", "active"]
    label_columns = LABELS
    formatters_columns = {"secret": _masked, "events": _event_names, "description": or_blank}
    description_columns = {
        "url": _l("Where the events are POSTed, signed with the subscription's secret."),
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "events": SelectMultipleField(
            _l("Events"),
            choices=[(e.value, _l(e.label)) for e in WebhookEvent],
            widget=Select2ManyWidget(),
            validators=[InputRequired()],
        )
    }
    save_item = staticmethod(save_and_show_secret)
    delete_item = staticmethod(delete_subscription)

    @action("rotate", _l("New secret"), _l("Replace this secret? The old one stops at once."))
    def rotate(self, item: Any) -> Any:
        items = item if isinstance(item, list) else [item]
        for one in items:
            try:
                _flash_secret(rotate_secret(one.id, current_scope()))
            except DomainError as refusal:
                flash_refusal(refusal)
        return redirect(url_for("WebhookView.list"))


class WebhookDeliveryView(KinerjaModelView):
    """Every delivery and what became of it; *Kirim ulang* replays one."""

    route_base = "/webhook-deliveries"
    datamodel = SQLAInterface(WebhookDelivery)
    class_permission_name = roles.WEBHOOK_DELIVERY
    method_permission_name = {**READ_ONLY_METHODS, "replay": "replay", "action": "read"}
    base_permissions = ["can_read", "can_replay"]
    base_order = ("id", "desc")
    list_title = show_title = _l("Webhook deliveries")
    list_columns = ["id", "occurred_at", "event_type", "subscription", "status", "attempts"]
    show_columns = [*DELIVERY_COLUMNS[:1], "subscription", *DELIVERY_COLUMNS[2:], "data"]
    search_columns = ["event_type", "status", "subscription", "event_id", "occurred_at"]
    label_columns = LABELS
    formatters_columns = {"error": or_blank, "response_code": or_blank}

    @action("replay", _l("Send again"), _l("Send this event again?"), "fa-repeat")
    def replay(self, item: Any) -> Any:
        items = item if isinstance(item, list) else [item]
        for one in items:
            try:
                replay_delivery(one.id, current_scope())
            except DomainError as refusal:
                flash_refusal(refusal)
            else:
                flash(gettext("The event will be sent again."), "success")
        return redirect(url_for("WebhookDeliveryView.list"))


class WebhookApi(KinerjaModelApi):
    """Subscriptions over REST (Admin). ``POST`` answers the new ``secret`` once, and so
    does ``POST /<id>/secret`` (a new one); no other answer shows it."""

    resource_name = "webhook"
    datamodel = SQLAInterface(Subscription)
    class_permission_name = roles.WEBHOOK
    method_permission_name = {**API_METHOD_PERMISSIONS, "new_secret": "edit"}
    label_columns = LABELS
    list_columns = show_columns = SUBSCRIPTION_COLUMNS
    add_columns = edit_columns = ["url", "description", "events", "active"]
    search_columns = ["url", "active", "updated_at"]
    order_columns = ["id", "url", "updated_at"]
    base_order = ("id", "asc")
    save_item = staticmethod(save_subscription)
    delete_item = staticmethod(delete_subscription)

    def post_add(self, item: Subscription) -> None:
        g._kinerja_new_secret = item.secret

    def response(self, code: int, **kwargs: Any) -> Response:
        """A new subscription's answer carries its secret, this once."""
        secret = g.pop("_kinerja_new_secret", None)
        if code == 201 and secret:
            kwargs["secret"] = secret
        return super().response(code, **kwargs)  # type: ignore[no-any-return]

    @expose("/<pk>/secret", methods=["POST"])
    @protect()
    @safe
    def new_secret(self, pk: str) -> Response:
        """Replace the subscription's secret.
        ---
        post:
          summary: A new signing secret (the old one stops at once), answered this once
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          responses:
            200:
              description: The new secret
              content:
                application/json:
                  schema: {type: object, properties: {secret: {type: string}}}
            404:
              $ref: '#/components/responses/404'
        """
        if self._manageable(pk) is None:
            return self.response_404()
        secret, refused = self.use_case(lambda: rotate_secret(int(pk), current_scope()))
        return refused or self.response(200, secret=secret)


class WebhookDeliveryApi(KinerjaModelApi):
    """Deliveries over REST (Admin), read only but for ``POST /<id>/replay``."""

    resource_name = "webhook_delivery"
    datamodel = SQLAInterface(WebhookDelivery)
    class_permission_name = roles.WEBHOOK_DELIVERY
    method_permission_name = {**API_METHOD_PERMISSIONS, "replay": "replay"}
    base_permissions = ["can_read", "can_replay"]
    label_columns = LABELS
    list_columns = DELIVERY_COLUMNS
    show_columns = [*DELIVERY_COLUMNS, "data"]
    search_columns = ["subscription", "event_type", "event_id", "status", "updated_at"]
    order_columns = ["id", "occurred_at", "updated_at"]
    base_order = ("id", "desc")

    @expose("/<pk>/replay", methods=["POST"])
    @protect()
    @safe
    def replay(self, pk: str) -> Response:
        """Send a delivery again.
        ---
        post:
          summary: Send the delivery again (same event id and body, signed anew)
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          responses:
            202:
              description: The delivery is on its way again
            404:
              $ref: '#/components/responses/404'
            409:
              description: The delivery is still on its way
        """
        if self._readable(pk) is None:
            return self.response_404()
        delivery, refused = self.use_case(lambda: replay_delivery(int(pk), current_scope()))
        if refused is not None:
            return refused
        return self.response(202, id=delivery.id, status=DeliveryStatus(delivery.status).value)
