"""Reading ids and numbers from URLs and forms without trusting them."""

from __future__ import annotations

import json
from typing import Any

import prison
from flask import jsonify, request

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
    except Exception:  # noqa: BLE001 - any other parser failure is bad input too
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
