"""Reading ids and numbers from URLs and forms without trusting them."""

from __future__ import annotations

from typing import Any

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
