"""Webhooks end to end: a real HTTP receiver on loopback, real RQ workers on the real Redis.
An event is written with its change (a rolled-back change announces nothing), delivered
signed, retried with RQ's backoff when the receiver fails, recorded, and replayable."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from rq.registry import ScheduledJobRegistry
from sqlalchemy import func, select

from kinerja.extensions import db
from kinerja.models.jobs import RETRY_INTERVALS, JobRun, JobStatus
from kinerja.models.webhooks import DeliveryStatus, WebhookDelivery, WebhookSubscription
from kinerja.security.policies import SYSTEM
from kinerja.services import outbox
from kinerja.services.boundary import transaction
from kinerja.services.org import save_employee
from kinerja.services.webhooks.subscriptions import save_subscription
from tests.factories import Org, api_token

ROOT = Path(__file__).resolve().parents[2]


class Receiver:
    """An HTTP server on a free loopback port that records each POST (headers and raw
    body) and answers with the next of ``codes`` (then 200)."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.codes: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers.items()), body))
                code = receiver.codes.pop(0) if receiver.codes else 200
                self.send_response(code)
                self.end_headers()
                self.wfile.write(b"ok" if code < 300 else b"try again later")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def _subscribe(url: str, *events: str) -> WebhookSubscription:
    subscription = WebhookSubscription(url=url, events=list(events), active=True)
    save_subscription(subscription, SYSTEM)
    return subscription


def _verified(secret: str, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    """The receiver's side: check the signature over the raw body, then parse it."""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Kinerja-Signature"], expected)
    assert headers["X-Kinerja-Timestamp"].isdigit()
    event: dict[str, Any] = json.loads(body)
    return event


def _documented_verify() -> Callable[[str, bytes, str], dict[str, Any]]:
    """The ``verify`` snippet of the integrator guide, run as it is written there."""
    guide = (ROOT / "docs/api-feed.md").read_text()
    (code,) = [block for block in guide.split("```python")[1:] if "def verify" in block]
    namespace: dict[str, Any] = {}
    exec(code.split("```")[0], namespace)  # noqa: S102 - our own documentation
    verify: Callable[[str, bytes, str], dict[str, Any]] = namespace["verify"]
    return verify


def _deliveries() -> list[WebhookDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def _skip_backoff() -> None:
    queue = outbox.queue("default")
    registry = ScheduledJobRegistry(queue=queue)
    for job_id in registry.get_job_ids():
        registry.remove(job_id)
        queue.enqueue_job(queue.fetch_job(job_id))


def test_a_rolled_back_change_announces_nothing(org: Org, receiver: Receiver) -> None:
    _subscribe(receiver.url, "employee.changed")
    runs_before = db.session.scalar(select(func.count()).select_from(JobRun))
    with pytest.raises(RuntimeError), transaction():
        org.employees.epid2.phone = "0813"
        save_employee(org.employees.epid2, SYSTEM)
        raise RuntimeError("something later in the same use case failed")
    assert _deliveries() == []
    assert db.session.scalar(select(func.count()).select_from(JobRun)) == runs_before

    org.employees.epid2.phone = "0814"
    save_employee(org.employees.epid2, SYSTEM)
    (delivery,) = _deliveries()
    assert (delivery.event_type, delivery.data["employee"], delivery.data["op"]) == (
        "employee.changed",
        org.employees.epid2.id,
        "update",
    )
    run = db.session.scalar(select(JobRun).where(JobRun.name == "deliver_webhooks"))
    assert run is not None and run.args == [[delivery.id]]


@pytest.mark.slow
def test_a_real_worker_delivers_a_signed_event(org: Org, receiver: Receiver) -> None:
    subscription = _subscribe(receiver.url, "employee.changed", "plan.approved")
    secret = subscription.secret
    org.employees.epid2.phone = "0815"
    save_employee(org.employees.epid2, SYSTEM)
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "run", "kinerja", "worker", "--burst"],
        cwd=ROOT,
        env={**os.environ, "KINERJA_ENV": "test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    ((headers, body),) = receiver.received
    event = _verified(secret, headers, body)
    (delivery,) = _deliveries()
    assert event == {
        "id": delivery.event_id,
        "type": "employee.changed",
        "occurred_at": delivery.occurred_at.isoformat(),
        "data": delivery.data,
    }
    verify = _documented_verify()
    assert verify(secret, body, headers["X-Kinerja-Signature"]) == event
    with pytest.raises(ValueError, match="bad signature"):
        verify(secret, body.replace(b"employee", b"employe_"), headers["X-Kinerja-Signature"])
    assert headers["X-Kinerja-Event"] == "employee.changed"
    assert headers["Content-Type"] == "application/json"
    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        DeliveryStatus.DELIVERED,
        1,
        200,
    )


def test_a_failing_receiver_is_retried_with_backoff_then_succeeds(
    org: Org, receiver: Receiver, run_jobs
) -> None:
    subscription = _subscribe(receiver.url, "employee.changed")
    receiver.codes = [500]
    org.employees.epid1.phone = "0816"
    save_employee(org.employees.epid1, SYSTEM)

    run_jobs()
    (delivery,) = _deliveries()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        DeliveryStatus.RETRYING,
        1,
        500,
    )
    assert "try again later" in (delivery.error or "")
    run = db.session.scalar(select(JobRun).where(JobRun.name == "deliver_webhooks"))
    assert run is not None and run.status == JobStatus.RETRYING
    assert ScheduledJobRegistry(queue=outbox.queue("default")).get_job_ids()  # RQ's pause
    _skip_backoff()
    run_jobs()

    (delivery,) = _deliveries()
    assert (delivery.status, delivery.attempts, delivery.response_code, delivery.error) == (
        DeliveryStatus.DELIVERED,
        2,
        200,
        None,
    )
    first, second = (_verified(subscription.secret, h, b) for h, b in receiver.received)
    assert first == second  # the same event, its id included
    db.session.refresh(run)
    assert run.status == JobStatus.SUCCEEDED


