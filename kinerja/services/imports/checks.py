"""Checks shared by every kind of import (duplicates in the file, chains of codes, rows that
depend on a failed row) and the shape of one kind's importer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol

from kinerja.domain.errors import N_
from kinerja.extensions import db
from kinerja.services.imports.rows import Row

BATCH = 2000
Progress = Callable[[int, int], None]


class KindImport(Protocol):
    """One kind's importer: built with the importing person's scope, it checks every row
    (failing rows in place), then applies the valid ones with set-based statements."""

    def check(self, rows: list[Row]) -> None: ...

    def apply(self, rows: list[Row], progress: Progress | None) -> tuple[int, int]: ...


def mark_duplicates(rows: list[Row], key: str) -> None:
    first: dict[str, int] = {}
    for row in rows:
        value = row.values.get(key)
        if not value:
            continue
        if value in first:
            row.fail(
                key,
                N_("%(value)s appears again; first in row %(row)s."),
                value=value,
                row=first[value],
            )
        else:
            first[value] = row.number


def check_chain(
    rows: list[Row], reference: str, existing: dict[str, str | None], loop_message: str
) -> None:
    """Rows refer to others by code (a parent unit, a supervising position): fail the rows
    whose chain, file rows over the system's, loops; then the rows that depend on a row of
    the file that failed (unless the system already has that code)."""
    links = dict(existing)
    links.update(
        {
            row.values["kode"]: row.values.get(reference) or None
            for row in rows
            if row.ok and row.values.get("kode")
        }
    )
    for row in rows:
        if not row.ok:
            continue
        seen = {row.values["kode"]}
        current = links.get(row.values["kode"])
        while current is not None:
            if current in seen:
                row.fail(reference, loop_message)
                break
            seen.add(current)
            current = links.get(current)
    mark_dependents(rows, reference, "kode", set(existing))


def mark_dependents(rows: list[Row], reference: str, key: str, exists: set[str]) -> None:
    """Rows referring to an invalid row of the file (not already in the system) fail too."""
    changed = True
    while changed:
        changed = False
        bad = {row.values.get(key) for row in rows if not row.ok}
        for row in rows:
            target = row.values.get(reference)
            if row.ok and target and target in bad and target not in exists:
                row.fail(
                    reference,
                    N_("Row %(row)s that defines %(code)s has errors."),
                    row=_row_of(rows, key, target),
                    code=target,
                )
                changed = True


def _row_of(rows: list[Row], key: str, value: str) -> int:
    return next(row.number for row in rows if row.values.get(key) == value)


def ids(query: Any) -> set[int]:
    return set(db.session.scalars(query))


def chunks(rows: list[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
