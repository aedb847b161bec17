"""How values are shown in lists and detail pages: in the reader's language and time zone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import Any

from flask_babel import format_date, format_datetime, format_timedelta, gettext

from kinerja.models.base import utcnow


def yes_no(value: Any) -> str:
    if value is None or value == "":
        return ""
    return gettext("Yes") if value else gettext("No")


def local_datetime(value: Any) -> str:
    """A timestamp in the instance's time zone and the reader's language (23 Nov 2026 …)."""
    return format_datetime(value, "medium") if value else ""


def shown(value: Any) -> Any:
    """Any other value on a screen: nothing for a missing one (not "None"), a date in the
    reader's language (15 Feb 1990), the rest as it is."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return local_datetime(value)
    if isinstance(value, date):
        return format_date(value, "medium")
    return value


def enum_formatter(enum_class: type[Enum]) -> Callable[[Any], str]:
    """Formats a stored enum value (FAB hands over ``.value``) as its translated label."""

    def format_value(value: Any) -> str:
        if value is None or value == "":
            return ""
        member = value if isinstance(value, enum_class) else enum_class(value)
        return gettext(getattr(member, "label", member.value))

    return format_value


def waiting_time(since: datetime | None) -> str:
    """How long something has been waiting, e.g. "3 hari"."""
    if since is None:
        return ""
    return format_timedelta(utcnow() - since, threshold=1.1)
