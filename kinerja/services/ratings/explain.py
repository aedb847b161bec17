"""What a rating's page shows of it: the summary the ratings job stored with it
(:func:`kinerja.services.ratings.reference.explanation`), and every indicator of the
approved version with its achievement and level as the same rules compute them today."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from kinerja.domain.planning import ObjectiveKind
from kinerja.domain.ratings import Level, UnitPredikat
from kinerja.extensions import db
from kinerja.models.ratings import Rating
from kinerja.models.reports import Evaluation
from kinerja.services.ratings.facts import load_facts
from kinerja.services.ratings.reference import lines
from kinerja.services.reports.achievement import thresholds


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator of the approved version and what it contributes."""

    objective: str
    text: str
    main: bool
    qualitative: bool
    target: Decimal | None
    unit: str
    achievement: float | None
    level: Level | None  # from the achievement, or given (a qualitative indicator)
    drove: bool  # a main indicator below expectations: it keeps the results from "above"
    mark: str | None  # "strongest" or "weakest"


@dataclass(frozen=True)
class Summary:
    """The stored summary: where the given levels come from and how the indicators count."""

    source: str | None  # "annual" | "periodic" | None
    evaluation_report_id: int | None
    counted: int
    above: int
    as_expected: int
    below: int
    unreported: int
    indicator_results: Level | None
    unit_predikat: UnitPredikat | None


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _enum(enum_class: type[Any], value: Any) -> Any:
    try:
        return enum_class(value) if value else None
    except ValueError:
        return None


def _ids(entries: Any) -> set[int]:
    if isinstance(entries, dict):
        entries = [entries]
    if not isinstance(entries, list):
        return set()
    return {e["id"] for e in entries if isinstance(e, dict) and isinstance(e.get("id"), int)}


def summary(rating: Rating) -> Summary:
    """The stored summary, read without trusting its shape (a rating computed by an older
    version may lack a key)."""
    stored = rating.explanation if isinstance(rating.explanation, dict) else {}
    evaluation_id = stored.get("evaluation")
    report_id = (
        db.session.scalar(select(Evaluation.report_id).where(Evaluation.id == evaluation_id))
        if isinstance(evaluation_id, int)
        else None
    )
    source = stored.get("source")
    return Summary(
        source=source if source in ("annual", "periodic") else None,
        evaluation_report_id=report_id,
        counted=_int(stored.get("counted")),
        above=_int(stored.get("above")),
        as_expected=_int(stored.get("as_expected")),
        below=_int(stored.get("below")),
        unreported=_int(stored.get("unreported")),
        indicator_results=_enum(Level, stored.get("indicator_results")),
        unit_predikat=_enum(UnitPredikat, stored.get("unit_predikat")),
    )


def indicator_lines(rating: Rating) -> list[IndicatorLine]:
    """Every indicator of the rated plan's approved version, as the rules read it now."""
    stored = rating.explanation if isinstance(rating.explanation, dict) else {}
    drove = _ids(stored.get("main_below"))
    strongest, weakest = _ids(stored.get("strongest")), _ids(stored.get("weakest"))
    found = load_facts([rating.work_plan_id], rating.period_id)
    if not found:
        return []
    facts = found[0]
    computed = {line.id: line for line in lines(facts, *thresholds())}
    result = []
    for indicator in facts.indicators:
        line = computed.get(indicator.id)
        result.append(
            IndicatorLine(
                objective=indicator.objective.text,
                text=indicator.text,
                main=indicator.objective.kind == ObjectiveKind.MAIN,
                qualitative=indicator.qualitative,
                target=indicator.target,
                unit=indicator.unit or "",
                achievement=line.achievement if line else None,
                level=line.level if line else None,
                drove=indicator.id in drove,
                mark="strongest"
                if indicator.id in strongest
                else "weakest"
                if indicator.id in weakest
                else None,
            )
        )
    return result