def test_a_receiver_that_keeps_failing_fails_the_delivery_and_a_replay_sends_it_again(
    client: FlaskClient, org: Org, receiver: Receiver, run_jobs
) -> None:
    subscription = _subscribe(receiver.url, "employee.changed")
    receiver.codes = [503] * (1 + len(RETRY_INTERVALS))
    org.employees.epid1.phone = "0817"
    save_employee(org.employees.epid1, SYSTEM)
    run_jobs()
    for _ in RETRY_INTERVALS:
        _skip_backoff()
        run_jobs()
    (delivery,) = _deliveries()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 4)

    headers = api_token(client, "admin")
    answer = client.post(f"/api/v1/webhook_delivery/{delivery.id}/replay", headers=headers)
    assert answer.status_code == 202, answer.get_json()
    again = client.post(f"/api/v1/webhook_delivery/{delivery.id}/replay", headers=headers)
    assert again.status_code == 409  # still on its way
    run_jobs()
    (delivery,) = _deliveries()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        DeliveryStatus.DELIVERED,
        5,
        200,
    )
    events = {_verified(subscription.secret, h, b)["id"] for h, b in receiver.received}
    assert events == {delivery.event_id}
    assert len(receiver.received) == 5


def test_a_new_secret_signs_the_next_deliveries_and_is_shown_once(
    client: FlaskClient, org: Org, receiver: Receiver, run_jobs
) -> None:
    headers = api_token(client, "admin")
    made = client.post(
        "/api/v1/webhook/",
        json={"url": receiver.url, "events": ["employee.changed"], "description": "TPP"},
        headers=headers,
    )
    assert made.status_code == 201, made.get_json()
    first_secret, pk = made.get_json()["secret"], made.get_json()["id"]
    shown = client.get(f"/api/v1/webhook/{pk}", headers=headers).get_json()
    listed = client.get("/api/v1/webhook/", headers=headers).get_json()
    assert first_secret not in json.dumps(shown) + json.dumps(listed)
    renewed = client.post(f"/api/v1/webhook/{pk}/secret", headers=headers).get_json()["secret"]
    assert renewed != first_secret
    org.employees.epid1.phone = "0818"
    save_employee(org.employees.epid1, SYSTEM)
    run_jobs()
    ((received, body),) = receiver.received
    _verified(renewed, received, body)


def test_bad_subscriptions_are_refused_by_field(client: FlaskClient, org: Org) -> None:
    headers = api_token(client, "admin")
    answer = client.post(
        "/api/v1/webhook/", json={"url": "file:///etc/passwd", "events": ["x"]}, headers=headers
    )
    assert answer.status_code == 422
    assert set(answer.get_json()["fields"]) == {"url", "events"}


def test_webhooks_are_the_admins_alone(client: FlaskClient, org: Org) -> None:
    _subscribe("https://tpp.example/hook", "employee.changed")
    for name in ("integrator", "operator", "employee"):
        headers = api_token(client, name)
        for resource in ("webhook", "webhook_delivery"):
            answer = client.get(f"/api/v1/{resource}/", headers=headers)
            assert (answer.status_code, answer.get_json()["count"]) == (200, 0)
        assert client.post("/api/v1/webhook/", json={}, headers=headers).status_code == 403
