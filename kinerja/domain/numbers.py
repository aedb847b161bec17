"""Numbers typed by people: ``12,5`` (the Indonesian decimal comma) and ``12.5`` alike."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

__all__ = ["MAX_NUMBER", "parse_number"]

MAX_NUMBER = Decimal("1e12")  # beyond any target or realization; keeps Numeric(14, 2) safe


def parse_number(value: object) -> Decimal | None:
    """A finite ``Decimal`` below :data:`MAX_NUMBER` in size, or None when ``value`` is not
    one (booleans are not numbers; floats are read by their shortest repr)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        text = repr(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", ".")
    elif isinstance(value, int | Decimal):
        text = str(value)
    else:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() and abs(number) < MAX_NUMBER else None
