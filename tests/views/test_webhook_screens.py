"""The webhook screens: a subscription made in the back office shows its secret once (then
only its last characters), a wrong URL or event is named beside its field, a delivery is
replayed with *Kirim ulang*, and nobody but the Admin reaches a subscription or a delivery."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.jobs import JobRun
from kinerja.models.webhooks import DeliveryStatus, WebhookDelivery, WebhookSubscription
from tests.factories import Org, login


def test_a_subscription_made_on_the_screen_shows_its_secret_once(
    client: FlaskClient, org: Org
) -> None:
    login(client, "admin")
    made = client.post(
        "/webhooks/add",
        data={"url": "https://tpp.example/hook", "events": ["plan.approved"], "active": "y"},
        follow_redirects=True,
    )
    subscription = db.session.scalars(select(WebhookSubscription)).one()
    page = made.get_data(as_text=True)
    assert subscription.secret.startswith("whsec_") and subscription.secret in page
    listed = client.get("/webhooks/list/").get_data(as_text=True)
    shown = client.get(f"/webhooks/show/{subscription.id}").get_data(as_text=True)
    for later in (listed, shown):
        assert subscription.secret not in later
        assert f"…{subscription.secret[-4:]}" in later


def test_a_wrong_url_is_named_on_the_form(client: FlaskClient, org: Org) -> None:
    login(client, "admin")
    answer = client.post(
        "/webhooks/add?_l_=en",
        data={"url": "ftp://tpp.example/", "events": ["plan.approved"]},
    )
    assert answer.status_code == 200
    assert "Enter an http:// or https:// address." in answer.get_data(as_text=True)
    assert db.session.scalar(select(WebhookSubscription.id)) is None


def test_a_failed_delivery_is_replayed_from_the_screen(client: FlaskClient, org: Org) -> None:
    hook = WebhookSubscription(
        url="https://tpp.example/hook", events=["plan.approved"], secret="whsec_x", active=True
    )
    db.session.add(hook)
    db.session.flush()
    delivery = WebhookDelivery(
        subscription_id=hook.id,
        event_id="00000000-0000-4000-8000-000000000002",
        event_type="plan.approved",
        occurred_at=utcnow(),
        data={"work_plan": 1},
        status=DeliveryStatus.FAILED,
        attempts=4,
    )
    db.session.add(delivery)
    db.session.commit()
    login(client, "operator")
    seen = client.get("/webhook-deliveries/list/")  # their right to read reaches no row
    assert seen.status_code == 200 and delivery.event_id not in seen.get_data(as_text=True)
    assert client.get(f"/webhook-deliveries/show/{delivery.id}").status_code == 404
    assert client.post(f"/webhook-deliveries/action/replay/{delivery.id}").status_code == 403
    login(client, "admin")
    answer = client.post(f"/webhook-deliveries/action/replay/{delivery.id}")
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(WebhookDelivery, delivery.id).status == DeliveryStatus.PENDING
    run = db.session.scalar(select(JobRun).where(JobRun.name == "deliver_webhooks"))
    assert run is not None and run.args == [[delivery.id]]
