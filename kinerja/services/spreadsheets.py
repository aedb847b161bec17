"""Reading and writing the CSV and XLSX files of imports (templates included), and the one
rule that keeps every file we write from running formulas.

Only the file format lives here; what the columns mean is :mod:`kinerja.services.imports`.

Formula injection (OWASP "CSV Injection"): a spreadsheet program runs a cell that starts with
``=``, ``+``, ``-`` or ``@`` (and, in some, after a tab or carriage return) as a formula, so a
name or description typed as ``=HYPERLINK(...)`` would become a live link or worse in the
reader's spreadsheet. Every CSV cell we write goes through :func:`inert`, which puts a single
quote before such text. A negative number (``-12``, ``-1.234,5``: a minus, digits and
separators, nothing else) is left as it is, so it stays a number: it cannot call anything.
``+62…`` phone numbers and every other sign-led text do get the quote, which keeps them as
typed. In XLSX the type of a cell is explicit: text is written as a text cell, never as a
formula, so it needs no quote and shows exactly as stored.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kinerja.domain.errors import N_, DomainError

CSV_SUFFIXES = {".csv", ".txt"}
XLSX_SUFFIXES = {".xlsx"}
XLSX_MAGIC = b"PK\x03\x04"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEGATIVE_NUMBER = re.compile(r"-[0-9]+(?:[.,][0-9]+)*")
MIN_WIDTH = 10
MAX_WIDTH = 60
WIDTH_SAMPLE = 50  # rows looked at to size the columns (a streamed file reads them first)


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


def inert(value: Any) -> Any:
    """``value`` as a spreadsheet program will show it without running it: text that would
    start a formula gets a leading single quote; numbers, negative ones written as text
    included, and everything else are unchanged."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if NEGATIVE_NUMBER.fullmatch(value):
        return value
    return "'" + value


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


def _shown_length(value: Any) -> int:
    if isinstance(value, datetime):
        return 19
    if isinstance(value, date):
        return 10
    if isinstance(value, float):
        return len(f"{value:.2f}")
    return max((len(line) for line in cell_text(value).splitlines()), default=0)


def column_widths(header: Sequence[Any], sample: Sequence[Sequence[Any]] = ()) -> list[float]:
    """Each column as wide as its header and the ``sample`` rows' values need, within
    :data:`MIN_WIDTH` and :data:`MAX_WIDTH` characters."""
    widths = []
    for index, label in enumerate(header):
        longest = max([_shown_length(str(label)), *(_shown_length(row[index]) for row in sample)])
        widths.append(float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2))))
    return widths


def start_sheet(sheet: Any, widths: Sequence[float]) -> None:
    """Before the first row: the header row frozen and the columns' widths (a write-only
    sheet takes them only before its rows)."""
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def finish_sheet(sheet: Any, columns: int, rows: int) -> None:
    """After the last row: an autofilter over the header and the ``rows`` below it."""
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{rows + 1}"


def write_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """A CSV file (UTF-8 with BOM, for spreadsheet programs) whose cells are all inert."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([inert(cell) for cell in header])
    writer.writerows([inert(cell) for cell in row] for row in rows)
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
    start_sheet(sheet, column_widths(header, list(rows[:WIDTH_SAMPLE])))
    _append_text(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        _append_text(sheet, row)
    finish_sheet(sheet, len(header), len(rows))
    for index, name in enumerate(header, start=1):
        if name in text_columns:
            for row_cells in sheet.iter_rows(min_row=2, max_row=1000, min_col=index, max_col=index):
                for cell in row_cells:
                    cell.number_format = "@"
    if notes:
        info = workbook.create_sheet(notes_title)
        for line in notes:
            _append_text(info, line)
        for cell in info[1]:
            cell.font = Font(bold=True)
        info.column_dimensions["A"].width = 22
        info.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append_text(sheet: Any, values: Sequence[Any]) -> None:
    """Append a row; text that openpyxl would store as a formula (``=…``) is stored as the
    text it is."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"
