"""Requests per account per minute, counted in Redis by every app process alike."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from kinerja.extensions import db
from kinerja.security import roles
from kinerja.security.policies.scope import SYSTEM
from kinerja.services import service_accounts as accounts
from tests.conftest import ThreadedClient
from tests.factories import Org, api_token


@pytest.fixture
def limited(app: Flask) -> Iterator[Flask]:
    """The session's app with a limit of 5 requests per minute per account."""
    before = app.config["API_RATE_LIMIT"]
    app.config["API_RATE_LIMIT"] = "5"
    yield app
    app.config["API_RATE_LIMIT"] = before


@pytest.fixture
def second_app(app: Flask) -> Iterator[Flask]:
    """Another process's app: the same database and Redis, counters shared only through
    Redis."""
    from kinerja.app import create_app

    other = create_app("test", API_RATE_LIMIT="5", MAIL_SERVER=app.config["MAIL_SERVER"])
    other.test_client_class = ThreadedClient
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def _key() -> str:
    account = accounts.create_service_account(SYSTEM, "payroll", roles.INTEGRATOR)
    return accounts.issue_key(SYSTEM, account.id).key


def test_two_app_processes_share_one_count(
    limited: Flask, second_app: Flask, client: Any, org: Org
) -> None:
    headers = {"Authorization": f"Bearer {_key()}"}
    other = second_app.test_client()
    answers = [
        (client if n % 2 == 0 else other).get("/api/v1/unit/", headers=headers) for n in range(6)
    ]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    refused = answers[-1]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    body = refused.get_json()
    assert (body["status"], body["error"], body["fields"]) == (429, "rate_limited", {})
    assert body["message"]
    if isinstance(other, ThreadedClient) and other._executor is not None:
        other._executor.shutdown()


def test_the_limit_is_per_account(limited: Flask, client: Any, org: Org) -> None:
    busy = {"Authorization": f"Bearer {_key()}"}
    for _ in range(5):
        assert client.get("/api/v1/unit/", headers=busy).status_code == 200
    assert client.get("/api/v1/unit/", headers=busy).status_code == 429
    person = api_token(client, "integrator")  # sign-in is not an API request of the account
    assert client.get("/api/v1/unit/", headers=person).status_code == 200


def test_jwt_requests_count_too(limited: Flask, client: Any, org: Org) -> None:
    headers = api_token(client, "integrator")
    statuses = [client.get("/api/v1/unit/", headers=headers).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def test_without_redis_requests_pass_and_the_failure_is_logged(
    limited: Flask, client: Any, org: Org, caplog: pytest.LogCaptureFixture
) -> None:
    headers = {"Authorization": f"Bearer {_key()}"}
    redis_url = limited.config["REDIS_URL"]
    limited.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        with caplog.at_level(logging.WARNING, logger="kinerja.security.api_limits"):
            statuses = [client.get("/api/v1/unit/", headers=headers).status_code for _ in range(7)]
    finally:
        limited.config["REDIS_URL"] = redis_url
    assert statuses == [200] * 7
    assert caplog.text.count("rate limit unavailable") == 1  # then left alone for a while
