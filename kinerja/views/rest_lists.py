"""The list of every REST resource (``GET /api/v1/<resource>/``): FAB's rison query, made
fast and a little richer, with the same access checks (the resource's base filters, i.e.
its policy).

What a list takes in ``q`` besides FAB's ``filters``, ``order_column``, ``order_direction``,
``page``, ``page_size``, ``columns`` and ``keys``:

* ``page_size`` at most :data:`MAX_PAGE_SIZE` (500); more is a 400 naming ``page_size``.
* ``expand: !(unit, rank)`` — the related rows named by a row's foreign keys, as objects
  beside the ids (``"unit": {"id": 3, "code": "DINKES", "name": …}``), each resource listing
  what it offers in ``expand_columns``. A related row the caller may not read is ``null``:
  expanding never shows more than asking the related resource would.
* ``after: '<cursor>'`` — keyset paging: the rows after the cursor in the list's order
  (``order_column`` one of :data:`KEYSET_COLUMNS`, ties broken by ``id``). A full page answers
  ``next_after``; ``page`` is ignored with ``after``. Rows written in one statement share one
  ``updated_at``, so a watermark ``updated_at gt T`` can skip rows; ``order_column:
  updated_at`` with ``after`` cannot. A row committed later with an older ``updated_at`` can
  still be missed: the change feed is the exact way to follow changes.
* ``count`` — the total of the filtered list, exact, on the first page (``page`` 0, no
  ``after``); on later pages only when asked with ``count: !t`` (``count: !f`` leaves it out
  of the first page too). Counting a large unit tree costs more than reading its page.

Why it is faster than FAB's: the rison schema is compiled once (FAB's ``@rison`` checks the
schema itself on every request, 40 % of a stock list), the count is one ``SELECT count(*)``
over the filtered ids only, and related rows are loaded in one query per relation.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterable
from datetime import datetime
from enum import Enum
from typing import Any

from flask import Response
from flask_appbuilder import ModelRestApi
from flask_appbuilder.api import expose, merge_response_func, safe
from flask_appbuilder.api.schemas import get_list_schema
from flask_appbuilder.const import (
    API_DESCRIPTION_COLUMNS_RIS_KEY,
    API_LABEL_COLUMNS_RIS_KEY,
    API_LIST_COLUMNS_RIS_KEY,
    API_LIST_TITLE_RIS_KEY,
    API_ORDER_COLUMNS_RIS_KEY,
    API_SELECT_COLUMNS_RIS_KEY,
)
from flask_appbuilder.exceptions import (
    FABException,
    InvalidColumnArgsFABException,
    InvalidOrderByColumnFABException,
)
from flask_appbuilder.models.filters import Filters
from flask_appbuilder.security.decorators import permission_name, protect
from flask_babel import get_locale, gettext
from sqlalchemy import asc, desc, func, select

from kinerja.security.current import current_scope, with_units_listed
from kinerja.security.policies import policy_for
from kinerja.views.list_args import (
    FilterAfter,
    compiled_rison,
    decode_cursor,
    dump_rows,
    encode_cursor,
)
from kinerja.views.rest_expand import describe, expandable_relations

MAX_PAGE_SIZE = 500
KEYSET_COLUMNS = ("id", "updated_at", "created_at")

LIST_SCHEMA: dict[str, Any] = copy.deepcopy(get_list_schema)
LIST_SCHEMA["properties"].update(
    {
        "expand": {"type": "array", "items": {"type": "string"}},
        "after": {"type": "string"},
        "count": {"type": "boolean"},
    }
)


# --- the resource -----------------------------------------------------------------------------


def _as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _as_text(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_as_text(item) for item in value]
    return value if value is None or isinstance(value, bool | int | float) else str(value)


def per_locale(merge: Callable[..., None]) -> Callable[..., None]:
    """A FAB ``merge_*`` function (labels, descriptions, title of the list) computed once per
    resource and language: they are the same for every request that does not choose its
    columns, and translating them each time cost as much as a page's SQL."""

    def cached(self: Any, response: dict[str, Any], **kwargs: Any) -> None:
        if kwargs.get(API_SELECT_COLUMNS_RIS_KEY):
            merge(self, response, **kwargs)
            return
        answers = self.__dict__.setdefault("_merged_per_locale", {})
        key = (merge.__name__, str(get_locale()))
        if key not in answers:
            part: dict[str, Any] = {}
            merge(self, part, **kwargs)
            answers[key] = _as_text(part)
        response.update(answers[key])

    return functools.update_wrapper(cached, merge)


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    return value


SYNC_COLUMNS = ("created_at", "updated_at")
LIST_DESCRIPTION = (
    "Get a list of rows the caller may read: `filters`, `order_column` (ties broken by id), "
    "`page`/`page_size` (at most 500), `after` (keyset paging with `next_after`, ordered by "
    "id, created_at or updated_at) and `count` in q (the total is in the first page's "
    "answer; on later pages with `count:!t`)."
)


