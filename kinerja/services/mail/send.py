"""Sending the recorded email: in batches over one SMTP connection, each email marked sent
the moment the server accepts it.

A batch is *claimed* first (``sending``, with the time: a lease) on a connection of its
own, with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL so that two jobs never take the same
email (nor two lanes of one job: :func:`parallel` batches are sent at once, each over its
own connection). The message bytes are written by :mod:`.mime`. Each accepted email is then
marked ``sent`` by :class:`.marks.SentMarks` while the next ones go out, at most
:data:`.marks.MARKS_IN_FLIGHT` behind the sender (in practice the few accepted during one
database round trip). A worker killed mid-batch therefore resends at most those few and
the one it was handing over when it died; the rest of its claim expires after
:data:`lease` and is sent by the next job. A job that ends, or fails and is retried,
has written every mark first: a retry never sends an email twice.

Failures: a refused address or message (5xx) fails that email for good; a transient one
(4xx, the connection lost or refused) puts the email back with a delay growing with each
attempt (:func:`retry_delays`), until they are used up. Without an SMTP server
(``KINERJA_MAIL_BACKEND=log``, the default of ``make run``) each email is written to the
log and marked ``logged``.

These status changes are bookkeeping of the sending (:mod:`.marks`): they commit on
their own connection and never touch the caller's session.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ARRAY, Connection, Integer, and_, any_, cast, or_, select, update

from kinerja.extensions import db, mail
from kinerja.models.base import utcnow
from kinerja.models.mail import EmailStatus, OutgoingEmail
from kinerja.services.mail import mime
from kinerja.services.mail.marks import SentMarks, autocommit, fast_commits, mark

log = logging.getLogger(__name__)

ERROR_LENGTH = 2000
table = OutgoingEmail.__table__


def batch_size() -> int:
    return max(1, int(current_app.config.get("KINERJA_MAIL_BATCH", 200)))


def retry_delays() -> tuple[float, ...]:
    """Seconds to wait before the 2nd, 3rd… attempt after a transient failure
    (``KINERJA_MAIL_RETRY_DELAYS``); after the last one, the email fails."""
    delays = tuple(float(d) for d in current_app.config["KINERJA_MAIL_RETRY_DELAYS"])
    return delays or (0.0,)


def max_attempts() -> int:
    return len(retry_delays()) + 1


def parallel() -> int:
    """How many batches are sent at once, each over its own connection
    (``KINERJA_MAIL_CONNECTIONS``): the SMTP exchange and the bookkeeping of one overlap
    the others'."""
    return max(1, int(current_app.config.get("KINERJA_MAIL_CONNECTIONS", 2)))


def lease() -> timedelta:
    """How long a claim holds: a claim older than this was left by a job that died."""
    return timedelta(seconds=int(current_app.config.get("KINERJA_MAIL_LEASE_SECONDS", 600)))


def logs_only() -> bool:
    """Whether email goes to the log instead of an SMTP server."""
    return bool(
        current_app.config.get("KINERJA_MAIL_BACKEND") == "log"
        or current_app.config.get("MAIL_SUPPRESS_SEND")
    )


@dataclass
class Delivery:
    """What one sending job did."""

    sent: int = 0
    logged: int = 0
    retrying: int = 0
    failed: int = 0
    batches: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.logged + self.retrying + self.failed

    @classmethod
    def total(cls, parts: Sequence[Delivery]) -> Delivery:
        return cls(
            sent=sum(p.sent for p in parts),
            logged=sum(p.logged for p in parts),
            retrying=sum(p.retrying for p in parts),
            failed=sum(p.failed for p in parts),
            batches=sum(p.batches for p in parts),
            errors=[e for p in parts for e in p.errors],
        )


def due(now: datetime) -> Any:
    """The emails a job may claim now: waiting, due for another attempt, or claimed by a job
    whose lease ran out."""
    return or_(
        table.c.status == EmailStatus.PENDING,
        and_(table.c.status == EmailStatus.RETRYING, table.c.next_attempt_at <= now),
        and_(table.c.status == EmailStatus.SENDING, table.c.claimed_at <= now - lease()),
    )


def among(column: Any, ids: Sequence[int]) -> Any:
    """``column`` is one of ``ids``: one array parameter on PostgreSQL (thousands of
    bound parameters cost more to build than the query costs to run)."""
    if db.engine.dialect.name == "postgresql":
        return column == any_(cast(list(ids), ARRAY(Integer)))
    return column.in_(ids)


def claim(limit: int, ids: Sequence[int] | None = None) -> list[int]:
    """Claim up to ``limit`` due emails (of ``ids`` if given) for this job; their ids."""
    now = utcnow()
    with db.engine.connect() as connection, connection.begin():
        query = select(table.c.id).where(due(now)).order_by(table.c.id).limit(limit)
        if ids is not None:
            query = query.where(among(table.c.id, ids))
        claimed = list(connection.scalars(query.with_for_update(skip_locked=True)))
        if claimed:
            connection.execute(
                update(table)
                .where(table.c.id.in_(claimed))
                .values(
                    status=EmailStatus.SENDING,
                    claimed_at=now,
                    attempts=table.c.attempts + 1,
                    updated_at=now,
                )
            )
    return claimed


