"""``GET /api/v1/<resource>/export.csv`` and ``export.xlsx``: the resource's list as a
file, with the same rison ``q`` (filters, order) as the list and the same scope, every row
rather than a page, streamed (:mod:`kinerja.views.export_files`). The header row holds the
columns' names, as the JSON list does."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_appbuilder.api import expose, get_list_schema, rison, safe
from flask_appbuilder.exceptions import FABException
from flask_appbuilder.security.decorators import permission_name, protect

from kinerja.views.export_files import FORMATS, file_response, query_rows


class ApiExportMixin:
    """Mixed into :class:`kinerja.views.rest.KinerjaModelApi`; reading a resource is
    enough to export it (permission name ``export``)."""

    # provided by the ModelRestApi it is mixed into
    datamodel: Any
    list_columns: list[str]
    resource_name: str

    @expose("/export.<kind>", methods=["GET"])
    @protect()
    @safe
    @permission_name("export")
    @rison(get_list_schema)
    def export(self, kind: str, **kwargs: Any) -> Response:
        """Every row of the list that ``q`` selects, as CSV or XLSX.
        ---
        get:
          description: >-
            The list as a file: the same rison q as the list (filters, order_column,
            order_direction; page and page_size are ignored: every row is written), in the
            caller's scope. NIP cells are text, date-times local (Asia/Jakarta by
            default); text that a spreadsheet would run as a formula starts with '.
          parameters:
          - in: path
            name: kind
            required: true
            schema: {type: string, enum: [csv, xlsx]}
          - in: query
            name: q
            content:
              application/json:
                schema: {$ref: '#/components/schemas/get_list_schema'}
          responses:
            200:
              description: The file, as an attachment
              content:
                text/csv:
                  schema: {type: string}
                application/vnd.openxmlformats-officedocument.spreadsheetml.sheet:
                  schema: {type: string, format: binary}
        """
        if kind not in FORMATS:
            return self.response_404()  # type: ignore[attr-defined, no-any-return]
        args = kwargs.get("rison", {})
        try:
            filters = self._handle_filters_args(args)  # type: ignore[attr-defined]
            order = self._handle_order_args(args)  # type: ignore[attr-defined]
        except FABException as problem:
            return self.response_400(message=str(problem))  # type: ignore[attr-defined, no-any-return]
        columns = list(self.list_columns)
        rows = query_rows(self.datamodel, filters, order, columns)
        return file_response(kind, self.resource_name, columns, columns, rows)
