"""Failed sign-ins are limited per account (a real server, its default settings), and so are
wrong guesses at the current password in the form that changes it: they count against the
same account (the per-address limit and the office behind a proxy:
tests/security/test_sign_in_defences.py)."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest

from tests.conftest import DATABASE_URL, _free_port
from tests.factories import PASSWORD, Org

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow
T = TypeVar("T")


@contextmanager
def _server() -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "KINERJA_ENV": "development",
        "DATABASE_URL": DATABASE_URL,
        "SECRET_KEY": "rate-limit-test-secret-key-0123456789abcdef",
        "REDIS_URL": "",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "run", "run", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_api_sign_in_is_refused_after_too_many_attempts(app) -> None:
    with _server() as base:
        statuses = [_attempt(base) for _ in range(7)]
        refused = _refused_answer(base)
    assert statuses[:5] == [401] * 5
    assert statuses[5:] == [429, 429]
    status, retry_after, body = refused
    assert status == 429 and 1 <= int(retry_after) <= 15 * 60
    assert (body["status"], body["error"], body["fields"]) == (429, "rate_limited", {})
    assert body["message"].startswith("Terlalu banyak") or body["message"].startswith("Too many")


def _refused_answer(base: str) -> tuple[int, str, dict[str, object]]:
    """One more attempt, its status, Retry-After header and JSON body."""
    body = json.dumps({"username": "nobody", "password": "wrong", "provider": "db"}).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/security/login", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Retry-After", ""), json.loads(error.read())
    raise AssertionError("the attempt was not refused")


def test_guessing_the_current_password_is_refused_after_too_many_attempts(app, org: Org) -> None:
    with _server() as base:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        _post_form(opener, base + "/login/", {"username": "employee", "password": PASSWORD})
        guesses = {"current_password": "tebakan-keliru", "password": "x", "conf_password": "x"}
        pages = [_post_form(opener, base + "/resetmypassword/form", guesses) for _ in range(6)]
    wrong = "The current password is not correct."
    assert [status for status, _ in pages] == [200] * 6  # the form again, with its message
    assert all(_says(page, wrong, "Kata sandi saat ini tidak benar") for _, page in pages[:5])
    refused = pages[5][1]
    assert _says(refused, "Too many failed sign-ins for this account", "Terlalu banyak")
    assert not _says(refused, wrong, "Kata sandi saat ini tidak benar")


def _says(page: str, english: str, indonesian: str) -> bool:
    return english in page or indonesian in page


def _post_form(
    opener: urllib.request.OpenerDirector, url: str, fields: dict[str, str]
) -> tuple[int, str]:
    """Post a screen's form as a browser does: its CSRF token first."""
    page = _retry(lambda: opener.open(url, timeout=10).read().decode())
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token is not None, page[:500]
    data = urllib.parse.urlencode({"csrf_token": token.group(1), **fields}).encode()
    try:
        response = opener.open(url, data=data, timeout=10)
        return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def _attempt(base: str) -> int:
    body = json.dumps({"username": "nobody", "password": "wrong", "provider": "db"}).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/security/login",
        data=body,
        headers={"Content-Type": "application/json"},
    )

    def send() -> int:
        try:
            return urllib.request.urlopen(request, timeout=10).status
        except urllib.error.HTTPError as error:
            return error.code

    return _retry(send)


def _retry(call: Callable[[], T]) -> T:
    """Call until the server answers (it is starting), at most 30 s."""
    deadline = time.monotonic() + 30
    while True:
        try:
            return call()
        except urllib.error.HTTPError:
            raise
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