def send_due(
    *, ids: Sequence[int] | None = None, progress: Callable[[int], None] | None = None
) -> Delivery:
    """Send every due email (or those of ``ids``), batch by batch, until none is left: on
    :func:`parallel` connections at once, each claiming its own batches."""
    lanes = parallel()
    if lanes == 1:
        return _send_batches(ids, Delivery(), progress)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    shared = _Progress(progress)
    found: list[Delivery] = [Delivery() for _ in range(lanes)]
    failures: list[BaseException] = []

    def lane(delivery: Delivery) -> None:
        try:
            with app.app_context():
                _send_batches(ids, delivery, shared.report)
        except BaseException as exc:  # re-raised by the job's thread below
            failures.append(exc)

    threads = [threading.Thread(target=lane, args=(d,), name="send-email") for d in found]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return Delivery.total(found)


class _Progress:
    """The emails handled by every lane, reported in order."""

    def __init__(self, progress: Callable[[int], None] | None) -> None:
        self.progress = progress
        self.lock = threading.Lock()
        self.handled = 0
        self.seen: dict[int, int] = {}

    def report(self, handled: int) -> None:
        with self.lock:
            lane = threading.get_ident()
            self.handled += handled - self.seen.get(lane, 0)
            self.seen[lane] = handled
            if self.progress is not None:
                self.progress(self.handled)


def _send_batches(
    ids: Sequence[int] | None, delivery: Delivery, progress: Callable[[int], None] | None
) -> Delivery:
    while True:
        claimed = claim(batch_size(), ids)
        if not claimed:
            return delivery
        deliver(claimed, delivery)
        delivery.batches += 1
        if progress is not None:
            progress(delivery.handled)
        if delivery.errors and delivery.sent == 0 and delivery.logged == 0:
            # The server is unreachable: stop here; the emails wait for their next attempt.
            return delivery


def deliver(ids: Sequence[int], delivery: Delivery) -> None:
    """Send the claimed emails ``ids`` over one connection, recording each outcome."""
    with db.engine.connect() as pooled, fast_commits(autocommit(pooled)) as connection:
        rows = connection.execute(
            select(
                table.c.id,
                table.c.address,
                table.c.subject,
                table.c.text_body,
                table.c.html_body,
                table.c.attempts,
            )
            .where(among(table.c.id, ids), table.c.status == EmailStatus.SENDING)
            .order_by(table.c.id)
        ).all()
        connection.rollback()  # end the read: each outcome commits on its own
        if logs_only():
            _log_all(connection, rows, delivery)
            return
        _send_all(connection, rows, delivery)


def _send_all(connection: Connection, rows: Sequence[Any], delivery: Delivery) -> None:
    header_from, envelope_from = mime.sender_of(current_app.config["MAIL_DEFAULT_SENDER"])
    remaining = list(rows)
    try:
        with mail.connect() as smtp, SentMarks(connection) as marks:
            host = smtp.host
            assert host is not None  # suppressed sending is logs_only(), never here
            host.ehlo_or_helo_if_needed()
            eight_bit = host.has_extn("8bitmime")
            options = ["BODY=8BITMIME"] if eight_bit else []
            while remaining:
                row = remaining[0]
                message_id, data = mime.build(
                    header_from,
                    row.address,
                    row.subject,
                    row.text_body,
                    row.html_body,
                    eight_bit=eight_bit,
                )
                try:
                    host.sendmail(envelope_from, [row.address], data, options)
                except smtplib.SMTPRecipientsRefused as exc:
                    code, text = next(iter(exc.recipients.values()), (550, b""))
                    _refused(connection, row, code, text, delivery)
                except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
                    _refused(connection, row, exc.smtp_code, exc.smtp_error, delivery)
                else:
                    marks.add(row.id, message_id)
                    delivery.sent += 1
                remaining.pop(0)
    except (smtplib.SMTPException, OSError) as exc:
        # The connection failed (refused, lost, timed out): everything not yet sent waits.
        reason = f"{type(exc).__name__}: {exc}"
        log.warning("SMTP failed with %d emails left: %s", len(remaining), reason)
        delivery.errors.append(reason)
        for row in remaining:
            _transient(connection, row, reason, delivery)


def _refused(
    connection: Connection, row: Any, code: int, text: bytes | str, delivery: Delivery
) -> None:
    reason = f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
    if 400 <= code < 500:
        _transient(connection, row, reason, delivery)
        return
    mark(
        connection,
        row.id,
        status=EmailStatus.FAILED,
        error=reason[:ERROR_LENGTH],
        next_attempt_at=None,
    )
    delivery.failed += 1


def _transient(connection: Connection, row: Any, reason: str, delivery: Delivery) -> None:
    """Try again later, or give up once the retry delays are used up."""
    delays = retry_delays()
    if row.attempts > len(delays):
        mark(
            connection,
            row.id,
            status=EmailStatus.FAILED,
            error=reason[:ERROR_LENGTH],
            next_attempt_at=None,
        )
        delivery.failed += 1
        return
    delay = delays[max(row.attempts, 1) - 1]
    mark(
        connection,
        row.id,
        status=EmailStatus.RETRYING,
        error=reason[:ERROR_LENGTH],
        next_attempt_at=utcnow() + timedelta(seconds=delay),
    )
    delivery.retrying += 1


def _log_all(connection: Connection, rows: Sequence[Any], delivery: Delivery) -> None:
    for row in rows:
        log.info(
            "Email (not sent, no SMTP server) to %s: %s\n%s",
            row.address,
            row.subject,
            row.text_body,
        )
    if rows:
        now = utcnow()
        with connection.begin():
            connection.execute(
                update(table)
                .where(table.c.id.in_([row.id for row in rows]))
                .values(status=EmailStatus.LOGGED, sent_at=now, error=None, updated_at=now)
            )
        delivery.logged += len(rows)