def _missing(wanted: Iterable[str], present: Iterable[str]) -> list[str]:
    have = set(present)
    return [name for name in wanted if name not in have]


class ListingApi(ModelRestApi):
    """FAB's ``ModelRestApi`` with the list described in this module."""

    max_page_size = MAX_PAGE_SIZE
    # relation -> {field in the answer: attribute of the related row}; by default
    # every relation that kinerja.views.rest_expand knows
    expand_columns: dict[str, dict[str, str]] = {}
    # FAB's own attributes, typed here (FAB ships no type information)
    search_columns: list[str] | None = None
    order_columns: list[str] | None = None
    openapi_spec_methods: dict[str, Any] = {}

    def _init_properties(self) -> None:
        """Every resource filters and orders on ``created_at``/``updated_at`` (and orders on
        ``id``), and offers ``expand`` for its relations (:mod:`.rest_expand`), said in its
        list's OpenAPI description."""
        columns = self.datamodel.obj.__table__.columns
        sync = [name for name in SYNC_COLUMNS if name in columns]
        if self.search_columns:
            self.search_columns = [*self.search_columns, *_missing(sync, self.search_columns)]
        if self.order_columns:
            order = ["id", *sync]
            self.order_columns = [*self.order_columns, *_missing(order, self.order_columns)]
        super()._init_properties()
        if not self.expand_columns:
            self.expand_columns = expandable_relations(self.datamodel.obj)
        methods = copy.deepcopy(self.openapi_spec_methods)
        get = methods.setdefault("get_list", {}).setdefault("get", {})
        get["description"] = get.get("description", LIST_DESCRIPTION) + describe(
            self.expand_columns
        )
        self.openapi_spec_methods = methods

    def field_problem(self, field: str, message: str) -> Response:
        """A 400 naming the query argument that is wrong."""
        return self.response_400(message={field: [message]})  # type: ignore[arg-type]

    @expose("/", methods=["GET"])
    @protect()
    @safe
    @permission_name("get")
    @compiled_rison(LIST_SCHEMA)
    @merge_response_func(ModelRestApi.merge_order_columns, API_ORDER_COLUMNS_RIS_KEY)
    @merge_response_func(
        per_locale(ModelRestApi.merge_list_label_columns), API_LABEL_COLUMNS_RIS_KEY
    )
    @merge_response_func(
        per_locale(ModelRestApi.merge_description_columns), API_DESCRIPTION_COLUMNS_RIS_KEY
    )
    @merge_response_func(ModelRestApi.merge_list_columns, API_LIST_COLUMNS_RIS_KEY)
    @merge_response_func(per_locale(ModelRestApi.merge_list_title), API_LIST_TITLE_RIS_KEY)
    def get_list(self, **kwargs: Any) -> Response:
        return self.get_list_headless(**kwargs)

    get_list.__doc__ = ModelRestApi.get_list.__doc__

    def get_list_headless(self, **kwargs: Any) -> Response:
        args: dict[str, Any] = kwargs.get("rison", {})
        with_units_listed()  # a list changes nothing: the Operator's units, listed once
        page_size = args.get("page_size")
        limit = self.max_page_size or MAX_PAGE_SIZE
        if isinstance(page_size, int) and page_size > limit:
            return self.field_problem(
                "page_size", gettext("At most %(limit)d rows per page.", limit=limit)
            )
        expand = list(dict.fromkeys(args.get("expand", [])))
        unknown = [name for name in expand if name not in self.expand_columns]
        if unknown:
            offered = ", ".join(self.expand_columns) or "-"
            return self.field_problem(
                "expand",
                gettext(
                    "Cannot expand: %(names)s (offered: %(offered)s).",
                    names=", ".join(unknown),
                    offered=offered,
                ),
            )
        try:
            select_columns, pruned = self._handle_columns_args(
                args, self.list_select_columns, self.list_columns
            )
            filters = self._handle_filters_args(args)
            order_column, order_direction = self._handle_order_args(args)
        except (InvalidColumnArgsFABException, InvalidOrderByColumnFABException) as problem:
            return self.response_400(message=str(problem))
        except FABException as problem:
            return self.response_400(message=str(problem))
        response: dict[str, Any] = {}
        self.set_response_key_mappings(
            response, self.get_list, args, **{API_SELECT_COLUMNS_RIS_KEY: pruned}
        )
        if args.get("count", not args.get("page") and "after" not in args):
            response["count"] = self.count_rows(filters)
        page, page_size = self._handle_page_args(args)
        if "after" in args:
            keyset = self._keyset(filters, args["after"], order_column, order_direction)
            if isinstance(keyset, Response):
                return keyset
            page = 0
        rows = self.list_rows(
            filters, order_column, order_direction, page, page_size, select_columns
        )
        schema = self.model2schemaconverter.convert(pruned) if pruned else self.list_model_schema
        results = dump_rows(schema, rows)
        for name in expand:
            self._expand(name, rows, results)
        response["result"] = results
        response["ids"] = [row.id for row in rows]
        if page_size and len(rows) == page_size and order_column in KEYSET_COLUMNS:
            last = rows[-1]
            response["next_after"] = encode_cursor(getattr(last, order_column), last.id)
        self.pre_get_list(response)
        return self.response(200, **response)

    def list_rows(
        self,
        filters: Filters,
        order_column: str,
        order_direction: str,
        page: int | None,
        page_size: int | None,
        select_columns: list[str] | None,
    ) -> list[Any]:
        """The page of rows: ordered by the column, then by id; the interface's eager loads
        (:class:`~kinerja.views.fields.EagerInterface`). Dotted columns go through FAB's
        interface (it joins what they need); either way without FAB's COUNT."""
        datamodel = self.datamodel
        model = datamodel.obj
        table_columns = model.__table__.columns
        dotted = any("." in column for column in select_columns or ())
        if not dotted and (not order_column or order_column in table_columns):
            query = filters.apply_all(datamodel.session.query(model))
            if order_column:
                direction = desc if order_direction == "desc" else asc
                keys = [direction(getattr(model, order_column))]
                if order_column != "id":
                    keys.append(direction(model.id))
                query = query.order_by(*keys)
            if page and page_size:
                query = query.offset(page * page_size)
            if page_size:
                query = query.limit(page_size)
            return list(query.options(*getattr(datamodel, "eager", ())).all())
        query = datamodel.apply_all(
            datamodel.session.query(datamodel.obj),
            filters,
            order_column,
            order_direction,
            page=page,
            page_size=page_size,
            select_columns=select_columns,
            outer_default_load=self.list_outer_default_load,
        )
        found = query.all()
        name = datamodel.obj.__name__
        return [getattr(item, name) if hasattr(item, name) else item for item in found]

    def count_rows(self, filters: Filters) -> int:
        """The list's total: ``SELECT count(*)`` under the same filters (FAB counts a subquery
        of whole rows); an index on the filtered columns can answer it alone."""
        model = self.datamodel.obj
        query = self.datamodel.session.query(func.count()).select_from(model)
        return int(filters.apply_all(query).scalar() or 0)

    def _keyset(
        self, filters: Filters, cursor: str, order_column: str, order_direction: str
    ) -> Response | None:
        if order_column not in KEYSET_COLUMNS:
            return self.field_problem(
                "after",
                gettext(
                    "Paging with after needs order_column %(columns)s.",
                    columns=" / ".join(KEYSET_COLUMNS),
                ),
            )
        column = self.datamodel.obj.__table__.columns[order_column]
        try:
            value, row_id = decode_cursor(cursor, column)
        except ValueError:
            return self.field_problem("after", gettext("Not a cursor of this list."))
        flt = FilterAfter(order_column, self.datamodel)
        filters._add_filter(flt, (value, row_id, order_direction == "desc"))
        return None

    def _expand(self, name: str, rows: list[Any], results: list[dict[str, Any]]) -> None:
        """Put the related row ``name`` of each row beside it, if the caller may read it: one
        query for the page, the related model's policy deciding."""
        relation = getattr(self.datamodel.obj, name).property
        target = relation.mapper.class_
        local = next(iter(relation.local_columns))
        key = self.datamodel.obj.__mapper__.get_property_by_column(local).key
        fields = self.expand_columns[name]
        ids = {getattr(row, key) for row in rows} - {None}
        found: dict[int, dict[str, Any]] = {}
        if ids:
            columns = [getattr(target, attribute) for attribute in fields.values()]
            query = select(target.id, *columns).where(
                target.id.in_(ids), policy_for(target).read(current_scope())
            )
            for values in self.datamodel.session.execute(query):
                found[values[0]] = {
                    "id": values[0],
                    **{field: _plain(v) for field, v in zip(fields, values[1:], strict=True)},
                }
        for row, result in zip(rows, results, strict=True):
            result[name] = found.get(getattr(row, key))


def expandable(**relations: Iterable[str] | dict[str, str]) -> dict[str, dict[str, str]]:
    """``expand_columns`` from ``unit=("code", "name")`` (fields named as the related row's
    attributes) or ``rank={"code": "code", "golongan": "code"}`` (renamed)."""
    return {
        name: dict(fields) if isinstance(fields, dict) else {field: field for field in fields}
        for name, fields in relations.items()
    }
