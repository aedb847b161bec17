"""``flask kinerja bench email --recipients N``: the email pipeline against bare smtplib, on a
local SMTP server (aiosmtpd, in a process of its own).

1. The ceiling ``B``: ``N`` minimal messages sent with bare smtplib over one connection.
2. The product (timed: ``seconds``, ``per_second``): ``N`` feedback emails in two languages
   recorded by :func:`kinerja.services.mail.compose.record`, :data:`RECORD_CHUNK` per use
   case (the product's feedback on an evaluation, rendered from ``email/feedback.*``,
   inserted, the sending job scheduled after each commit), then sent by the
   ``send_emails`` job — on one RQ worker process started beforehand when ``REDIS_URL`` is
   set, otherwise inline by the same runner after the commit (what the product does without
   Redis). Timed until the last email is marked sent.

The last line printed is ``{"bench": "email", "recipients": N, "seconds": S, "per_second":
P, "bare_per_second": B}``. The emails recorded are deleted afterwards.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import smtplib
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from flask import Flask
from rq import Worker
from sqlalchemy import delete, func, select

from kinerja.domain.ratings import Level, Predikat
from kinerja.extensions import db
from kinerja.models.mail import EmailKind, EmailStatus, OutgoingEmail
from kinerja.services.boundary import transaction
from kinerja.services.mail import compose
from kinerja.services.mail.feedback import EVALUATION_SUBJECT, IndicatorMark, extremes
from kinerja.services.outbox import redis_connection

ROOT = Path(__file__).resolve().parents[2]
WAIT_LIMIT = 3600.0
# Emails recorded per use case: the worker sends the first ones while the next are rendered.
RECORD_CHUNK = 500
PREDIKAT = (Predikat.SANGAT_BAIK, Predikat.BAIK, Predikat.BUTUH_PERBAIKAN)


class _Counter:
    """The SMTP handler of :class:`CountingSink`: accepts everything, only counts."""

    def __init__(self, received: Any) -> None:
        self.received = received

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.received.get_lock():
            self.received.value += 1
        return "250 OK"


def _serve(port: int, received: Any, ready: Any, stop: Any) -> None:
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    controller = Controller(_Counter(received), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


class CountingSink:
    """An SMTP server that accepts everything and only counts, in a process of its own: an
    SMTP server never shares a Python process with its client (in this one it would compete
    with the bench's own rendering for the interpreter lock, and slow both paths)."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        context = multiprocessing.get_context("spawn")
        self._received = context.Value("q", 0)
        self._ready = context.Event()
        self._stop = context.Event()
        self._process = context.Process(
            target=_serve,
            args=(self.port, self._received, self._ready, self._stop),
            name="bench-smtp",
            daemon=True,
        )

    @property
    def received(self) -> int:
        return int(self._received.value)

    def start(self) -> None:
        self._process.start()
        if not self._ready.wait(60):
            raise RuntimeError("the bench's SMTP server did not start")

    def stop(self) -> None:
        self._stop.set()
        self._process.join(timeout=30)


def bare_smtplib(port: int, count: int) -> float:
    """Seconds to send ``count`` minimal messages over one connection."""
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for number in range(count):
            body = f"Subject: bench {number}\r\n\r\nbench {number}\r\n"
            smtp.sendmail("bench@localhost", [f"bench{number}@bench.example"], body)
    return time.perf_counter() - started


def drafts(count: int, token: str) -> list[compose.Draft]:
    """The product's feedback emails on an approved evaluation (its template, subject and
    context, as :func:`feedback.record_evaluation_feedback` makes them), every other one in
    English."""
    marks = [IndicatorMark(f"Indikator kinerja {k}", (12 - k) / 12 * 100) for k in range(1, 4)]
    strongest, weakest = extremes(marks)
    result: list[compose.Draft] = []
    for number in range(count):
        recipient = compose.Recipient(
            f"pegawai{number}@bench.example",
            f"Pegawai Bench {number}",
            "en" if number % 2 else "id",
            employee_id=number,
        )
        context = {
            "sub_period": "Triwulan I 2026",
            "predikat": PREDIKAT[number % len(PREDIKAT)],
            "results": Level.AS_EXPECTED,
            "behaviour": Level.ABOVE,
            "feedback": "Capaian sudah baik; dokumentasi kegiatan perlu dilengkapi. " * 3,
            "strongest": strongest,
            "weakest": weakest,
            "url": compose.link(f"/report/{number}/"),
        }
        result.append(
            compose.Draft(
                EmailKind.FEEDBACK,
                recipient,
                f"bench {token} {number}",
                "feedback",
                EVALUATION_SUBJECT,
                {"sub_period": "Triwulan I 2026"},
                context,
            )
        )
    return result


def start_worker(port: int) -> subprocess.Popen[bytes]:
    """One ``flask kinerja worker mail`` process sending to ``port``; returns once it is
    listening."""
    env = {
        **os.environ,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(port),
        "KINERJA_MAIL_BACKEND": "smtp",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "run", "kinerja", "worker", "--no-cron", "mail"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not any(w.pid == worker.pid for w in Worker.all(connection=redis_connection())):
        if worker.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the bench's worker did not start")
        time.sleep(0.1)
    return worker


def sent(ids: list[int]) -> int:
    """How many of the bench's emails were sent (a range, not thousands of parameters: the
    poll must not take the SMTP server's thread its time)."""
    done = db.session.scalar(
        select(func.count())
        .select_from(OutgoingEmail)
        .where(
            OutgoingEmail.id.between(min(ids), max(ids)),
            OutgoingEmail.status == EmailStatus.SENT,
        )
    )
    db.session.rollback()
    return done or 0


def vacuum_emails() -> None:
    """Leave the table as the bench found it: each run writes and deletes N rows, and where
    autovacuum is off (a test server) the dead ones pile up, and every later run's claims
    wade through them (ten runs of 10,000 made the sending three times slower)."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
            "VACUUM ANALYZE outgoing_email"
        )


def bench_email(app: Flask, recipients: int) -> Iterator[str]:
    """Lines to print, the JSON line last (see the module's docstring)."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    sink = CountingSink()
    sink.start()
    worker = None
    state = app.extensions["mail"]
    saved = (state.server, state.port, app.config["KINERJA_MAIL_BACKEND"])
    try:
        bare = bare_smtplib(sink.port, recipients)
        bare_rate = recipients / bare
        yield f"Bare smtplib, one connection: {recipients:,} in {bare:.2f} s ({bare_rate:.0f}/s)."
        state.server, state.port = "127.0.0.1", sink.port
        app.config["KINERJA_MAIL_BACKEND"] = "smtp"
        if app.config.get("REDIS_URL"):
            worker = start_worker(sink.port)
            how = f"one RQ worker process (pid {worker.pid})"
        else:
            how = "in-process: the job runner after the commit, as without Redis"
        yield f"Product path: recorded here, sent by {how}."
        batch = drafts(recipients, uuid.uuid4().hex[:10])
        started = time.perf_counter()
        ids: list[int] = []
        for start in range(0, len(batch), RECORD_CHUNK):  # as evaluations are approved
            with transaction():
                ids += compose.record(batch[start : start + RECORD_CHUNK])
        recorded = time.perf_counter() - started
        meanwhile = "being sent meanwhile" if worker else "sent inline at each commit"
        yield (
            f"Recorded {len(ids):,} emails (rendered in 2 languages) in {recorded:.2f} s, "
            f"the first ones {meanwhile}."
        )
        while sent(ids) < len(ids):
            if time.perf_counter() - started > WAIT_LIMIT:
                raise RuntimeError("the emails were not all sent in time")
            time.sleep(0.1)
        seconds = time.perf_counter() - started
        rate = len(ids) / seconds
        yield (
            f"Sent {len(ids):,} in {seconds:.2f} s ({rate:.0f}/s, {rate / bare_rate:.2f} of "
            f"bare smtplib); the server received {sink.received - recipients:,}."
        )
        db.session.execute(
            delete(OutgoingEmail).where(OutgoingEmail.id.between(min(ids), max(ids)))
        )
        db.session.commit()
        vacuum_emails()
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        state.server, state.port, app.config["KINERJA_MAIL_BACKEND"] = saved
        sink.stop()
    yield json.dumps(
        {
            "bench": "email",
            "recipients": recipients,
            "seconds": round(seconds, 2),
            "per_second": round(rate, 1),
            "bare_per_second": round(bare_rate, 1),
        }
    )
