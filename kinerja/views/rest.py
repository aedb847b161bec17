"""The REST resource every model gets: scoped like its screen, saving through the same use
cases, refusals answered in the API's one error shape by
:func:`kinerja.views.refusals.api_refusal` (FAB's own answers are put in it by
:mod:`kinerja.views.api_errors`).

Custom endpoints read their bodies with a marshmallow schema (``unknown=RAISE``) through
:meth:`KinerjaModelApi.body`, so a wrong field is named in a 422, never guessed at.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any, ClassVar

from apispec import APISpec
from flask import Response, request
from flask_appbuilder.const import API_FILTERS_RIS_KEY
from flask_appbuilder.exceptions import (
    FABException,
    InvalidColumnFilterFABException,
    InvalidOperationFilterFABException,
)
from flask_appbuilder.models.filters import BaseFilter, Filters
from flask_babel import gettext
from marshmallow import Schema, ValidationError
from sqlalchemy import inspect as sa_inspect

from kinerja.domain.errors import ConflictError, DomainError
from kinerja.extensions import db
from kinerja.security.current import current_scope
from kinerja.security.policies import policy_for
from kinerja.services.versions import CHANGED_MEANWHILE, current_version, parse_version
from kinerja.views.filters import READABLE
from kinerja.views.labels import CommonLabels
from kinerja.views.list_args import light_copy
from kinerja.views.openapi import DocumentedResource, document_resource
from kinerja.views.params import filter_value, parse_pk
from kinerja.views.refusals import api_refusal
from kinerja.views.rest_exports import ApiExportMixin
from kinerja.views.rest_lists import ListingApi
from kinerja.views.schemas import translated_messages
from kinerja.views.screens import readable_choices

API_METHOD_PERMISSIONS = {
    "get_list": "read",
    "get": "read",
    "info": "read",
    "post": "add",
    "put": "edit",
    "delete": "delete",
    "export": "read",
}


def _names_no_row(value: Any) -> bool:
    """Whether a loaded relation holds a row that is not in the database: marshmallow-
    sqlalchemy makes a new, empty row of an id it does not find."""
    rows = value if isinstance(value, list) else [value]
    return any(row is not None and not sa_inspect(row).has_identity for row in rows)


class InvalidFilterValue(FABException):
    """A filter's value that its column cannot hold (FAB answers its exceptions with 400)."""


WRITE_METHODS = ("post", "put", "delete")


def is_versioned(model: Any) -> bool:
    """Whether rows of ``model`` carry a ``row_version`` (ETag and If-Match apply)."""
    return hasattr(model, "row_version")


def etag(row: Any) -> str:
    return f'"{current_version(row)}"'


def if_match_refusal(row: Any) -> Response | None:
    """The 409 answer when ``If-Match`` names another version of ``row`` than the current
    one; None when it matches, is ``*`` or is absent (clients written before the check)."""
    header = request.headers.get("If-Match")
    if header is None or not is_versioned(type(row)):
        return None
    tags = [tag.strip() for tag in header.split(",") if tag.strip()]
    if "*" in tags:
        return None
    if current_version(row) in {parse_version(tag) for tag in tags}:
        return None
    return api_refusal(ConflictError(CHANGED_MEANWHILE))


def with_etag(response: Response, row: Any) -> Response:
    if row is not None and is_versioned(type(row)) and response.status_code < 300:
        response.headers["ETag"] = etag(row)
    return response


