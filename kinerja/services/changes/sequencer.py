"""Numbering committed changes: the cursor of the change feed.

The triggers write a change without a ``seq``. :func:`sequence` gives every committed,
unnumbered change the next numbers, in the order of their ids, in one statement on a
connection of its own, under a transaction-wide advisory lock on PostgreSQL: two
sequencers never interleave, and a reader that sees ``seq`` *n* sees every number below it
(they were committed together or before). A transaction still running when it numbers is
numbered by a later call, after every number already given: a reader that went past them
never misses it. On SQLite writers take turns, so the ids are already in commit order.

It runs before every read of the feed; it is cheap when there is nothing to number (one
index probe) and idempotent.
"""

from __future__ import annotations

from sqlalchemy import text

from kinerja.extensions import db

LOCK_KEY = 0x6B6E6A6368  # "knjch": the change sequencer's advisory lock

_POSTGRESQL = text(
    "UPDATE change SET seq = numbered.seq FROM ("
    " SELECT id, (SELECT COALESCE(MAX(seq), 0) FROM change)"
    " + row_number() OVER (ORDER BY id) AS seq FROM change WHERE seq IS NULL"
    ") AS numbered WHERE change.id = numbered.id"
)
_SQLITE = text("UPDATE change SET seq = id WHERE seq IS NULL")


def sequence() -> int:
    """Number the committed changes that have no ``seq`` yet; how many were numbered."""
    with db.engine.connect() as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            result = connection.execute(_POSTGRESQL)
        else:
            result = connection.execute(_SQLITE)
        return int(result.rowcount or 0)
