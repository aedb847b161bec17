"""The heavy pass of the ratings job: every realization of the regular sub-periods of the
rated plans accumulated per indicator — sum, count and the latest value — into a temporary
table that the set-based statement (:mod:`kinerja.services.ratings.statement`) then joins.
Every report counts, whatever its state, as on the report page: the year to date is what
the employee reported; the annual evaluation's own report is not a sub-period's.

A statement of its own because PostgreSQL runs a ``CREATE TABLE … AS SELECT`` with parallel
workers, and an ``INSERT … SELECT`` never: on two cores this pass, millions of rows, takes
about half the time. The table lives in the transaction's connection only (so two runs at
once do not meet) and is dropped once the batch is rated; SQLite runs the same statements.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Numeric, column, func, select, table, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement, TextClause

from kinerja.models.planning import SubPeriod
from kinerja.models.reports import Realization, Report
from kinerja.services.ratings import sql

NAME = "rating_indicator_totals"
TOTALS = table(
    NAME,
    column("indicator_id"),
    column("total", Numeric()),
    column("reported"),
    column("latest", Numeric()),
)


class CreateTemporaryTableAs(Executable, ClauseElement):
    """``CREATE TEMPORARY TABLE name AS <select>``, for PostgreSQL and SQLite."""

    inherit_cache = False

    def __init__(self, name: str, query: Any) -> None:
        self.name = name
        self.query = query


@compiles(CreateTemporaryTableAs)
def _compile(element: CreateTemporaryTableAs, compiler: Any, **kw: Any) -> str:
    return f"CREATE TEMPORARY TABLE {element.name} AS {compiler.process(element.query, **kw)}"


def create(of_plans: Any, dialect_name: str) -> CreateTemporaryTableAs:
    """The totals of the indicators of the plans meeting ``of_plans`` (a condition on
    ``report.work_plan_id``); the latest value packed with its sub-period
    (:func:`kinerja.services.ratings.sql.packed_latest`)."""
    value = sql.as_stored(Realization.value, dialect_name)
    query = (
        select(
            Realization.indicator_id.label("indicator_id"),
            func.sum(value).label("total"),
            func.count(value).label("reported"),
            func.max(sql.packed_latest(SubPeriod.number, value)).label("latest"),
        )
        .join(Report, Report.id == Realization.report_id)
        .join(SubPeriod, SubPeriod.id == Report.sub_period_id)
        .where(of_plans, SubPeriod.annual.is_(False), Realization.value.is_not(None))
        .group_by(Realization.indicator_id)
    )
    return CreateTemporaryTableAs(NAME, query)


def analyze() -> TextClause:
    """Statistics for the planner of the statement that joins the totals."""
    return text(f"ANALYZE {NAME}")


def drop() -> TextClause:
    return text(f"DROP TABLE {NAME}")
