"""A rating's explanation as its page shows it, in the reader's language.

The ratings job stores the explanation as JSON; this module reads it without trusting its
shape (a key it does not know is ignored, a missing one left blank). It reads::

    {"indicators": [{"indicator_id": 7, "objective": "…", "text": "…", "main": true,
                     "qualitative": false, "target": 12, "unit": "dokumen",
                     "realization": 13, "achievement": 108.33, "level": "above",
                     "given_level": null, "drove": true}, …],
     "basis": {"sub_period": "Triwulan II"},
     "notes": [{"template": "…%(name)s…", "params": {"name": …}}, …]}

Messages (notes, a distribution check's warnings) are kept as an English template and its
parameters, like :class:`kinerja.domain.ratings.RuleMessage`: the template is translated
and a parameter holding a predikat or a level is shown by its translated label.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import format_decimal, gettext

from kinerja.domain.org import LabeledEnum
from kinerja.domain.ratings import Level, Predikat, UnitPredikat
from kinerja.models.ratings import Rating

# Parameters of the rules' messages that name a predikat, a unit predikat or a level.
_ENUM_PARAMS: dict[str, type[LabeledEnum]] = {
    "predikat": Predikat,
    "other": Predikat,
    "unit": UnitPredikat,
    "unit_predikat": UnitPredikat,
    "level": Level,
    "results": Level,
    "behaviour": Level,
    "suggested": Level,
    "given": Level,
}


def _label(enum_class: type[LabeledEnum], value: Any) -> Any:
    """The translated label of an enum member given by its code (or by its English
    label); anything else as it is."""
    for member in enum_class:
        if value in (member.value, member.label):
            return gettext(member.label)
    return value


def _param(key: str, value: Any) -> Any:
    if isinstance(value, LabeledEnum):
        return gettext(value.label)
    if key in _ENUM_PARAMS:
        return _label(_ENUM_PARAMS[key], value)
    if isinstance(value, float | Decimal) and not isinstance(value, bool):
        return format_decimal(value)
    return value


def message_text(message: Any) -> str:
    """A stored message ``{"template": …, "params": {…}}`` in the reader's language."""
    if isinstance(message, str):
        return gettext(message)
    if not isinstance(message, dict) or not isinstance(message.get("template"), str):
        return ""
    template: str = message["template"]
    params = message.get("params") or {}
    if not isinstance(params, dict) or not params:
        return gettext(template)
    try:
        return gettext(template, **{k: _param(k, v) for k, v in params.items()})
    except (KeyError, TypeError, ValueError):
        return gettext(template)


def _level(value: Any) -> Level | None:
    try:
        return Level(value) if value else None
    except ValueError:
        return None


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator of the plan and what it contributed."""

    objective: str
    text: str
    main: bool
    qualitative: bool
    target: Decimal | None
    unit: str
    realization: Decimal | None
    achievement: Decimal | None
    level: Level | None  # suggested from the achievement
    given: Level | None  # given by the supervisor (a qualitative indicator)
    drove: bool


@dataclass(frozen=True)
class LevelLine:
    """Results or behaviour: the suggested level beside the one the supervisor gave."""

    name: str
    suggested: Level | None
    given: Level | None

    @property
    def differs(self) -> bool:
        return None not in (self.suggested, self.given) and self.suggested != self.given


@dataclass(frozen=True)
class Explanation:
    indicators: list[IndicatorLine]
    levels: list[LevelLine]
    basis: str | None
    notes: list[str]


def _indicator(entry: dict[str, Any]) -> IndicatorLine:
    return IndicatorLine(
        objective=str(entry.get("objective") or ""),
        text=str(entry.get("text") or entry.get("indicator") or ""),
        main=bool(entry.get("main", entry.get("is_main", False))),
        qualitative=bool(entry.get("qualitative", False)),
        target=_number(entry.get("target")),
        unit=str(entry.get("unit") or ""),
        realization=_number(entry.get("realization")),
        achievement=_number(entry.get("achievement")),
        level=_level(entry.get("level", entry.get("suggested"))),
        given=_level(entry.get("given_level", entry.get("given"))),
        drove=bool(entry.get("drove", False)),
    )


def _basis(value: Any) -> str | None:
    if isinstance(value, str):
        return value or None
    if isinstance(value, dict):
        name = value.get("sub_period") or value.get("name")
        return str(name) if name else None
    return None


def explain(rating: Rating) -> Explanation:
    """What the rating page shows of a rating: the levels from its columns, the rest from
    its stored explanation."""
    stored = rating.explanation if isinstance(rating.explanation, dict) else {}
    entries = stored.get("indicators")
    notes = stored.get("notes")
    return Explanation(
        indicators=[_indicator(e) for e in entries if isinstance(e, dict)]
        if isinstance(entries, list)
        else [],
        levels=[
            LevelLine(gettext("Results"), rating.suggested_results, rating.results),
            LevelLine(gettext("Behaviour"), rating.suggested_behaviour, rating.behaviour),
        ],
        basis=_basis(stored.get("basis")),
        notes=[t for t in (message_text(n) for n in notes) if t] if isinstance(notes, list) else [],
    )
