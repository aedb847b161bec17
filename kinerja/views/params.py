"""Reading ids and numbers from URLs and forms without trusting them."""

from __future__ import annotations

import json
import re
from typing import Any

import prison
from flask import abort, current_app, jsonify, request
from flask_appbuilder.models.filters import FilterRelation

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


def refuse_unreadable_query() -> Any:
    """Answer 400 for an API query string (``?q=``) that is neither rison nor JSON.

    FAB's ``@rison`` decorator handles the parser's own errors but not a malformed number
    (``-2.8e``), which would surface as a 500.
    """
    value = request.args.get("q")
    if not value or not request.path.startswith("/api/"):
        return None
    try:
        parsed = prison.loads(value)
    except prison.decoder.ParserException:
        try:  # FAB accepts JSON too
            parsed = json.loads(value)
        except ValueError:
            return None  # FAB answers 400 itself
    except Exception:  # any other parser failure is bad input too
        return _bad_query("Not a valid rison value in q")
    if not _pages_in_range(parsed):
        return _bad_query("page must be 0 to 10,000,000 and page_size 0 to 10,000")
    return None


PAGE_LIMITS = {"page": 10_000_000, "page_size": 10_000}


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


MAX_LIST_PAGE_SIZE = 100
_LIST_ARG = re.compile(r"^(page|psize|_oc|_od)_(\w+)$")
_FILTER_ARG = re.compile(r"^_flt_(\d+)_(\w+)$")


def refuse_unreadable_list_args() -> None:
    """Answer 400 for list-screen arguments FAB would choke on: a page or page size that is
    not a small number, or an order column the screen does not offer."""
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
    view = _view_of_request()
    for name, value in request.args.items(multi=True):
        match = _FILTER_ARG.match(name)
        if (
            match
            and view is not None
            and _is_relation_filter(view, *match.groups())
            and (parse_pk(value) is None)
        ):
            abort(400, description="a related row is filtered by its id")


def parse_number(value: Any, low: int, high: int) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if low <= number <= high else None


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


def _is_relation_filter(view: Any, index: str, column: str) -> bool:
    """Whether ``_flt_<index>_<column>`` names one of FAB's relation filters (id values)."""
    filters = getattr(getattr(view, "_filters", None), "_all_filters", {}).get(column, [])
    position = int(index)
    return position < len(filters) and isinstance(filters[position], FilterRelation)
