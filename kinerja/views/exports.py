"""The *Ekspor CSV* / *Ekspor XLSX* buttons of a list screen: the rows the person sees, with
the list's current filters, search and order, streamed as a file
(:mod:`kinerja.views.export_files` writes the cells)."""

from __future__ import annotations

from typing import Any

from flask import Response, abort
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_appbuilder.urltools import get_filter_args, get_order_args

from kinerja.views.export_files import FORMATS, file_response, query_rows


class ExportMixin:
    """Adds ``/export/`` (CSV) and ``/export/xlsx/`` to a ModelView, with the permission
    ``export`` (mapped to reading by the screens' permission names)."""

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
    @expose("/export/<kind>/")
    @has_access
    def export(self, kind: str = "csv") -> Response:
        if kind not in FORMATS:
            abort(404)
        get_filter_args(self._filters)
        joined = self._filters.get_joined_filters(self._base_filters)
        orders = get_order_args().get(self.__class__.__name__)
        order = orders if orders else (self.base_order or ("", ""))
        columns = self.export_columns or self.list_columns
        header = [str(self.label_columns.get(c, c)) for c in columns]
        rows = query_rows(self.datamodel, joined, order, columns, self.formatters_columns)
        return file_response(kind, self.datamodel.obj.__tablename__, header, columns, rows)


CsvExportMixin = ExportMixin  # the name the screens were written with
