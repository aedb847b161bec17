"""Sign-in attempts are rate limited per address (a real server, its default settings)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import DATABASE_URL, _free_port

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def test_api_sign_in_is_refused_after_too_many_attempts(app) -> None:
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
        statuses = [_attempt(port) for _ in range(12)]
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429, 429]


def _attempt(port: int) -> int:
    body = json.dumps({"username": "nobody", "password": "wrong", "provider": "db"}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/security/login",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            return urllib.request.urlopen(request, timeout=10).status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
