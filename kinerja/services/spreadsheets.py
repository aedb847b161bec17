"""Reading and writing the CSV and XLSX files of imports (templates included).

Only the file format lives here; what the columns mean is :mod:`kinerja.services.imports`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from kinerja.domain.errors import N_, DomainError

CSV_SUFFIXES = {".csv", ".txt"}
XLSX_SUFFIXES = {".xlsx"}
XLSX_MAGIC = b"PK\x03\x04"


class UnreadableFile(DomainError):
    """The file is not a CSV or XLSX file we can read."""


def cell_text(value: Any) -> str:
    """A cell as text; numbers that are whole stay whole (``1`` not ``1.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def read_table(path: Path, filename: str) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """Header and ``(row number, values)`` of the first sheet; row 1 is the header."""
    suffix = Path(filename).suffix.lower()
    with path.open("rb") as handle:
        magic = handle.read(4)
    if suffix in XLSX_SUFFIXES or magic == XLSX_MAGIC:
        if magic != XLSX_MAGIC:
            raise UnreadableFile(N_("This is not an XLSX file; save it as .xlsx or .csv."))
        return _read_xlsx(path)
    if suffix in CSV_SUFFIXES:
        return _read_csv(path)
    raise UnreadableFile(N_("Only .csv and .xlsx files can be imported."))


def _read_csv(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise UnreadableFile(N_("The file's text encoding is not readable; save it as UTF-8."))
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise UnreadableFile(N_("The file is empty.")) from None

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, values in enumerate(reader, start=2):
            if any(v.strip() for v in values):
                yield number, values

    return header, rows()


def _read_xlsx(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise UnreadableFile(
            N_("The XLSX file could not be read: %(reason)s"), reason=type(exc).__name__
        ) from None
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        header = [cell_text(v) for v in next(iterator)]
    except StopIteration:
        workbook.close()
        raise UnreadableFile(N_("The file is empty.")) from None

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, values in enumerate(iterator, start=2):
                if any(v not in (None, "") for v in values):
                    yield number, list(values)
        finally:
            workbook.close()

    return header, rows()


def write_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    text_columns: Sequence[str] = (),
    notes: Sequence[Sequence[str]] = (),
    notes_title: str = "Petunjuk",
) -> bytes:
    """A workbook with the data sheet (``text_columns`` formatted as text, so an 18-digit NIP
    is not turned into a rounded number) and a sheet of notes on the columns."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for index, name in enumerate(header, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(14, len(name) + 4)
        if name in text_columns:
            for row_cells in sheet.iter_rows(min_row=2, max_row=1000, min_col=index, max_col=index):
                for cell in row_cells:
                    cell.number_format = "@"
    if notes:
        info = workbook.create_sheet(notes_title)
        for line in notes:
            info.append(list(line))
        for cell in info[1]:
            cell.font = Font(bold=True)
        info.column_dimensions["A"].width = 22
        info.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
