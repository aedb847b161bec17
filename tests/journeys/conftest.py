"""The whole stack for the journeys: the app served on loopback (CSRF on, as in production),
PostgreSQL, Redis, a real RQ worker process and the suite's SMTP sink; headless Chromium
drives it. A journey fails on any console error, any uncaught script error, any answer of
500 or more and any request that would leave 127.0.0.1 (it is aborted, not sent).

The server and the worker live for the whole session; each journey starts from an empty
organisation (tables truncated). Redis keeps RQ's own keys (the worker's registration and
its queues), so only the app's keys are dropped between journeys.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from redis import Redis
from sqlalchemy import text

from tests.browser.conftest import CHROMIUM
from tests.conftest import DATABASE_URL, KEPT_TABLES, REDIS_URL, MailSink, _free_port

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("KINERJA_JOURNEY_ARTIFACTS", ROOT / "test-artifacts" / "journeys"))
BOUND = 30.0  # seconds a journey waits for a job's result
LOOPBACK = "127.0.0.1"


def _started(process: subprocess.Popen[bytes], log: Path, ready: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if ready():
            return
        if process.poll() is not None:
            raise RuntimeError(log.read_text())
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"not started within 60 s:\n{log.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture(scope="session")
def stack_env(smtp: MailSink) -> dict[str, str]:
    """What the server and the worker share: the test database, Redis and the SMTP sink."""
    return {
        **os.environ,
        "KINERJA_ENV": "development",
        "FLASK_DEBUG": "0",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "journey-test-secret-key-0123456789abcdef",
        "MAIL_SERVER": LOOPBACK,
        "MAIL_PORT": str(smtp.port),
        "KINERJA_MAIL_BACKEND": "smtp",
        "KINERJA_UPLOAD_DIR": str(ARTIFACTS / "uploads"),
        "KINERJA_STORAGE_DIR": str(ARTIFACTS / "storage"),
        "FAB_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }


@pytest.fixture(scope="session")
def server(app: Flask, stack_env: dict[str, str]) -> Iterator[str]:
    """The app on a free loopback port (after ``app``: the schema must exist first)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    url = f"http://{LOOPBACK}:{port}"
    log_path = ARTIFACTS / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "run", "run", "--port", str(port)],
            cwd=ROOT,
            env={**stack_env, "KINERJA_BASE_URL": url},
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def answers() -> bool:
        try:
            urllib.request.urlopen(url + "/login/", timeout=2)
        except OSError:
            return False
        return True

    _started(process, log_path, answers)
    yield url
    _stop(process)


