"""Failed sign-ins are limited per account and per client address, counted in Redis and so
shared by every worker; behind a proxy the address is the one it forwarded, so one person's
locked account never locks out the office behind the same address."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kinerja.extensions import db
from tests.conftest import DATABASE_URL, REDIS_URL, _free_port
from tests.factories import PASSWORD, Org, make_user

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/api/v1/security/login"
ACCOUNT_LOCKED = "Too many failed sign-ins for this account"
ADDRESS_LOCKED = "Too many failed sign-ins from this address"
SERVER_CLIENT_LIMIT = 8


def _api_sign_in(client: FlaskClient, username: str, password: str, **headers: str):
    return client.post(
        LOGIN + "?_l_=en",
        json={"username": username, "password": password, "provider": "db"},
        headers=headers,
    )


def test_an_account_is_refused_after_five_failures_whatever_the_address(
    client: FlaskClient, org: Org
) -> None:
    failures = [
        _api_sign_in(client, "employee", "salah", **{"X-Forwarded-For": f"10.0.0.{n}"})
        for n in range(5)
    ]
    assert [f.status_code for f in failures] == [401] * 5
    refused = _api_sign_in(client, "employee", PASSWORD)  # even the right password, for now
    body = refused.get_json()
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 15 * 60
    assert (body["error"], body["fields"]) == ("rate_limited", {})
    assert body["message"].startswith(ACCOUNT_LOCKED) and "15 minutes" in body["message"]
    assert _api_sign_in(client, "other", PASSWORD).status_code == 200  # others unaffected


def test_the_right_password_clears_the_accounts_count(client: FlaskClient, org: Org) -> None:
    for _ in range(2):
        assert [_api_sign_in(client, "employee", "salah").status_code for _ in range(4)] == [
            401
        ] * 4
        assert _api_sign_in(client, "employee", PASSWORD).status_code == 200


def test_the_sign_in_form_says_why_it_refuses(client: FlaskClient, org: Org) -> None:
    wrong = {"username": "supervisor", "password": "salah"}
    for _ in range(5):
        assert client.post("/login/", data=wrong).status_code == 302
    refused = client.post("/login/?_l_=en", data={**wrong, "password": PASSWORD})
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/login/")
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert ACCOUNT_LOCKED in page
    assert client.get("/users/userinfo/").status_code == 302  # not signed in


def test_a_forged_forwarded_address_does_not_escape_the_address_limit(
    app: Flask, client: FlaskClient, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a proxy setting, X-Forwarded-For is the client's own claim: ignored."""
    monkeypatch.setitem(app.config, "KINERJA_SIGN_IN_CLIENT_LIMIT", "3 per 15 minutes")
    names = ["siapa1", "siapa2", "siapa3"]
    for number, name in enumerate(names):
        forged = {"X-Forwarded-For": f"192.0.2.{number}"}
        assert _api_sign_in(client, name, "salah", **forged).status_code == 401
    refused = _api_sign_in(client, "admin", PASSWORD, **{"X-Forwarded-For": "192.0.2.99"})
    assert refused.status_code == 429
    assert refused.get_json()["message"].startswith(ADDRESS_LOCKED)


def test_redis_down_lets_people_sign_in(
    app: Flask, client: FlaskClient, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "REDIS_URL", f"redis://127.0.0.1:{_free_port()}/0")
    for _ in range(6):
        _api_sign_in(client, "employee", "salah")
    assert _api_sign_in(client, "employee", PASSWORD).status_code == 200


# --- a real server behind one proxy hop, sharing the counts through Redis -----------------


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "KINERJA_ENV": "development",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "sign-in-defences-test-secret-0123456789abcdef",
        "KINERJA_PROXY_COUNT": "1",
        "KINERJA_SIGN_IN_CLIENT_LIMIT": f"{SERVER_CLIENT_LIMIT} per 15 minutes",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "run", "run", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/health", timeout=5)
            break
        except urllib.error.HTTPError:
            break  # it answers
        except OSError:
            assert time.monotonic() < deadline and process.poll() is None, "no server"
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


def _post(base: str, username: str, password: str, address: str) -> tuple[int, str]:
    body = json.dumps({"username": username, "password": password, "provider": "db"}).encode()
    request = urllib.request.Request(
        f"{base}{LOGIN}?_l_=en",
        data=body,
        headers={"Content-Type": "application/json", "X-Forwarded-For": address},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()).get("message", "")


@pytest.mark.slow
def test_one_locked_account_does_not_lock_out_the_office(
    server: str, client: FlaskClient, org: Org
) -> None:
    office = "203.0.113.10"
    staff = [make_user(f"pegawai{n:02d}") for n in range(24)]
    db.session.commit()
    failures = [_post(server, "employee", "salah", office)[0] for _ in range(5)]
    assert failures == [401] * 5
    status, message = _post(server, "employee", PASSWORD, office)
    assert status == 429 and message.startswith(ACCOUNT_LOCKED)
    # everyone else at the same address signs in, more than any per-address burst allows
    assert [_post(server, user.username, PASSWORD, office)[0] for user in staff] == [200] * 24
    # the count is in Redis: this process (another worker) refuses the account too
    assert _api_sign_in(client, "employee", PASSWORD).status_code == 429


@pytest.mark.slow
def test_behind_the_proxy_an_address_over_its_limit_leaves_other_addresses_alone(
    server: str, org: Org
) -> None:
    guesser, office = "198.51.100.1", "198.51.100.2"
    tries = [_post(server, f"tebak{n}", "salah", guesser)[0] for n in range(SERVER_CLIENT_LIMIT)]
    assert tries == [401] * SERVER_CLIENT_LIMIT
    status, message = _post(server, "admin", PASSWORD, guesser)
    assert status == 429 and message.startswith(ADDRESS_LOCKED)
    assert _post(server, "admin", PASSWORD, office)[0] == 200
