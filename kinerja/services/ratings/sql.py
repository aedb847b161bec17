"""The rating rules of :mod:`kinerja.domain.ratings` as SQL expressions, for the set-based
computation, and the few JSON functions that PostgreSQL and SQLite spell differently.

The two matrices (the predikat, the unit head's results) are generated from the pure
functions themselves, so they cannot drift from them. The thresholds and the majority rule
are restated in SQL; the tests and ``flask kinerja bench ratings`` compare the set-based
result with the pure rules (:mod:`kinerja.services.ratings.reference`) row by row.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Numeric, String, case, cast, func, literal, literal_column, null
from sqlalchemy.dialects.postgresql import JSONB, aggregate_order_by
from sqlalchemy.sql.elements import ColumnClause, ColumnElement

from kinerja.domain.ratings import Level, UnitPredikat, predikat, unit_head_results

# Numerators carry this many decimals on PostgreSQL, so that its numeric division keeps
# far more digits than the one rounding to 2 decimals needs (as the pure rule divides once
# at 60 digits): 100 with 20 decimals. SQLite reads it as the float 100.0.
HUNDRED: ColumnClause[Any] = literal_column("100.00000000000000000000")

# Sub-period numbers are packed above the cents of a value (< 10¹⁴ for NUMERIC(14, 2)), so
# that MAX() over the packed number finds the latest value in the same pass as SUM().
PACK: ColumnClause[Any] = literal_column("100000000000000")


def code(value: str) -> ColumnElement[str]:
    """An enum code as an SQL string literal (codes are identifiers: nothing to escape)."""
    if not value.isidentifier():
        raise ValueError(f"not a code: {value!r}")
    return literal_column(f"'{value}'", String)


def threshold(value: int | Decimal) -> ColumnElement[Any]:
    return literal(Decimal(value), Numeric(10, 2))


def packed_latest(number: Any, value: Any) -> ColumnElement[Any]:
    """``number`` and ``value`` in one number whose maximum is the value of the latest
    sub-period (see :data:`PACK`); :func:`unpacked_value` reads the value back."""
    return number * PACK + func.round(value * 100)


def unpacked_value(packed: Any) -> ColumnElement[Any]:
    return (packed % PACK) / literal_column("100.0")


def as_stored(column: Any, dialect_name: str) -> ColumnElement[Any]:
    """A NUMERIC(14, 2) column as its two decimals, which PostgreSQL stores; SQLite keeps
    whatever it was given, and SQLAlchemy rounds it to two decimals when it reads it: the
    pure rules see the rounded value, so the statements must too."""
    return column if dialect_name == "postgresql" else func.round(column, 2)


def indicator_level(
    achievement: Any, above_at: int | Decimal, expected_at: int | Decimal
) -> ColumnElement[str]:
    """:func:`kinerja.domain.ratings.indicator_level`; NULL without an achievement."""
    return case(
        (achievement >= threshold(above_at), code(Level.ABOVE)),
        (achievement >= threshold(expected_at), code(Level.AS_EXPECTED)),
        (achievement.is_not(None), code(Level.BELOW)),
        else_=null(),
    )


def majority(above: Any, below: Any, counted: Any, block_above: Any) -> ColumnElement[str]:
    """The majority rule of :func:`kinerja.domain.ratings.suggest_results_from_levels`
    (and of :func:`~kinerja.domain.ratings.suggest_behaviour`, never blocked)."""
    return case(
        ((2 * above > counted) & ~block_above, code(Level.ABOVE)),
        (2 * below > counted, code(Level.BELOW)),
        else_=code(Level.AS_EXPECTED),
    )


def predikat_of(results: Any, behaviour: Any) -> ColumnElement[str]:
    """The matrix of :func:`kinerja.domain.ratings.predikat`; NULL while a level is missing."""
    return case(
        *[
            ((results == code(r)) & (behaviour == code(b)), code(predikat(r, b)))
            for r in Level
            for b in Level
        ],
        else_=null(),
    )


def head_results(unit_predikat: Any) -> ColumnElement[str]:
    """:func:`kinerja.domain.ratings.unit_head_results`; NULL without a unit predikat."""
    return case(
        *[(unit_predikat == code(u), code(unit_head_results(u))) for u in UnitPredikat],
        else_=null(),
    )


class Json:
    """JSON built in SQL, on PostgreSQL (``json_build_object``, ``json_agg``) or SQLite
    (``json_object``, ``json_group_array``)."""

    def __init__(self, dialect_name: str) -> None:
        self.postgresql = dialect_name == "postgresql"

    def object(self, *pairs: tuple[str, Any]) -> ColumnElement[Any]:
        args: list[Any] = []
        for key, value in pairs:
            args += [code(key), value]
        build = func.json_build_object if self.postgresql else func.json_object
        return build(*args)

    def embed(self, document: Any) -> ColumnElement[Any]:
        """A JSON document read from a CTE, to nest in another (SQLite would quote it as a
        string without ``json()``)."""
        return document if self.postgresql else func.json(document)

    def array_window(
        self, element: Any, where: Any, partition_by: Any, order_by: Any
    ) -> ColumnElement[Any]:
        """SQLite only (NULL on PostgreSQL): the array of :meth:`array`, built on every row
        of its group by a window, the one place where SQLite before 3.44 orders what it
        aggregates."""
        if self.postgresql:
            return null()
        return (
            func.json_group_array(element)
            .filter(where)
            .over(partition_by=partition_by, order_by=order_by, range_=(None, None))
        )

    def array(self, element: Any, order_by: Any, where: Any, window: Any) -> ColumnElement[Any]:
        """The ``element`` of the rows meeting ``where`` in a JSON array ordered by
        ``order_by`` (``[]`` for none), as an aggregate of a GROUP BY; SQLite takes it from
        the ``window`` column (:meth:`array_window`) of the grouped rows."""
        if self.postgresql:
            found = func.json_agg(aggregate_order_by(element, order_by)).filter(where)
            return func.coalesce(found, self.empty())
        return func.coalesce(func.max(window), self.empty())

    def empty(self) -> ColumnElement[Any]:
        """An empty JSON array."""
        if self.postgresql:
            return cast(literal_column("'[]'"), JSON)
        return func.json_array()

    def same(self, left: Any, right: Any) -> ColumnElement[bool]:
        """Whether two stored JSON documents say the same (not merely spell it the same)."""
        if self.postgresql:
            return cast(left, JSONB).is_not_distinct_from(cast(right, JSONB))
        return func.json(left).is_not_distinct_from(func.json(right))
