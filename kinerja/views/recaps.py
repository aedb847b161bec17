"""The recaps (:mod:`kinerja.services.recaps`): the *Rekap* screen with its filters and
download buttons, and ``GET /api/v1/recap/predikat`` (and ``ratings``, ``ikm``,
``training``) answering the same recap as XLSX or JSON. Both read their filters through one
schema; a refusal is said beside the field on the screen and as the API's one error shape
(422 naming the field) on the API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from flask import Response, abort, request
from flask_appbuilder import AppBuilder, BaseView, expose
from flask_appbuilder.api import BaseApi, protect
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate

from kinerja.domain.errors import DomainError, FieldErrors
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.services import recaps
from kinerja.views.export_files import file_response
from kinerja.views.params import MAX_ID
from kinerja.views.refusals import api_refusal, error_messages, status_of
from kinerja.views.schemas import StrictSchema, translated_messages

LOCALE_ARG = "_l_"
FORMATS = ("json", "xlsx")
F = TypeVar("F", bound=Callable[..., Any])


class RecapQuery(StrictSchema):
    """``year`` (a performance period's, or any for training JP), ``unit`` (an id within
    reach: its subtree only), ``format`` (``json`` or ``xlsx``; the API's)."""

    year = fields.Integer(
        load_default=None, validate=validate.Range(min=recaps.YEARS[0], max=recaps.YEARS[1])
    )
    unit = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID))
    format = fields.String(load_default="json", validate=validate.OneOf(FORMATS))


def _query(args: dict[str, Any]) -> dict[str, Any]:
    """The query string read by :class:`RecapQuery`; an empty ``unit`` is no unit."""
    given = {k: v for k, v in args.items() if k != LOCALE_ARG and not (k == "unit" and v == "")}
    return RecapQuery().load(given)  # type: ignore[no-any-return]


def header(recap: recaps.Recap) -> list[str]:
    return [gettext(c.label) if c.translated else c.label for c in recap.columns]


def _json_value(value: Any) -> Any:
    """A JSON value: numbers as numbers, dates as ISO text, predikat by its code."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def xlsx_response(recap: recaps.Recap) -> Response:
    keys = [column.key for column in recap.columns]
    return file_response("xlsx", recap.filename, header(recap), keys, lambda: iter(recap.rows))


_API_DOC = """{summary}
---
get:
  summary: {summary}
  description: >-
    {description} Over the units within the caller's reach, or one unit's subtree. As JSON
    (the default) or, with format=xlsx, as an XLSX file (NIP as text, numbers as numbers,
    dates as dates, the header row frozen and filtered).
  parameters:
  - in: query
    name: year
    description: the performance period's year; by default the latest period's
    schema: {{type: integer, minimum: 2000, maximum: 2100}}
  - in: query
    name: unit
    description: a unit within reach; the recap holds its subtree only
    schema: {{type: integer, minimum: 1, maximum: 2147483647}}
  - in: query
    name: format
    schema: {{type: string, enum: [json, xlsx], default: json}}
  responses:
    200:
      description: The recap
      content:
        application/vnd.openxmlformats-officedocument.spreadsheetml.sheet:
          schema: {{type: string, format: binary}}
        application/json:
          schema:
            type: object
            properties:
              kind: {{type: string}}
              year: {{type: integer}}
              unit: {{type: integer, nullable: true}}
              columns:
                type: array
                items:
                  type: object
                  properties:
                    key: {{type: string}}
                    label: {{type: string}}
              result:
                type: array
                items: {{type: object}}
    422:
      $ref: '#/components/responses/422'
"""


def _documented(summary: str, description: str) -> Callable[[F], F]:
    """The same OpenAPI text for each recap's operation, with its own summary."""

    def document(func: F) -> F:
        func.__doc__ = _API_DOC.format(summary=summary, description=description)
        return func

    return document


