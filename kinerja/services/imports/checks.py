"""Checks shared by every kind of import (duplicates in the file, chains of codes, rows that
depend on a failed row) and the shape of one kind's importer."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
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
    rows: list[Row], reference: str, existing: Mapping[str, str | None], loop_message: str
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
    looping = codes_reaching_a_loop(links, [row.values["kode"] for row in rows if row.ok])
    for row in rows:
        if row.ok and row.values["kode"] in looping:
            row.fail(reference, loop_message)
    mark_dependents(rows, reference, "kode", set(existing))


def codes_reaching_a_loop(links: Mapping[str, str | None], starts: Iterable[str]) -> set[str]:
    """The codes among ``starts`` (and on their chains) whose chain of links runs into a
    loop. Each chain is walked once and its verdict remembered for every code on it, so a
    file that is one deep chain costs one walk, not one per row: each link is followed at
    most once."""
    verdict: dict[str, bool] = {}
    for start in starts:
        path: list[str] = []
        on_path: set[str] = set()
        current: str | None = start
        while current is not None and current not in verdict and current not in on_path:
            path.append(current)
            on_path.add(current)
            current = links.get(current)
        loops = current is not None and (current in on_path or verdict[current])
        verdict.update(dict.fromkeys(path, loops))
    return {code for code, loops in verdict.items() if loops}


def mark_dependents(rows: list[Row], reference: str, key: str, exists: set[str]) -> None:
    """Rows referring to an invalid row of the file (not already in the system) fail too,
    and the rows referring to those, down every chain: each failed code is followed once
    to the rows that refer to it."""
    first_row: dict[str, int] = {}
    referrers: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        code, target = row.values.get(key), row.values.get(reference)
        if code:
            first_row.setdefault(code, row.number)
        if target and target not in exists:
            referrers[target].append(row)
    failed = deque(dict.fromkeys(_failed_codes(rows, key)))
    while failed:
        code = failed.popleft()
        for row in referrers.pop(code, []):
            if row.ok:
                row.fail(
                    reference,
                    N_("Row %(row)s that defines %(code)s has errors."),
                    row=first_row[code],
                    code=code,
                )
                failed.extend(_failed_codes([row], key))


def _failed_codes(rows: Iterable[Row], key: str) -> Iterator[str]:
    for row in rows:
        code = row.values.get(key)
        if code and not row.ok:
            yield code


def ids(query: Any) -> set[int]:
    return set(db.session.scalars(query))


def chunks(rows: list[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
