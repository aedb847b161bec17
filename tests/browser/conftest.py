"""A real server (a subprocess, CSRF on, jobs inline) and headless Chromium driving it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import DATABASE_URL, _free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("KINERJA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(
    os.environ.get("KINERJA_TEST_ARTIFACTS", Path(tempfile.gettempdir()) / "kinerja-browser")
) / os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """A real server in a subprocess (it depends on ``app``: the schema must exist first)."""
    port = _free_port()
    env = {
        **os.environ,
        "KINERJA_ENV": "development",
        "DATABASE_URL": DATABASE_URL,
        "SECRET_KEY": "browser-test-secret-key-0123456789abcdef",
        "REDIS_URL": "",
        "FLASK_DEBUG": "0",
        "KINERJA_UPLOAD_DIR": str(ARTIFACTS / "uploads"),
        "KINERJA_STORAGE_DIR": str(ARTIFACTS / "storage"),
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = (ARTIFACTS / "server.log").open("wb")  # the server's own account, for a failure
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "run", "run", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/login/", timeout=2)
            break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError((ARTIFACTS / "server.log").read_text()) from None
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError("the server did not start within 60 s")
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make browser` or set KINERJA_CHROMIUM.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def is_csp_violation(message) -> bool:
    """Chromium reports each thing the Content-Security-Policy blocked as a console error."""
    return message.type == "error" and "Content Security Policy" in message.text


@pytest.fixture
def csp_violations() -> list[str]:
    """What the Content-Security-Policy blocked during the test, page by page."""
    return []


@pytest.fixture
def page(browser, live_server: str, request, csp_violations: list[str]) -> Iterator[object]:
    """A tab on the live server; a test that passes must not have run into the CSP."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=live_server, locale="id-ID")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.on(
        "console",
        lambda message: (
            csp_violations.append(f"{tab.url}: {message.text}")
            if is_csp_violation(message)
            else None
        ),
    )
    yield tab
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:  # keep what the browser showed, for the report
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    if failed is not None and failed.passed:
        assert not csp_violations, "blocked by the CSP:\n" + "\n".join(csp_violations)


def sign_in(page, username: str, password: str) -> None:
    page.goto("/login/")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
