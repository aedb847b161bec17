"""Writing ratings: one upsert for the set-based statement and for the plans rated one by
one, keyed by employee and period, that rewrites a rating only where it changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Insert, literal, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement

from kinerja.models.ratings import Rating
from kinerja.services.ratings.sql import Json

VALUE_COLUMNS = (
    "work_plan_id",
    "unit_id",
    "final",
    "predikat",
    "results",
    "behaviour",
    "suggested_results",
    "suggested_behaviour",
)
INSERT_COLUMNS = (
    "employee_id",
    "period_id",
    *VALUE_COLUMNS,
    "explanation",
    "computed_at",
    "run_id",
    "created_at",
    "updated_at",
)


@dataclass(frozen=True)
class Stamp:
    """What every rating written by one run carries: thresholds, the moment and the run."""

    period_id: int
    above_at: int
    expected_at: int
    now: datetime
    run_id: int | None


def upsert(dialect_name: str) -> Any:
    """``insert(rating)`` of the dialect, with its ON CONFLICT clause."""
    module: Any = postgresql if dialect_name == "postgresql" else sqlite
    return module.insert(Rating.__table__)


def differs(stored: Any, new: Any, json: Json) -> ColumnElement[bool]:
    """Whether a stored rating and a computed one differ in a value or the explanation."""
    return or_(
        *[stored[name].is_distinct_from(new[name]) for name in VALUE_COLUMNS],
        ~json.same(stored.explanation, new.explanation),
    )


def on_conflict(statement: Any, json: Json) -> Insert:
    """Update an existing rating of the employee and period only where it changes (a row
    written meanwhile by another run of the same period)."""
    refreshed = (*VALUE_COLUMNS, "explanation", "computed_at", "run_id", "updated_at")
    result: Insert = statement.on_conflict_do_update(
        index_elements=["employee_id", "period_id"],
        set_={name: statement.excluded[name] for name in refreshed},
        where=differs(Rating.__table__.c, statement.excluded, json),
    )
    return result


def stamp_columns(stamp: Stamp) -> list[ColumnElement[Any]]:
    table = Rating.__table__
    return [
        literal(stamp.now, table.c.computed_at.type).label("computed_at"),
        literal(stamp.run_id, table.c.run_id.type).label("run_id"),
        literal(stamp.now, table.c.created_at.type).label("created_at"),
        literal(stamp.now, table.c.updated_at.type).label("updated_at"),
    ]
