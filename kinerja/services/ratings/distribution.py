"""Each unit's distribution of predikat checked against the curve its unit predikat expects
(Baik where none is set, and the check says so), by
:func:`kinerja.domain.ratings.check_distribution`. Only warns: ratings never change here.

A unit's distribution counts the ratings of its own employees (those rated in that unit);
employees whose rating has no predikat yet (no behaviour rated) are not counted. A stored
check is rewritten only when it changes; checks of units without ratings any more go.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from kinerja.domain.org import LabeledEnum
from kinerja.domain.ratings import Predikat, RuleMessage, UnitPredikat, check_distribution
from kinerja.extensions import db
from kinerja.models.ratings import DistributionCheck, Rating, UnitRating

_ENUM_PARAMS: dict[str, type[LabeledEnum]] = {
    "predikat": Predikat,
    "other": Predikat,
    "unit": UnitPredikat,
}
_COMPARED = ("unit_predikat", "assumed", "employees", "counts", "warnings")


@dataclass(frozen=True)
class CheckedUnits:
    units: int
    warned: int
    changed: int


def stored_warning(message: RuleMessage) -> dict[str, Any]:
    """A warning as kept in ``DistributionCheck.warnings``: its template (the msgid) and its
    parameters, enums by their codes."""
    params = {
        key: value.value if isinstance(value, LabeledEnum) else value
        for key, value in message.params.items()
    }
    return {"template": message.template, "params": params}


def warning_message(stored: Mapping[str, Any]) -> RuleMessage:
    """A stored warning back as the rule's message, enums restored, ready to translate
    (``template`` with ``params``, each enum by its label) like any rule message."""
    params = {
        key: _ENUM_PARAMS[key](value) if key in _ENUM_PARAMS and value is not None else value
        for key, value in dict(stored.get("params") or {}).items()
    }
    return RuleMessage(str(stored["template"]), **params)


def check_units(period_id: int, unit_ids: Select[Any] | None, now: datetime) -> CheckedUnits:
    """Check every unit with ratings in the period (among ``unit_ids``, if given)."""
    counts = _counts(period_id, unit_ids)
    unit_predikat = {
        unit_id: value
        for unit_id, value in db.session.execute(
            select(UnitRating.unit_id, UnitRating.predikat).where(
                UnitRating.period_id == period_id, UnitRating.unit_id.in_(list(counts))
            )
        )
    }
    existing = {
        check.unit_id: check
        for check in db.session.scalars(
            _where(select(DistributionCheck), DistributionCheck, period_id, unit_ids)
        )
    }
    wanted = {
        unit_id: _check(unit_id, period_id, unit_predikat.get(unit_id), tally, now)
        for unit_id, tally in counts.items()
    }
    changed = [row for unit_id, row in wanted.items() if _differs(existing.get(unit_id), row)]
    if changed:
        db.session.execute(_upsert(), changed)
    stale = set(existing) - set(wanted)
    if stale:
        db.session.execute(
            delete(DistributionCheck).where(
                DistributionCheck.period_id == period_id, DistributionCheck.unit_id.in_(stale)
            )
        )
    return CheckedUnits(
        units=len(wanted),
        warned=sum(1 for row in wanted.values() if row["warnings"]),
        changed=len(changed) + len(stale),
    )


def _where(query: Any, model: Any, period_id: int, unit_ids: Select[Any] | None) -> Any:
    query = query.where(model.period_id == period_id)
    if unit_ids is not None:
        query = query.where(model.unit_id.in_(unit_ids))
    return query


def _counts(period_id: int, unit_ids: Select[Any] | None) -> dict[int, dict[str, int]]:
    query = _where(
        select(Rating.unit_id, Rating.predikat, func.count()), Rating, period_id, unit_ids
    ).group_by(Rating.unit_id, Rating.predikat)
    counts: dict[int, dict[str, int]] = {}
    for unit_id, grade, number in db.session.execute(query):
        tally = counts.setdefault(unit_id, dict.fromkeys((p.value for p in Predikat), 0))
        if grade is not None:
            tally[Predikat(grade).value] += number
    return counts


def _check(
    unit_id: int,
    period_id: int,
    unit_predikat: UnitPredikat | str | None,
    tally: dict[str, int],
    now: datetime,
) -> dict[str, Any]:
    warnings = check_distribution(unit_predikat, tally)
    return {
        "unit_id": unit_id,
        "period_id": period_id,
        "unit_predikat": UnitPredikat(unit_predikat or UnitPredikat.BAIK).value,
        "assumed": unit_predikat is None,
        "employees": sum(tally.values()),
        "counts": tally,
        "warnings": [stored_warning(w) for w in warnings],
        "computed_at": now,
        "created_at": now,
        "updated_at": now,
    }


def _differs(check: DistributionCheck | None, row: dict[str, Any]) -> bool:
    if check is None:
        return True
    current = {
        "unit_predikat": UnitPredikat(check.unit_predikat).value,
        "assumed": bool(check.assumed),
        "employees": check.employees,
        "counts": dict(check.counts or {}),
        "warnings": list(check.warnings or []),
    }
    return any(current[name] != row[name] for name in _COMPARED)


def _upsert() -> Any:
    """One upsert, executed with many rows (batched by SQLAlchemy's "insertmanyvalues")."""
    dialect = db.session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(DistributionCheck.__table__)
    refreshed = (*_COMPARED, "computed_at", "updated_at")
    return statement.on_conflict_do_update(
        index_elements=["unit_id", "period_id"],
        set_={name: statement.excluded[name] for name in refreshed},
    )