@pytest.fixture(scope="session")
def worker(app: Flask, stack_env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """A real ``flask kinerja worker`` (no periodic jobs: a journey's mail is its own)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / "worker.log"
    redis = Redis.from_url(REDIS_URL)
    before = set(redis.smembers("rq:workers"))
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "run", "kinerja", "worker", "--no-cron"],
            cwd=ROOT,
            env=stack_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    _started(process, log_path, lambda: bool(set(redis.smembers("rq:workers")) - before))
    yield process
    _stop(process)


@pytest.fixture(autouse=True)
def _isolate(app: Flask, worker: subprocess.Popen[bytes]) -> Iterator[None]:
    """Each journey starts from an empty organisation; the worker's own keys stay."""
    from kinerja.extensions import db

    redis = Redis.from_url(REDIS_URL)
    stale = [key for key in redis.scan_iter() if not key.startswith(b"rq:")]
    if stale:
        redis.delete(*stale)
    with app.app_context():
        yield
        db.session.remove()
        tables = [t.name for t in db.metadata.sorted_tables if t.name not in KEPT_TABLES]
        with db.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    assert worker.poll() is None, "the worker stopped: " + (ARTIFACTS / "worker.log").read_text()


@pytest.fixture
def planning(org: Any) -> Any:
    """The planning of :func:`tests.factories.build_planning`, in this year: what a journey
    logs today falls in one of its quarters (:func:`quarter`)."""
    from kinerja.services.reports.activities import today
    from tests.factories import build_planning

    return build_planning(org, year=today().year)


def quarter() -> int:
    """The quarter of the planning period that today falls in."""
    from kinerja.services.reports.activities import today

    return (today().month - 1) // 3 + 1


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make browser` or set KINERJA_CHROMIUM.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


DUPLICATE_IDS = """() => {
  const seen = new Map();
  for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) || 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
}"""


@dataclass
class Watch:
    """What went wrong in the browser during a journey. ``allow`` names console errors a
    journey provokes on purpose (a 404 it asks for)."""

    origin: str
    problems: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def console(self, message: Any) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "") if message.location else ""
        said = f"console error on {where}: {message.text}"
        if not any(pattern.search(said) for pattern in self.allowed):
            self.problems.append(said)

    def response(self, response: Any) -> None:
        if response.status >= 500:
            self.problems.append(f"{response.status} from {response.request.method} {response.url}")

    def route(self, route: Any) -> None:
        url = route.request.url
        parts = urlsplit(url)
        local = f"{parts.scheme}://{parts.netloc}" == self.origin
        if local or parts.scheme in ("data", "blob", "about"):
            route.continue_()
            return
        self.problems.append(f"request leaving {self.origin}: {route.request.method} {url}")
        route.abort()


@dataclass
class Browser:
    """Tabs on the live server, watched; each one's last screen saved as an artefact."""

    chromium: Any
    origin: str
    name: str
    watch: Watch
    contexts: list[Any] = field(default_factory=list)

    def tab(self, **options: Any) -> Any:
        context = self.chromium.new_context(base_url=self.origin, locale="id-ID", **options)
        context.set_default_timeout(20_000)
        context.route("**/*", self.watch.route)
        page = context.new_page()
        page.on("console", self.watch.console)
        page.on("pageerror", lambda error: self.watch.problems.append(f"script error: {error}"))
        page.on("response", self.watch.response)
        self.contexts.append(context)
        return page

    def shot(self, page: Any, label: str) -> Path:
        """Save what the page shows, and check it for repeated element ids."""
        path = ARTIFACTS / f"{self.name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        self.check(page)
        return path

    def check(self, page: Any) -> None:
        repeated = page.evaluate(DUPLICATE_IDS)
        if repeated:
            self.watch.problems.append(f"element ids used twice on {page.url}: {repeated}")


@pytest.fixture
def journey(chromium: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Browser]:
    """The browser of one journey; it fails if anything went wrong on the way."""
    name = request.node.name.removeprefix("test_")
    watch = Watch(origin=server)
    browser = Browser(chromium, server, name, watch)
    yield browser
    for number, context in enumerate(browser.contexts):
        for page in context.pages:
            if not page.is_closed():
                page.screenshot(path=str(ARTIFACTS / f"{name}-end-{number}.png"), full_page=True)
                browser.check(page)
        context.close()
    assert not watch.problems, "the browser ran into:\n" + "\n".join(watch.problems)


def sign_in(page: Any, username: str, password: str) -> None:
    page.goto("/logout/")
    page.goto("/login/")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def pick(page: Any, field_name: str, typed: str) -> None:
    """Choose in a server-searched select (select2): open, type, take the first match."""
    page.click(f"#s2id_{field_name}, span[aria-labelledby='select2-{field_name}-container']")
    page.fill(".select2-container--open .select2-search__field", typed)
    option = page.locator(".select2-results__option", has_text=typed).first
    option.wait_for()
    option.click()


def choose(page: Any, field_name: str, value: str) -> None:
    """Set a select2-styled enum select and tell select2."""
    page.eval_on_selector(
        f"#{field_name}", "(el, v) => { el.value = v; $(el).trigger('change'); }", value
    )


def wait_until(condition: Callable[[], Any], what: str, bound: float = BOUND) -> Any:
    """Poll ``condition`` (database or sink state) until it holds, at most ``bound`` s."""
    deadline = time.monotonic() + bound
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            worker_log = (ARTIFACTS / "worker.log").read_text()[-3000:]
            pytest.fail(f"timed out waiting for {what}; worker log:\n{worker_log}")
        time.sleep(0.1)
