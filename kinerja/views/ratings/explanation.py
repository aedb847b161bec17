"""A rating's explanation as its page shows it, in the reader's language: the summary the
ratings job stored (:mod:`kinerja.services.ratings.explain`) and the plan's indicators.

Messages (notes, a distribution check's warnings) are kept as an English template and its
parameters, like :class:`kinerja.domain.ratings.RuleMessage`: the template is translated
and a parameter holding a predikat or a level is shown by its translated label.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import format_decimal, gettext

from kinerja.domain.org import LabeledEnum
from kinerja.domain.ratings import Level, Predikat, UnitPredikat
from kinerja.models.ratings import Rating
from kinerja.services.ratings.explain import IndicatorLine, Summary, indicator_lines, summary

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
    summary: Summary
    indicators: list[IndicatorLine]
    levels: list[LevelLine]
    notes: list[str]


def explain(rating: Rating) -> Explanation:
    """What the rating page shows of a rating: the levels from its columns, the summary the
    job stored, and the plan's indicators as the rules read them."""
    found = summary(rating)
    notes = []
    if found.unit_predikat is not None:
        notes.append(
            gettext(
                "As the head of the unit, the suggested results follow the unit's predikat "
                "“%(unit)s” (the indicators alone suggest “%(level)s”).",
                unit=gettext(found.unit_predikat.label),
                level=gettext(found.indicator_results.label) if found.indicator_results else "—",
            )
        )
    if found.counted or found.unreported:
        notes.append(
            gettext(
                "%(counted)d indicators counted: %(above)d above, %(as_expected)d as "
                "expected, %(below)d below expectations; %(unreported)d without a "
                "realization yet.",
                counted=found.counted,
                above=found.above,
                as_expected=found.as_expected,
                below=found.below,
                unreported=found.unreported,
            )
        )
    return Explanation(
        summary=found,
        indicators=indicator_lines(rating),
        levels=[
            LevelLine(gettext("Results"), rating.suggested_results, rating.results),
            LevelLine(gettext("Behaviour"), rating.suggested_behaviour, rating.behaviour),
        ],
        notes=notes,
    )
