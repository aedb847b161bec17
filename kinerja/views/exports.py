"""CSV export of a list screen: the same rows the person sees, with the same filters, as
plain text whose cells no spreadsheet program runs as formulas
(:func:`kinerja.services.spreadsheets.inert`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from enum import Enum
from typing import Any

from flask import Response, stream_with_context
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_appbuilder.urltools import get_filter_args, get_order_args
from flask_babel import gettext
from markupsafe import Markup
from sqlalchemy.orm import Session

from kinerja.extensions import db
from kinerja.services.spreadsheets import inert

EXPORT_BATCH = 1000


def _cell(value: Any) -> str:
    if isinstance(value, Markup):  # a screen's formatter (a link): its text only
        return value.striptags()
    if value is None:
        return ""
    if isinstance(value, Enum):
        return gettext(getattr(value, "label", str(value.value)))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


class CsvExportMixin:
    """Adds ``/export/`` to a ModelView: streams the filtered, scoped list as CSV (UTF-8 BOM,
    so spreadsheet programs read Indonesian names correctly)."""

    export_columns: list[str] | None = None
    # provided by the ModelView it is mixed into
    _filters: Any
    _base_filters: Any
    base_order: Any
    datamodel: Any
    list_columns: list[str]
    label_columns: dict[str, Any]
    formatters_columns: dict[str, Any] | None

    @expose("/export/")
    @has_access
    def export(self) -> Response:
        get_filter_args(self._filters)
        joined = self._filters.get_joined_filters(self._base_filters)
        orders = get_order_args().get(self.__class__.__name__)
        order_column, direction = orders if orders else (self.base_order or ("", ""))
        # The body streams after the request's teardown: it reads through its own session,
        # closed when the last row is written.
        session = Session(bind=db.engine)
        query = self.datamodel.apply_all(
            session.query(self.datamodel.obj), joined, order_column, direction
        )
        columns = self.export_columns or self.list_columns
        header = [str(self.label_columns.get(c, c)) for c in columns]
        name = self.datamodel.obj.__tablename__

        def rows() -> Iterator[str]:
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            buffer.write("\ufeff")
            writer.writerow([inert(label) for label in header])
            formatters = self.formatters_columns or {}
            try:
                for index, item in enumerate(query.yield_per(EXPORT_BATCH), start=1):
                    values = self.datamodel.get_values_item(item, columns)
                    writer.writerow(
                        [
                            inert(
                                _cell(formatters[c](v))
                                if c in formatters and not isinstance(v, datetime)
                                else _cell(v)
                            )
                            for c, v in zip(columns, values, strict=True)
                        ]
                    )
                    if index % EXPORT_BATCH == 0:
                        yield buffer.getvalue()
                        buffer.seek(0)
                        buffer.truncate()
                yield buffer.getvalue()
            finally:
                session.close()

        return Response(
            stream_with_context(rows()),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
