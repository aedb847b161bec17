"""Set-based writing for the demo's large tables: the ids of new rows taken ahead (from the
table's sequence on PostgreSQL, after the largest id on SQLite), then the rows written in
one stream — ``COPY … FROM STDIN`` on PostgreSQL, where a multi-row ``INSERT`` spends more
time building its parameters than the server spends storing them; bounded ``executemany``
batches elsewhere (SQLite, the ``make run`` path). Everything stays in the caller's
transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, Table, func, insert, select, text

from kinerja.demo.org import chunks
from kinerja.extensions import db


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def new_ids(table: Table, count: int) -> list[int]:
    """``count`` unused ids of ``table``, to write rows that others refer to."""
    if count == 0:
        return []
    if _postgresql():
        sequence = func.pg_get_serial_sequence(table.name, "id")
        numbers = select(func.nextval(sequence)).select_from(func.generate_series(1, count))
        return list(db.session.scalars(numbers))
    largest = db.session.scalar(select(func.max(table.c.id))) or 0
    return list(range(largest + 1, largest + 1 + count))


def write_rows(table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Write ``rows`` (dicts with the same keys) into ``table``."""
    if not rows:
        return
    if not _postgresql():
        for chunk in chunks(list(rows)):
            db.session.execute(insert(table), chunk)
        return
    names = list(rows[0])
    as_json = {name for name in names if isinstance(table.c[name].type, JSON)}
    quote = db.session.get_bind().dialect.identifier_preparer.quote
    columns = ", ".join(quote(name) for name in names)
    connection = db.session.connection().connection.driver_connection
    assert connection is not None
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([json.dumps(row[n]) if n in as_json else row[n] for n in names])


def write_with_ids(table: Table, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Write ``rows`` with new ids (:func:`new_ids`); the ids, in the rows' order."""
    ids = new_ids(table, len(rows))
    write_rows(table, [{"id": id_, **row} for id_, row in zip(ids, rows, strict=True)])
    return ids


def analyze(tables: Sequence[Table]) -> None:
    """Fresh planner statistics for tables just filled (PostgreSQL counts the rows this
    transaction wrote), so that a statement reading them next is planned for their size."""
    if _postgresql():
        quote = db.session.get_bind().dialect.identifier_preparer.quote
        db.session.execute(text("ANALYZE " + ", ".join(quote(t.name) for t in tables)))


def insert_returning(table: Table, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` through SQLAlchemy (a table whose ids come from elsewhere than its
    own serial sequence, like FAB's users); their ids, in the same order."""
    ids: list[int] = []
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    for chunk in chunks(list(rows)):
        ids.extend(db.session.scalars(statement, chunk).all())
    return ids
