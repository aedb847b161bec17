"""Reading an import file's rows: headers to columns, cells to values, and each problem
kept with its row and column."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from typing import Any

from kinerja.domain.errors import N_, DomainError
from kinerja.services.imports.columns import (
    BOOLEAN_COLUMNS,
    COLUMNS,
    ENUM_OF,
    FALSE_WORDS,
    TRUE_WORDS,
    ImportKind,
)
from kinerja.services.spreadsheets import cell_text


@dataclass
class RowError:
    row: int
    column: str
    error: DomainError

    def as_json(self) -> list[Any]:
        return [self.row, self.column, self.error.template, self.error.params]


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    errors: list[RowError] = field(default_factory=list)

    def fail(self, column: str, template: str, **params: object) -> None:
        self.errors.append(RowError(self.number, column, DomainError(template, **params)))

    def failed(self, column: str) -> bool:
        return any(e.column == column for e in self.errors)

    @property
    def ok(self) -> bool:
        return not self.errors


def normalise_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", (name or "").strip().lower())


def header_map(kind: ImportKind, header: list[str]) -> tuple[dict[int, str], list[str]]:
    """Column index → canonical name; and the required columns that are missing."""
    lookup: dict[str, str] = {}
    for column in COLUMNS[kind]:
        for alias in (column.name, *column.aliases):
            lookup[normalise_header(alias)] = column.name
    mapping = {
        i: lookup[normalise_header(h)]
        for i, h in enumerate(header)
        if normalise_header(h) in lookup
    }
    missing = [c.name for c in COLUMNS[kind] if c.required and c.name not in mapping.values()]
    return mapping, missing


def parse_rows(
    kind: ImportKind, header: list[str], rows: Iterable[tuple[int, list[Any]]], limit: int
) -> Iterator[Row]:
    """The file's rows with typed values; a problem of a cell stays with its row."""
    mapping, _missing = header_map(kind, header)
    for count, (number, values) in enumerate(rows, start=1):
        if count > limit:
            raise DomainError(N_("The file has more than %(max)d rows; split it."), max=limit)
        raw = {name: values[i] if i < len(values) else None for i, name in mapping.items()}
        row = Row(number, {})
        for column in COLUMNS[kind]:
            value = _parse_cell(kind, row, column.name, raw.get(column.name))
            if column.required and value in (None, "") and not row.failed(column.name):
                row.fail(column.name, N_("This field is required."))
            row.values[column.name] = value
        yield row


def _parse_cell(kind: ImportKind, row: Row, column: str, value: Any) -> Any:
    enum_class = ENUM_OF.get((kind, column))
    if column == "nip" and isinstance(value, int | float):
        row.fail(
            "nip",
            N_(
                "The NIP is stored as a number and may have lost digits; format the column as text."
            ),
        )
        return cell_text(value)
    if enum_class is not None:
        return _parse_enum(row, column, enum_class, value) if cell_text(value) else None
    if column in BOOLEAN_COLUMNS:
        return _parse_bool(row, column, value, column == "aktif")
    return cell_text(value)


def _parse_enum(row: Row, column: str, enum_class: type[Enum], raw: Any) -> Any:
    member = _enum_words(enum_class).get(str(raw or "").strip().lower())
    if member is not None:
        return member
    row.fail(
        column,
        N_("Unknown value %(value)s; allowed: %(choices)s."),
        value=raw,
        choices=", ".join(str(m.value) for m in enum_class),
    )
    return None


@cache
def _enum_words(enum_class: type[Enum]) -> dict[str, Enum]:
    """Each member by its value and its name, lower-cased; the first member wins a clash."""
    words: dict[str, Enum] = {}
    for member in reversed(list(enum_class)):
        words.update({member.name.lower(): member, str(member.value).lower(): member})
    return words


def _parse_bool(row: Row, column: str, raw: Any, default: bool) -> bool:
    text = str(raw if raw is not None else "").strip().lower()
    if text == "":
        return default
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    row.fail(column, N_("Write ya or tidak, not %(value)s."), value=raw)
    return default
