"""The period, sub-period and unit a home page is asked for, checked against what the reader
may see: a value that is not a number, or names a row outside the reader's reach, is refused
with a message for the form (never a 500, never someone else's figures)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from kinerja.extensions import db
from kinerja.models.org import Unit
from kinerja.models.planning import Period, SubPeriod
from kinerja.security.policies import periods, units
from kinerja.security.policies.scope import Scope
from kinerja.services.plans.periods import current_period


@dataclass
class BoardFilter:
    """What the figures are for; ``errors`` by field name when a value was refused."""

    period: Period | None
    sub_period: SubPeriod | None
    unit: Unit | None
    errors: dict[str, Any] = field(default_factory=dict)  # lazy messages


def _number(raw: str | None) -> int | None:
    if raw is None or raw.strip() == "":
        return None
    text = raw.strip()
    if not text.isdigit() or len(text) > 9:
        raise ValueError(text)
    return int(text)


def default_sub_period(period: Period, today: date) -> SubPeriod | None:
    """The sub-period running today, else the last one begun, else the first."""
    regular = [s for s in period.sub_periods if not s.annual]
    if not regular:
        return None
    begun = [s for s in regular if s.starts_on <= today]
    return begun[-1] if begun else regular[0]


def board_filter(scope: Scope, args: Mapping[str, str], today: date) -> BoardFilter:
    """The filter asked for in ``args`` (``period``, ``sub_period``, ``unit``), defaults where
    a value is missing or refused."""
    errors: dict[str, Any] = {}
    period = None
    try:
        period_id = _number(args.get("period"))
    except ValueError:
        errors["period"] = _l("Choose a period from the list.")
        period_id = None
    if period_id is not None:
        period = db.session.scalar(
            select(Period).where(Period.id == period_id, periods.read(scope))
        )
        if period is None:
            errors["period"] = _l("Choose a period from the list.")
    if period is None:
        period = current_period() or db.session.scalar(
            select(Period).order_by(Period.year.desc()).limit(1)
        )
    sub_period = None
    try:
        sub_id = _number(args.get("sub_period"))
    except ValueError:
        errors["sub_period"] = _l("Choose a sub-period of the period.")
        sub_id = None
    if period is not None and sub_id is not None:
        sub_period = next((s for s in period.sub_periods if s.id == sub_id and not s.annual), None)
        if sub_period is None:
            errors["sub_period"] = _l("Choose a sub-period of the period.")
    if period is not None and sub_period is None:
        sub_period = default_sub_period(period, today)
    unit = None
    try:
        unit_id = _number(args.get("unit"))
    except ValueError:
        errors["unit"] = _l("Choose a unit within your reach.")
        unit_id = None
    if unit_id is not None:
        unit = db.session.scalar(select(Unit).where(Unit.id == unit_id, units.placeable(scope)))
        if unit is None:
            errors["unit"] = _l("Choose a unit within your reach.")
    return BoardFilter(period, sub_period, unit, errors)


def period_choices(scope: Scope) -> list[Period]:
    return list(
        db.session.scalars(select(Period).where(periods.read(scope)).order_by(Period.year.desc()))
    )
