"""Test fixtures: one app per session on real PostgreSQL and Redis, data truncated per test.

The services are required: if PostgreSQL or Redis does not answer, the run stops at once
with one line saying which one and how to start it.
"""

from __future__ import annotations

import os
import socket
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import TYPE_CHECKING, Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from sqlalchemy import create_engine, text

from config import TestConfig


def _per_worker_services() -> None:
    """Under pytest-xdist each worker gets its own database (``<db>_gw1``…) and Redis index."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or worker == "gw0":
        return
    from sqlalchemy.engine import make_url

    number = int(worker.removeprefix("gw"))
    base = make_url(TestConfig.SQLALCHEMY_DATABASE_URI)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            found = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not found:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception:  # the services check below says which service is down
        return
    finally:
        engine.dispose()
    redis_base, _, index = TestConfig.REDIS_URL.rpartition("/")
    TestConfig.SQLALCHEMY_DATABASE_URI = base.set(database=name).render_as_string(
        hide_password=False
    )
    TestConfig.REDIS_URL = f"{redis_base}/{(int(index or 0) + number) % 16}"
    os.environ["KINERJA_TEST_DATABASE_URL"] = TestConfig.SQLALCHEMY_DATABASE_URI
    os.environ["KINERJA_TEST_REDIS_URL"] = TestConfig.REDIS_URL


_per_worker_services()

from tests.services_check import check_services  # noqa: E402 - after the worker's services

if TYPE_CHECKING:
    from tests.factories import Org, Planning, Reporting

DATABASE_URL = TestConfig.SQLALCHEMY_DATABASE_URI
REDIS_URL = TestConfig.REDIS_URL

# Tables whose rows are the instance's set-up (roles, permissions, reference data): kept.
KEPT_TABLES = {
    "ab_permission",
    "ab_view_menu",
    "ab_permission_view",
    "ab_permission_view_role",
    "ab_role",
    "rank",
    "behaviour_value",
    "alembic_version",
}


def pytest_sessionstart(session: pytest.Session) -> None:
    problem = check_services()
    if problem:
        pytest.exit(problem, returncode=3)


def _reset_schema() -> None:
    engine = create_engine(DATABASE_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


class MailSink:
    """A real SMTP server (aiosmtpd) on a free local port that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.port = _free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def smtp() -> Iterator[MailSink]:
    sink = MailSink()
    sink.controller.start()
    yield sink
    sink.controller.stop()


@pytest.fixture
def mailbox(smtp: MailSink) -> MailSink:
    smtp.messages.clear()
    return smtp


class RefusingSink(MailSink):
    """The SMTP sink, refusing the recipients listed in ``refused`` (550)."""

    def __init__(self) -> None:
        super().__init__()
        self.refused: set[str] = set()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refused:
            return "550 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def sink(app: Flask) -> Iterator[RefusingSink]:
    refusing = RefusingSink()
    refusing.controller.start()
    state = app.extensions["mail"]
    port = state.port
    state.port = refusing.port
    yield refusing
    state.port = port
    refusing.controller.stop()


@pytest.fixture(scope="session")
def app(smtp: MailSink) -> Iterator[Flask]:
    os.environ.setdefault("KINERJA_ENV", "test")
    _reset_schema()
    from kinerja.app import create_app
    from kinerja.services.setup import initialise

    application = create_app(
        "test",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp.port,
        KINERJA_UPLOAD_DIR=tempfile.mkdtemp(prefix="kinerja-uploads-"),
        KINERJA_STORAGE_DIR=tempfile.mkdtemp(prefix="kinerja-storage-"),
    )
    with application.app_context():
        initialise()
    yield application
    from kinerja.extensions import db

    with application.app_context():
        db.session.remove()
        db.engine.dispose()


PURE_TESTS = {"domain", "test_storage.py"}  # no database, no Redis: nothing to reset


@pytest.fixture(autouse=True)
def _isolate(app: Flask, request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test starts from an empty organisation and an empty Redis database."""
    from kinerja.extensions import db

    if PURE_TESTS & set(request.node.path.parts):
        yield
        return
    Redis.from_url(REDIS_URL).flushdb()
    with app.app_context():
        yield
        db.session.remove()
        leaked = db.engine.pool.checkedout()
        assert leaked == 0, f"{leaked} database connection(s) still checked out after the test"
        with db.engine.begin() as connection:
            _empty_the_tables(connection)


def _empty_the_tables(connection: Any) -> None:
    """As ``TRUNCATE <every table> RESTART IDENTITY CASCADE``, but only the tables holding
    rows are truncated and only the sequences that moved are restarted: truncating all of
    them costs ~0.4 s a test, most of them being empty."""
    from kinerja.extensions import db

    tables = [t.name for t in db.metadata.sorted_tables if t.name not in KEPT_TABLES]
    probe = " UNION ALL ".join(
        f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM \"{name}\")"  # noqa: S608 - model names
        for name in tables
    )
    filled = list(connection.execute(text(probe)).scalars())
    if filled:
        quoted = ", ".join(f'"{name}"' for name in filled)
        connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    moved = list(
        connection.execute(
            text(
                "SELECT s.sequencename FROM pg_sequences s "
                "JOIN pg_class seq ON seq.relname = s.sequencename AND seq.relkind = 'S' "
                "JOIN pg_depend d ON d.objid = seq.oid AND d.deptype IN ('a', 'i') "
                "JOIN pg_class tab ON tab.oid = d.refobjid "
                "WHERE s.schemaname = 'public' AND s.last_value IS NOT NULL "
                "AND tab.relname = ANY(:tables)"
            ),
            {"tables": tables},
        ).scalars()
    )
    for sequence in moved:
        connection.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))


class ThreadedClient(FlaskClient):
    """Runs each request in its own thread, hence its own app context, session and locale,
    as in production; the test's own app context and session stay untouched."""

    _executor: ThreadPoolExecutor | None = None

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="request")
        kwargs.setdefault("buffered", True)  # stream in the request's own thread and context
        if threading.current_thread().name.startswith("request"):  # following a redirect
            return FlaskClient.open(self, *args, **kwargs)
        return self._executor.submit(FlaskClient.open, self, *args, **kwargs).result()


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    app.test_client_class = ThreadedClient
    test_client = app.test_client()
    yield test_client
    if isinstance(test_client, ThreadedClient) and test_client._executor is not None:
        test_client._executor.shutdown()


@pytest.fixture
def org(app: Flask) -> Org:
    from tests.factories import build_org

    return build_org()


@pytest.fixture
def run_jobs(app: Flask) -> Callable[[], None]:
    """Work off every queued job in this process (a real RQ worker on the real Redis)."""
    from rq import SimpleWorker

    from kinerja.services.outbox import queue

    def work() -> None:
        queues = [queue(name) for name in app.config["RQ_QUEUES"]]
        SimpleWorker(queues, connection=queues[0].connection).work(burst=True)

    return work


@pytest.fixture
def planning(org: Org) -> Planning:
    from tests.factories import build_planning

    return build_planning(org)


@pytest.fixture
def reporting(org: Org, planning: Planning) -> Reporting:
    from tests.factories import build_reporting

    return build_reporting(org, planning)
