"""Reading ids, numbers and queries from URLs and request bodies without trusting them.

Everything here turns input that FAB or the database driver would fail on (a 500) into the
answer it deserves: 404 for a URL naming a row by something that cannot be a row id, 400
for a list argument, a filter value or a query that cannot be read.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import prison
from flask import abort, current_app, g, jsonify, request
from flask.json.provider import DefaultJSONProvider
from flask_appbuilder.models.filters import BaseFilter, FilterRelation
from flask_appbuilder.models.sqla.filters import (
    FilterContains,
    FilterEndsWith,
    FilterEqual,
    FilterGreater,
    FilterIn,
    FilterNotContains,
    FilterNotEndsWith,
    FilterNotEqual,
    FilterNotIn,
    FilterNotStartsWith,
    FilterSmaller,
    FilterStartsWith,
)
from sqlalchemy import BigInteger, Float, Numeric, SmallInteger

MAX_ID = 2**31 - 1  # ids are 32-bit integers


def parse_pk(value: Any) -> int | None:
    """A row id from a URL or a form, or None for anything that cannot be one (so a huge
    or non-numeric id answers 404 instead of overflowing the database driver)."""
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 1 <= number <= MAX_ID else None


def parse_number(value: Any, low: int, high: int) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if low <= number <= high else None


# --- ids in the URL -------------------------------------------------------------------------

_ID_ARG = re.compile(r"^(pk|id|\w+_id)$")


def refuse_unreadable_ids() -> Any:
    """Answer 404 for a URL that names a row by something that cannot be a row id: a view
    argument ``pk``, ``id``, ``…_id`` or any number in the path, FAB's ``?pk=`` (password
    reset) and a chart's ``group_by``. Screens and REST resources alike, ours and FAB's, are
    spared a query that would overflow the database driver or an index that is not there."""
    arguments = request.view_args or {}
    for name, value in arguments.items():
        if (_ID_ARG.match(name) or isinstance(value, int)) and parse_pk(value) is None:
            return _not_found()
    if "pk" in request.args and parse_pk(request.args["pk"]) is None:
        return _not_found()
    if "group_by" in arguments and not _chart_offers(arguments["group_by"]):
        return _not_found()
    return None


def _chart_offers(group_by: Any) -> bool:
    """FAB's charts take ``group_by`` as an index into their ``definitions``."""
    definitions = getattr(_view_of_request(), "definitions", None)
    if not isinstance(definitions, list):
        return True
    return parse_number(group_by, 0, len(definitions) - 1) is not None


def _not_found() -> Any:
    if request.path.startswith("/api/"):
        response = jsonify(message="Not found")
        response.status_code = 404
        return response
    abort(404)


# --- the API's query (?q=) ------------------------------------------------------------------

MAX_QUERY_DEPTH = 8  # {filters: [{value: [...]}]} is four deep
PAGE_LIMITS = {"page": 10_000_000, "page_size": 10_000}


def refuse_unreadable_query() -> Any:
    """Answer 400 for an API query string (``?q=``) that is neither rison nor JSON, or is
    nested deeper than any query the API takes.

    FAB's ``@rison`` decorator handles the parser's own errors but not a malformed number
    (``-2.8e``) nor a nesting deep enough to exhaust the recursion limit; both would
    surface as a 500.
    """
    value = request.args.get("q")
    if not value or not request.path.startswith("/api/"):
        return None
    try:
        parsed = prison.loads(value)
    except prison.decoder.ParserException:
        try:  # FAB accepts JSON too
            parsed = json.loads(value)
        except RecursionError:
            return _bad_query("q is nested too deeply")
        except ValueError:
            return None  # FAB answers 400 itself
    except Exception:  # any other parser failure (a RecursionError too) is bad input
        return _bad_query("Not a valid rison value in q")
    if _depth(parsed) > MAX_QUERY_DEPTH:
        return _bad_query("q is nested too deeply")
    if not _pages_in_range(parsed):
        return _bad_query("page must be 0 to 10,000,000 and page_size 0 to 10,000")
    g._kinerja_q = (value, parsed)  # the list reads it again (kinerja.views.rest_lists)
    return None


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in ``value`` (walked without recursion)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            pending.extend((inner, depth + 1) for inner in item)
    return deepest


def _pages_in_range(value: Any) -> bool:
    """``page``/``page_size`` anywhere in the query are small whole numbers (FAB multiplies
    them into an OFFSET that would otherwise overflow the database driver)."""
    if isinstance(value, dict):
        for key, item in value.items():
            limit = PAGE_LIMITS.get(key)
            if limit is not None and not (
                isinstance(item, int) and not isinstance(item, bool) and 0 <= item <= limit
            ):
                return False
            if isinstance(item, dict | list) and not _pages_in_range(item):
                return False
    elif isinstance(value, list):
        return all(_pages_in_range(item) for item in value)
    return True


def _bad_query(message: str) -> Any:
    response = jsonify(message=message)
    response.status_code = 400
    return response


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, where a body nested too deeply to parse is malformed (a ValueError,
    which ``request.get_json`` answers with 400) rather than a RecursionError (a 500)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


# --- filter values --------------------------------------------------------------------------

# FAB's filters on a column's own value: they hand the value to the database as it came.
COLUMN_FILTERS = (
    FilterStartsWith,
    FilterNotStartsWith,
    FilterEndsWith,
    FilterNotEndsWith,
    FilterContains,
    FilterNotContains,
    FilterEqual,
    FilterNotEqual,
    FilterGreater,
    FilterSmaller,
    FilterIn,
    FilterNotIn,
)
LIST_OPERATORS = {"in", "not_in"}  # FAB gives these the whole list, the others item by item


