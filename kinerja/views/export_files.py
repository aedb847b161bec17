"""Streaming a list as a CSV or XLSX file: the one place that knows how a cell is written,
for the screens' *Ekspor* buttons (:mod:`kinerja.views.exports`) and the API's
``export.csv``/``export.xlsx`` (:mod:`kinerja.views.rest_exports`) alike.

* Rows are read in batches through a session of their own (the body is sent after the
  request's own session is gone) and written as they come: CSV chunk by chunk, XLSX with
  openpyxl's write-only workbook into a temporary file that is then sent in chunks and
  removed. Memory stays flat whatever the number of rows.
* A NIP (any column named ``nip`` or ``….nip``) is a text cell: Excel keeps only 15 digits
  of a number, and an 18-digit NIP would come back rounded.
* Date-times are written in the local time zone (``BABEL_DEFAULT_TIMEZONE``, by default
  Asia/Jakarta): the readers are in Indonesia and a spreadsheet has no time zones.
* Every sheet has the shared dressing of :mod:`kinerja.services.spreadsheets`: the header
  row frozen, an autofilter, columns sized from the header and the first rows.
* No cell runs as a formula: text goes through :func:`kinerja.services.spreadsheets.inert`
  (a leading ``'`` before ``= + - @``, tab or CR), in XLSX too, where it is also typed as
  text, never as a formula.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, current_app, stream_with_context
from flask_babel import gettext
from markupsafe import Markup
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from sqlalchemy.orm import Session

from kinerja.extensions import db
from kinerja.services.spreadsheets import (
    WIDTH_SAMPLE,
    column_widths,
    finish_sheet,
    inert,
    start_sheet,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"csv": "text/csv", "xlsx": XLSX_TYPE}
BATCH = 1000
CHUNK = 64 * 1024
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DATE_FORMAT = "yyyy-mm-dd"


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Jakarta")


def is_text_column(column: str) -> bool:
    """Columns written as text whatever they look like: the NIP."""
    return column == "nip" or column.endswith(".nip")


def plain(value: Any, zone: ZoneInfo) -> Any:
    """A value as a spreadsheet holds it: text, a number, a local date-time or a date."""
    if isinstance(value, Markup):  # a screen's formatter (a link): its text only
        return value.striptags()
    if value is None:
        return ""
    if isinstance(value, Enum):
        return gettext(getattr(value, "label", str(value.value)))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(zone).replace(tzinfo=None)
    if isinstance(value, int | float | Decimal | date):
        return value
    if isinstance(value, list | tuple):
        return ", ".join(str(plain(item, zone)) for item in value)
    return str(value)


def _csv_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """UTF-8 with a BOM (so spreadsheet programs read Indonesian names), in chunks."""
    zone = local_zone()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([inert(str(label)) for label in header])
    for index, row in enumerate(rows, start=1):
        writer.writerow([inert(_csv_text(plain(value, zone))) for value in row])
        if index % BATCH == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _xlsx_cell(sheet: Any, value: Any, text: bool) -> WriteOnlyCell:
    if text or isinstance(value, str):
        # control characters other than tab, LF and CR cannot be stored in a worksheet
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", inert(str(value))))
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if text:
            cell.number_format = "@"
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell


def xlsx_chunks(
    header: Sequence[str], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Iterator[bytes]:
    """A write-only workbook built in a temporary file, then sent in chunks and removed.
    The first rows are read ahead to size the columns (a write-only sheet takes widths only
    before its rows)."""
    zone = local_zone()
    texts = [is_text_column(column) for column in columns]
    values = ([plain(value, zone) for value in row] for row in rows)
    ahead = list(itertools.islice(values, WIDTH_SAMPLE))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    start_sheet(sheet, column_widths(header, ahead))
    bold = Font(bold=True)
    heading = []
    for label in header:
        cell = _xlsx_cell(sheet, str(label), True)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    count = 0
    for row in itertools.chain(ahead, values):
        sheet.append(
            [_xlsx_cell(sheet, value, text) for value, text in zip(row, texts, strict=True)]
        )
        count += 1
    finish_sheet(sheet, len(header), count)
    handle, path = tempfile.mkstemp(prefix="kinerja-export-", suffix=".xlsx")
    os.close(handle)
    try:
        workbook.save(path)
        with open(path, "rb") as saved:
            while chunk := saved.read(CHUNK):
                yield chunk
    finally:
        os.remove(path)


def file_response(
    kind: str,
    name: str,
    header: Sequence[str],
    columns: Sequence[str],
    rows: Callable[[], Iterator[Sequence[Any]]],
) -> Response:
    """The streamed answer: ``rows()`` is called when the body starts to be sent."""

    def body() -> Iterator[bytes]:
        if kind == "xlsx":
            yield from xlsx_chunks(header, columns, rows())
        else:
            yield from csv_chunks(header, rows())

    return Response(
        stream_with_context(body()),
        mimetype=FORMATS[kind],
        headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'},
        direct_passthrough=True,
    )


RAW_TYPES = (datetime, date)  # written as local dates, whatever a screen shows


def query_rows(
    datamodel: Any,
    filters: Any,
    order: tuple[str, str],
    columns: Sequence[str],
    formatters: dict[str, Callable[[Any], Any]] | None = None,
) -> Callable[[], Iterator[list[Any]]]:
    """The rows of ``datamodel`` that ``filters`` (the caller's scope among them) let
    through, in ``order``, as the values of ``columns``. The query is built now, in the
    request; it runs when the body is sent, through a session of its own, closed after
    the last row. A screen's ``formatters`` (links, labels) apply as on the screen, but
    to dates, which the file keeps as dates in local time."""
    session = Session(bind=db.engine)
    query = datamodel.apply_all(session.query(datamodel.obj), filters, *order)
    shown = formatters or {}

    def rows() -> Iterator[list[Any]]:
        try:
            for item in query.yield_per(BATCH):
                values = datamodel.get_values_item(item, columns)
                yield [
                    shown[column](value)
                    if column in shown and value is not None and not isinstance(value, RAW_TYPES)
                    else value
                    for column, value in zip(columns, values, strict=True)
                ]
        finally:
            session.close()

    return rows
