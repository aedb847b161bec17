"""A scripted SMTP server for the sending tests: a real aiosmtpd server on a free port that
counts its connections, and can answer 451, drop a connection, keep a message waiting or
wait until several clients are connected."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default as default_policy
from typing import Any

import pytest
from flask import Flask
from jinja2 import ChoiceLoader, DictLoader

from tests.conftest import MailSink

BOUND = 30.0  # seconds any wait of the server may last

PROBE = {
    "email/probe.txt": "{{ _('Dear %(name)s,', name=recipient.name) }} {{ detail }}",
    "email/probe.html": "<p>{{ _('Dear %(name)s,', name=recipient.name) }} {{ detail }}</p>",
}


class ScriptedSink(MailSink):
    """The sink, with a script: ``refused`` addresses are refused (550); ``transient``
    answers 451 to the next DATA for an address (as many times as counted); ``drop_at``
    drops the connection instead of answering the n-th DATA; ``hold_at`` keeps the n-th
    DATA unanswered until :attr:`release` is set or the client goes away (then nothing is
    accepted); ``rendezvous`` keeps every DATA waiting until that many connections were
    opened."""

    def __init__(self) -> None:
        super().__init__()
        self.sessions: dict[int, Any] = {}  # kept alive: their ids stay unique
        self.delivered: Counter[str] = Counter()
        self.transient: Counter[str] = Counter()
        self.data_seen = 0
        self.drop_at: int | None = None
        self.hold_at: int | None = None
        self.rendezvous = 0
        self.reached = threading.Event()
        self.release = threading.Event()
        self.abandoned = threading.Event()  # the held message's client went away
        self.per_connection: Counter[int] = Counter()
        self.refused: set[str] = set()

    @property
    def connections(self) -> int:
        """Connections over which at least one message was handed over."""
        return len(self.sessions)

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        self.sessions.setdefault(id(session), session)
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refused:
            return "550 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.data_seen += 1
        number = self.data_seen
        (address,) = envelope.rcpt_tos
        await self._wait(lambda: self.connections >= self.rendezvous)
        if number == self.drop_at:
            server.transport.close()
            return "421 closing"
        if number == self.hold_at:
            self.reached.set()
            transport = server.transport
            try:
                await self._wait(lambda: self.release.is_set() or transport.is_closing())
            except asyncio.CancelledError:  # aiosmtpd ends the session of a lost client
                self.abandoned.set()
                raise
            if transport.is_closing():
                self.abandoned.set()
                return "421 the client went away: nothing accepted"
        if self.transient[address] > 0:
            self.transient[address] -= 1
            return "451 try again later"
        message = message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append(message)  # type: ignore[arg-type]
        self.delivered[address] += 1
        self.per_connection[id(session)] += 1
        return "250 OK"

    @staticmethod
    async def _wait(condition: Any) -> None:
        """Wait (bounded) until ``condition`` holds; cancelled if the client goes away."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + BOUND
        while not condition() and loop.time() < deadline:
            await asyncio.sleep(0.01)


@pytest.fixture
def scripted(app: Flask) -> Iterator[ScriptedSink]:
    """A scripted sink the app sends to (and a worker started with its port)."""
    server = ScriptedSink()
    server.controller.start()
    state = app.extensions["mail"]
    port = state.port
    state.port = server.port
    yield server
    state.port = port
    server.release.set()
    server.controller.stop()


@pytest.fixture
def probe_templates(app: Flask) -> Iterator[None]:
    loader = app.jinja_env.loader
    app.jinja_env.loader = ChoiceLoader([DictLoader(PROBE), loader])  # type: ignore[list-item]
    app.jinja_env.cache = {}
    yield
    app.jinja_env.loader = loader
    app.jinja_env.cache = {}


@pytest.fixture
def mail_config(app: Flask) -> Iterator[dict[str, Any]]:
    """The app's mail settings, changed for one test and restored after."""
    names = (
        "KINERJA_MAIL_BATCH",
        "KINERJA_MAIL_LEASE_SECONDS",
        "KINERJA_MAIL_RETRY_DELAYS",
        "KINERJA_MAIL_CONNECTIONS",
    )
    saved = {name: app.config[name] for name in names}
    yield app.config
    app.config.update(saved)