def filter_value(flt: BaseFilter, value: Any) -> Any:
    """``value`` as ``flt`` can use it, or a ValueError saying why not.

    A filter says how it reads its value with ``value_kind``: ``"id"`` (a related row),
    ``"text"`` or ``"any"`` (it copes with anything itself). FAB's relation filters read ids;
    FAB's column filters read what their column holds: a whole number or a decimal that fits
    it, one of an enum's values, ``y`` or true/false for a yes/no, text for text. Numbers
    given for text become text. Other filters of ours read text.
    """
    if flt.arg_name in LIST_OPERATORS:
        return [_one_value(flt, item) for item in (value if isinstance(value, list) else [value])]
    if isinstance(value, list):
        return [_one_value(flt, item) for item in value]
    return _one_value(flt, value)


def _one_value(flt: BaseFilter, value: Any) -> Any:
    kind = getattr(flt, "value_kind", None)
    if kind is None:
        kind = "id" if isinstance(flt, FilterRelation) else "text"
        if isinstance(flt, COLUMN_FILTERS):
            kind = "column"
    if kind == "any":
        return value
    if kind == "id":
        number = parse_pk(value) if isinstance(value, int | str) else None
        if number is None:
            raise ValueError("a related row is filtered by its id")
        return number
    if kind == "column":
        return _column_value(flt, value)
    return _text(flt.column_name, value)


def _text(column: str, value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"{column} is filtered by text")


def _column_value(flt: BaseFilter, value: Any) -> Any:
    datamodel, column = flt.datamodel, flt.column_name
    if datamodel.is_enum(column):
        choices = [member.value for member in datamodel.list_columns[column].type.enum_class]
        if value not in choices:
            raise ValueError(f"{column} is one of: {', '.join(choices)}")
        return value
    if datamodel.is_boolean(column):
        if value is True or value is False or value == "y":
            return value
        raise ValueError(f"{column} is filtered by true, false or y")
    if datamodel.is_integer(column) or datamodel.is_numeric(column) or datamodel.is_float(column):
        _check_number(column, datamodel.list_columns[column].type, value)
        return value
    if datamodel.is_string(column) or datamodel.is_text(column):
        return _text(column, value)
    return value  # dates: FAB reads what it cannot parse as no date


def _check_number(column: str, column_type: Any, value: Any) -> None:
    """A number outside what the column holds would overflow the database driver; what is
    not a number at all FAB reads as no value."""
    if not isinstance(column_type, Numeric):  # the integers
        try:
            whole = int(value)
        except (TypeError, ValueError, OverflowError):
            return
        bits = 16 if isinstance(column_type, SmallInteger) else 32
        limit = 2 ** (63 if isinstance(column_type, BigInteger) else bits - 1)
        if not -limit <= whole < limit:
            raise ValueError(f"{column} is a whole number from {-limit} to {limit - 1}")
        return
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return
    digits = None if isinstance(column_type, Float) else column_type.precision
    if not digits:
        return
    bound = 10.0 ** (digits - (column_type.scale or 0))
    if not math.isfinite(number) or abs(number) >= bound:
        raise ValueError(f"{column} is a number smaller than {bound:g}")


# --- list screens ---------------------------------------------------------------------------

MAX_LIST_PAGE_SIZE = 100
_LIST_ARG = re.compile(r"^(page|psize|_oc|_od)_(\w+)$")
_FILTER_ARG = re.compile(r"_flt_(\d)_(.*)")  # as FAB's get_filter_args reads them


def refuse_unreadable_list_args() -> None:
    """Answer 400 for list-screen arguments FAB would choke on: a page or page size that is
    not a small number, an order column the screen does not offer, or a filter value its
    filter cannot use (see :func:`filter_value`)."""
    if request.path.startswith("/api/"):
        return
    for name, value in request.args.items():
        match = _LIST_ARG.match(name)
        if not match:
            continue
        kind, view_name = match.groups()
        if kind == "page" and parse_number(value, 0, PAGE_LIMITS["page"]) is None:
            abort(400, description="page must be a whole number from 0")
        elif kind == "psize" and parse_number(value, 1, MAX_LIST_PAGE_SIZE) is None:
            abort(400, description=f"page size must be 1 to {MAX_LIST_PAGE_SIZE}")
        elif kind == "_od" and value not in ("asc", "desc"):
            abort(400, description="order direction must be asc or desc")
        elif kind == "_oc" and value not in _order_columns(view_name):
            abort(400, description="this list cannot be sorted by that column")
    _refuse_unreadable_filters()


def _refuse_unreadable_filters() -> None:
    filters = getattr(getattr(_view_of_request(), "_filters", None), "_all_filters", None)
    if not filters:
        return
    for name in request.args:
        match = _FILTER_ARG.search(name)
        if not match or match.group(2) not in filters:
            continue
        index, column = int(match.group(1)), match.group(2)
        if index >= len(filters[column]):
            abort(400, description=f"{column} has no filter number {index}")
        try:
            filter_value(filters[column][index], request.args.getlist(name))
        except ValueError as problem:
            abort(400, description=str(problem))


def _view_named(view_name: str) -> Any:
    for view in current_app.appbuilder.baseviews:  # type: ignore[attr-defined]
        if type(view).__name__ == view_name:
            return view
    return None


def _view_of_request() -> Any:
    endpoint = request.endpoint or ""
    return _view_named(endpoint.rsplit(".", 1)[0]) if "." in endpoint else None


def _order_columns(view_name: str) -> list[str]:
    return list(getattr(_view_named(view_name), "order_columns", None) or [])