class RecapApi(BaseApi):
    """The recaps over the API, in the caller's reach: one operation per recap."""

    resource_name = "recap"
    class_permission_name = roles.RECAP
    method_permission_name = {kind: "read" for kind in recaps.KINDS}
    base_permissions = ["can_read"]
    openapi_spec_tag = "Recaps"

    @expose("/predikat", methods=["GET"])
    @protect()
    @_documented(
        "The predikat recap for TPP",
        "One row per employee: NIP, name, golongan, position, unit, the predikat of each "
        "evaluated sub-period and the period's rating (and whether it is final).",
    )
    def predikat(self) -> Response:
        return self._recap("predikat")

    @expose("/ratings", methods=["GET"])
    @protect()
    @_documented(
        "The ratings recap per unit",
        "Per unit: its own predikat, its employees, how many are rated (and final) and how "
        "many hold each predikat.",
    )
    def ratings(self) -> Response:
        return self._recap("ratings")

    @expose("/ikm", methods=["GET"])
    @protect()
    @_documented(
        "The IKM recap per unit",
        "Per unit with a computed index: responses, IKM, quality of service, the NRR of "
        "each element, the priorities and when it was computed.",
    )
    def ikm(self) -> Response:
        return self._recap("ikm")

    @expose("/training", methods=["GET"])
    @protect()
    @_documented(
        "The training JP recap per unit",
        "Per unit: its active employees, the year's lesson hours (JP) in total and on "
        "average, and how many are below or reach 20 JP.",
    )
    def training(self) -> Response:
        return self._recap("training")

    def _recap(self, kind: str) -> Response:
        try:
            query = _query(request.args.to_dict())
        except ValidationError as err:
            return self.response_422(message=translated_messages(err))  # type: ignore[arg-type]
        year = query["year"] or recaps.default_year()
        try:
            recap = recaps.KINDS[kind](current_scope(), year, query["unit"])
        except DomainError as refusal:
            return api_refusal(refusal)
        if query["format"] == "xlsx":
            return xlsx_response(recap)
        labels = header(recap)
        return self.response(
            200,
            kind=kind,
            year=year,
            unit=query["unit"],
            columns=[
                {"key": c.key, "label": label}
                for c, label in zip(recap.columns, labels, strict=True)
            ],
            result=[
                {key: _json_value(value) for key, value in record.items()}
                for record in recap.records()
            ],
        )


class RecapView(BaseView):
    """*Rekap*: pick a year and a unit, download a recap."""

    route_base = "/recaps"
    class_permission_name = roles.RECAP
    method_permission_name = {"index": "read", "download": "read"}
    base_permissions = ["can_read"]
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> Any:
        values = {
            "year": request.args.get("year") or recaps.default_year(),
            "unit": request.args.get("unit", ""),
        }
        return self._page(values, {})

    @expose("/download/<kind>/")
    @has_access
    def download(self, kind: str) -> Any:
        if kind not in recaps.KINDS:
            return self._page(request.args.to_dict(), {"kind": [gettext("Unknown recap.")]})
        args = {k: v for k, v in request.args.items() if k in ("year", "unit", LOCALE_ARG)}
        args["format"] = "xlsx"
        try:
            query = _query(args)
            year = query["year"] or recaps.default_year()
            recap = recaps.KINDS[kind](current_scope(), year, query["unit"])
        except ValidationError as err:
            return self._page(args, _flat(translated_messages(err)))
        except FieldErrors as refusal:
            return self._page(args, error_messages(refusal))
        except DomainError as refusal:  # outside one's role: 403
            abort(status_of(refusal))
        return xlsx_response(recap)

    def _page(self, values: dict[str, Any], errors: dict[str, list[str]]) -> Any:
        try:
            units = recaps.recap_units(current_scope())
        except DomainError as refusal:
            abort(status_of(refusal))
        return self.render_template(
            "kinerja/recaps.html",
            values=values,
            errors=errors,
            years=recaps.recap_years(),
            units=units,
            kinds=[(kind, gettext(label)) for kind, label in recaps.KIND_LABELS.items()],
        )


def _flat(messages: dict[str, Any]) -> dict[str, list[str]]:
    return {
        field: [str(m) for m in (found if isinstance(found, list) else [found])]
        for field, found in messages.items()
    }


def register_recaps(appbuilder: AppBuilder) -> None:
    """The *Rekap* screen (in the ratings menu) and its REST resource."""
    appbuilder.add_view_no_menu(RecapView)
    appbuilder.add_link(
        roles.MENU_RECAPS,
        label=_l("Recaps (Excel)"),
        href="/recaps/",
        icon="fa-file-excel-o",
        category=roles.MENU_RATINGS,
    )
    appbuilder.add_api(RecapApi)