class KinerjaModelApi(CommonLabels, ApiExportMixin, DocumentedResource, ListingApi):
    """A REST resource scoped by its model's policy, saving through a use case."""

    base_filters = READABLE
    # filters on what is not a column of the model (an evaluation's period), by name
    extra_filters: ClassVar[dict[str, list[type[BaseFilter]]]] = {}
    method_permission_name = API_METHOD_PERMISSIONS
    save_item: ClassVar[Callable[..., Any] | None] = None  # (row, scope), a use case
    delete_item: ClassVar[Callable[..., Any] | None] = None  # (row, scope), a use case
    # FAB's own attributes, typed here (FAB ships no type information)
    add_query_rel_fields: dict[str, Any] | None = None
    edit_query_rel_fields: dict[str, Any] | None = None

    def __init__(self) -> None:
        """A verb the resource does not offer is not routed (405) nor described."""
        offered = {
            method
            for method in WRITE_METHODS
            if self.base_permissions is None or self.offers(method)
        }
        excluded: set[str] = set(getattr(type(self), "exclude_route_methods", ()))
        self.exclude_route_methods = excluded | (set(WRITE_METHODS) - offered)
        super().__init__()

    def _register_urls(self) -> None:
        """FAB routes ``GET /<int:pk>``: any other key (``-1``, ``abc``) would match only
        PUT/DELETE and answer 405; it names no row, 404 (see ``refuse_unreadable_ids``)."""
        super()._register_urls()
        self.blueprint.add_url_rule(
            "/<pk>", "get_no_row", lambda pk: self.response_404(), methods=["GET"]
        )

    def add_api_spec(self, api_spec: APISpec) -> None:
        super().add_api_spec(api_spec)
        document_resource(self, api_spec)

    def _init_properties(self) -> None:
        super()._init_properties()
        self.add_query_rel_fields = readable_choices(
            self.datamodel, self.add_columns, self.add_query_rel_fields
        )
        self.edit_query_rel_fields = readable_choices(
            self.datamodel, self.edit_columns, self.edit_query_rel_fields
        )

    def offers(self, method: str) -> bool:
        """Whether this resource offers ``method`` (``post``, ``put``…) at all."""
        permission = self.method_permission_name.get(method, method)
        return f"can_{permission}" in self.base_permissions

    def _get_fields_info(
        self, cols: list[str], model_schema: Any, filter_rel_fields: Any, **kwargs: Any
    ) -> list[dict[str, Any]]:
        """``_info`` describes the fields of a new or changed row only where the resource
        offers that verb (FAB would describe every default column, with every related row
        as a choice, to anybody who may read the resource)."""
        if model_schema is self.add_model_schema and not self.offers("post"):
            return []
        if model_schema is self.edit_model_schema and not self.offers("put"):
            return []
        fields: list[dict[str, Any]] = super()._get_fields_info(
            cols, model_schema, filter_rel_fields, **kwargs
        )
        for field in fields:  # FAB translates a missing description: gettext("") is the
            if field.get("description") == gettext(""):  # catalogue's header
                field["description"] = ""
        return fields

    def _manageable(self, pk: Any) -> Any | None:
        return policy_for(self.datamodel.obj).manageable(current_scope(), parse_pk(pk))

    def _readable(self, pk: Any) -> Any | None:
        return policy_for(self.datamodel.obj).readable(current_scope(), parse_pk(pk))

    def _handle_filters_args(self, rison_args: dict[str, Any]) -> Filters:
        """The list's filters from ``q``, each value read by :func:`filter_value`: a value
        its column cannot hold (an unknown enum value, a number too large, a list where an
        id belongs) answers 400 instead of reaching the database. Each operator is looked
        up among its own column's filters (FAB looks it up in one process-wide table that
        any filter class of the same name overwrites), and the filters are built per
        request (FAB fills one shared object, which concurrent requests would mix)."""
        joined = light_copy(self._base_filters)
        for item in rison_args.get(API_FILTERS_RIS_KEY, []):
            flt = self._search_filter(item["col"], item["opr"])
            try:
                value = filter_value(flt, item["value"])
            except ValueError as problem:
                raise InvalidFilterValue(f"Filter value of {item['col']}: {problem}") from None
            joined._add_filter(flt, value)
        return joined

    def _search_filter(self, column: str, operator: str) -> BaseFilter:
        filters = self._filters.get_search_filters().get(column) or self.extra_filters.get(column)
        if filters is None:
            raise InvalidColumnFilterFABException(f"Filter column: {column} not allowed to filter")
        for flt in filters:  # FAB keeps a view's ``search_filters`` as classes
            if flt.arg_name == operator:
                return flt(column, self.datamodel) if isinstance(flt, type) else flt
        raise InvalidOperationFilterFABException(
            f"Filter operation: {operator} not allowed on column: {column}"
        )

    def get_headless(self, pk: Any, **kwargs: Any) -> Any:
        """One row; a versioned row's answer carries its ``ETag`` (send it back in
        ``If-Match`` to change the row only if nobody changed it since)."""
        if parse_pk(pk) is None:
            return self.response_404()
        response = super().get_headless(pk, **kwargs)
        if response.status_code == 200 and is_versioned(self.datamodel.obj):
            with_etag(response, self._readable(pk))
        return response

    def use_case(self, step: Callable[[], Any]) -> tuple[Any, Response | None]:
        """Run a use case; its refusal becomes the answer."""
        try:
            return step(), None
        except DomainError as refusal:
            return None, api_refusal(refusal)

    def body(self, schema: Schema) -> dict[str, Any] | Response:
        """The request's JSON object loaded by ``schema``, or the 400/422 answer saying what
        is wrong with it (an empty body is an empty object)."""
        data = request.get_json(silent=True) if request.data else {}
        if not isinstance(data, dict):
            return self.response_400(message=gettext("Request body must be a JSON object."))
        try:
            loaded: dict[str, Any] = schema.load(data)
        except ValidationError as err:
            return self.response_422(message=translated_messages(err))  # type: ignore[arg-type]
        return loaded

    def from_body(
        self,
        schema: Schema,
        step: Callable[[dict[str, Any]], Any],
        answer: Callable[[Any, dict[str, Any]], Response],
    ) -> Response:
        """An operation on the resource rather than on one row: the body must fit ``schema``;
        the use case ``step(body)`` decides (its refusal answers) and ``answer(result, body)``
        is the response."""
        data = self.body(schema)
        if isinstance(data, Response):
            return data
        result, refused = self.use_case(lambda: step(data))
        return refused or answer(result, data)

    def change_state(
        self,
        pk: Any,
        schema: Schema,
        step: Callable[[Any, dict[str, Any]], Any],
        answer: Callable[[Any], dict[str, Any]],
    ) -> Response:
        """A state-change endpoint: the row must be readable (else 404), the body must fit
        ``schema``; the use case ``step(row, body)`` decides (its refusal answers) and the
        answer is ``answer(row)`` of the row as it now stands."""
        row = self._readable(pk)
        if row is None:
            return self.response_404()
        stale = if_match_refusal(row)
        if stale is not None:
            return stale
        data = self.body(schema)
        if isinstance(data, Response):
            return data
        result, refused = self.use_case(lambda: step(row, data))
        if refused is not None:
            return refused
        changed = result if isinstance(result, type(row)) else row
        return with_etag(self.response(200, result=answer(changed)), changed)

    def clean_payload(self, data: dict[str, Any]) -> dict[str, list[str]]:
        """A related row is named by its id: anything else (an object, a list, a huge number)
        is refused here, before marshmallow-sqlalchemy would try to build a row from it."""
        errors: dict[str, list[str]] = {}
        for column, value in list(data.items()):
            if value is None or not self.datamodel.is_relation(column):
                continue
            if parse_pk(value) is None or not isinstance(value, int | str):
                errors[column] = [gettext("Not a valid choice.")]
                del data[column]
        return errors

    def _load(self, schema: Any, data: dict[str, Any], **kwargs: Any) -> Any:
        """Load a JSON body into an item, or return a 422 response naming the fields."""
        errors = self.clean_payload(data)
        try:
            with db.session.no_autoflush:
                item = schema.load(data, **kwargs)
        except ValidationError as err:
            return self.response_422(message={**translated_messages(err), **errors})  # type: ignore[arg-type]
        errors |= {
            column: [gettext("Not a valid choice.")]
            for column in data
            if self.datamodel.is_relation(column) and _names_no_row(getattr(item, column, None))
        }
        if errors:
            return self.response_422(message=errors)
        return item

    def _with_column_defaults(self, data: dict[str, Any]) -> dict[str, Any]:
        """Columns with a plain default (a kind, an order, a flag) may be left out of a new
        row, although FAB's schema marks every non-null column as required."""
        table = self.datamodel.obj.__table__
        for name in self.add_columns:
            column = table.columns.get(name)
            default = getattr(column, "default", None)
            if column is None or default is None or not default.is_scalar or name in data:
                continue
            value = default.arg
            data[name] = value.value if isinstance(value, Enum) else value
        return data

    def _json_object(self) -> dict[str, Any] | None:
        data = request.get_json(silent=True) if request.is_json else None
        return dict(data) if isinstance(data, dict) else None

    def post_headless(self) -> Any:
        data = self._json_object()
        if data is None:
            return self.response_400(message=gettext("Request body must be a JSON object."))
        item = self._load(self.add_model_schema, self._with_column_defaults(data))
        if isinstance(item, Response):
            return item
        _, refused = self.use_case(lambda: self.save_item(item, current_scope()))  # type: ignore[misc]
        if refused is not None:
            return refused
        self.post_add(item)
        return self.response(
            201,
            result=self.add_model_schema.dump(item, many=False),
            id=self.datamodel.get_pk_value(item),
        )

    def put_headless(self, pk: Any) -> Any:
        item = self._manageable(pk)
        if item is None:
            return self.response_404()
        stale = if_match_refusal(item)
        if stale is not None:
            return stale
        data = self._json_object()
        if data is None:
            return self.response_400(message=gettext("Request body must be a JSON object."))
        with db.session.no_autoflush:
            data = self._merge_update_item(item, data)
        item = self._load(self.edit_model_schema, data, instance=item)
        if isinstance(item, Response):
            return item
        _, refused = self.use_case(lambda: self.save_item(item, current_scope()))  # type: ignore[misc]
        if refused is not None:
            return refused
        self.post_update(item)
        answer = self.response(200, result=self.edit_model_schema.dump(item, many=False))
        return with_etag(answer, item)

    def delete_headless(self, pk: Any) -> Any:
        item = self._manageable(pk)
        if item is None:
            return self.response_404()
        stale = if_match_refusal(item)
        if stale is not None:
            return stale
        _, refused = self.use_case(lambda: self.delete_item(item, current_scope()))  # type: ignore[misc]
        if refused is not None:
            return refused
        self.post_delete(item)
        return self.response(200, message="OK")
