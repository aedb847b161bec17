"""Recording the outcome of each email as it is sent: bookkeeping of the sending, like
the outbox's hand-over, on a connection of its own and never the caller's session. Status
changes commit on their own, asynchronously on PostgreSQL (``synchronous_commit off``:
durable against a dying worker, which is the failure that matters here, at a fraction of
the cost)."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import Connection, update

from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.mail import EmailStatus, OutgoingEmail

MARK_SENT = (
    "UPDATE outgoing_email AS e SET status = %s, sent_at = v.at, message_id = v.mid, "
    "error = NULL, next_attempt_at = NULL, claimed_at = NULL, updated_at = v.at "
    "FROM unnest(%s::int[], %s::varchar[], %s::timestamptz[]) AS v(id, mid, at) "
    "WHERE e.id = v.id"
)
# Accepted emails whose "sent" may still be on its way to the database: the sender waits
# for the bookkeeping beyond this many (a worker killed here resends at most these).
MARKS_IN_FLIGHT = 16
# How long the bookkeeping waits for more marks before it writes those it has: one
# statement for several emails costs the database and the worker a fraction of one each.
MARKS_LINGER = 0.005


table = OutgoingEmail.__table__


def mark(connection: Connection, email_id: int, **values: Any) -> None:
    with connection.begin():
        connection.execute(
            update(table)
            .where(table.c.id == email_id)
            .values(**values, claimed_at=None, updated_at=utcnow())
        )


def autocommit(connection: Connection) -> Connection:
    """Each status change is a statement of its own: no BEGIN and COMMIT around it (one
    round trip per email instead of three); the pool resets the connection after."""
    return connection.execution_options(isolation_level="AUTOCOMMIT")


@contextmanager
def fast_commits(connection: Connection) -> Iterator[Connection]:
    """Asynchronous commits for this connection's status changes (PostgreSQL only), reset
    before the connection goes back to the pool."""
    if connection.dialect.name != "postgresql":
        yield connection
        return
    connection.exec_driver_sql("SET synchronous_commit TO OFF")
    try:
        yield connection
    finally:
        connection.rollback()
        connection.exec_driver_sql("RESET synchronous_commit")


class SentMarks:
    """Marks accepted emails ``sent`` while the next ones go out: on PostgreSQL from a
    thread and a connection of its own, every mark waiting at that moment in one
    statement (one per email on the sender's path cost a third of its time). The sender
    waits once :data:`MARKS_IN_FLIGHT` are unwritten, and leaving the block waits for all:
    a job never ends, nor a retry starts, with an accepted email not marked. Elsewhere
    (SQLite: one writer) each mark is written at once, as it comes."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.threaded = connection.dialect.name == "postgresql"
        self.waiting: queue.SimpleQueue[tuple[int, str, datetime] | None] = queue.SimpleQueue()
        self.room = threading.BoundedSemaphore(MARKS_IN_FLIGHT)
        self.failure: BaseException | None = None
        self.closed = False
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self._write, args=(app,), name="mark-sent")

    def __enter__(self) -> SentMarks:
        if self.threaded:
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.threaded:
            self.waiting.put(None)
            self.thread.join()
        if self.failure is not None:
            raise self.failure

    def add(self, email_id: int, message_id: str) -> None:
        if not self.threaded:
            now = utcnow()
            mark(
                self.connection,
                email_id,
                status=EmailStatus.SENT,
                sent_at=now,
                message_id=message_id,
            )
            return
        self.room.acquire()
        if self.failure is not None:
            raise self.failure
        self.waiting.put((email_id, message_id, utcnow()))

    def _write(self, app: Any) -> None:
        try:
            with (
                app.app_context(),
                db.engine.connect() as pooled,
                fast_commits(autocommit(pooled)) as connection,
            ):
                self._drain(connection)
        except BaseException as exc:  # the connection itself failed: raised by the sender
            self.failure = self.failure or exc
            if not self.closed:
                self._drain(None)

    def _drain(self, connection: Connection | None) -> None:
        """Write what waits, many at a time, until the sender says it is done; after a
        failure only make room, so that the sender meets the failure instead of waiting."""
        while not self.closed:
            marks = [self.waiting.get()]
            until = time.monotonic() + MARKS_LINGER
            while marks[-1] is not None and len(marks) < MARKS_IN_FLIGHT // 2:
                try:
                    marks.append(self.waiting.get(timeout=max(0.0, until - time.monotonic())))
                except queue.Empty:
                    break
            self.closed = marks[-1] is None
            done = [mark for mark in marks if mark is not None]
            if done and connection is not None and self.failure is None:
                try:
                    _mark_sent(connection, done)
                except BaseException as exc:
                    self.failure = exc
            for _ in done:
                self.room.release()


def _mark_sent(connection: Connection, marks: Sequence[tuple[int, str, datetime]]) -> None:
    """Emails accepted, ``(id, message id, time)``: one statement on the driver's cursor
    (SQLAlchemy's own work per statement doubled its cost)."""
    ids, message_ids, times = zip(*marks, strict=True)
    cursor = connection.connection.cursor()
    try:
        cursor.execute(
            MARK_SENT, (EmailStatus.SENT.value, list(ids), list(message_ids), list(times))
        )
    finally:
        cursor.close()
