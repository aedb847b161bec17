"""Gaps between what positions require and what people were assessed at, as statements that
every caller shares: the recommendation job reads them for everyone at once, the career and
employee pages for one person, the unit summary per unit.

The latest assessment of a competency counts (by date, then by id); a competency of the
standard never assessed counts as level 0 (:func:`kinerja.domain.competency.gap`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select, true

from kinerja.domain.competency import job_person_match
from kinerja.extensions import db
from kinerja.models.competency import Assessment, PositionCompetency
from kinerja.models.org import Employee


def latest_assessments() -> Any:
    """``(employee_id, competency_id, level)`` of each latest assessment (a subquery):
    ``DISTINCT ON`` on PostgreSQL, whose planner estimates it well enough to hash-join it
    (a window's row count it misjudges by a hundredfold, then merges on one key of two);
    a window function elsewhere."""
    latest_first = (
        Assessment.employee_id,
        Assessment.competency_id,
        Assessment.assessed_on.desc(),
        Assessment.id.desc(),
    )
    columns = (Assessment.employee_id, Assessment.competency_id, Assessment.level)
    if db.engine.dialect.name == "postgresql":
        return (
            select(*columns)
            .distinct(Assessment.employee_id, Assessment.competency_id)
            .order_by(*latest_first)
            .subquery("latest")
        )
    numbered = select(
        *columns,
        func.row_number()
        .over(
            partition_by=(Assessment.employee_id, Assessment.competency_id),
            order_by=latest_first[2:],
        )
        .label("n"),
    ).subquery("numbered")
    return (
        select(numbered.c.employee_id, numbered.c.competency_id, numbered.c.level)
        .where(numbered.c.n == 1)
        .subquery("latest")
    )


def standard_lines(employees: ColumnElement[bool] | None = None) -> Select[Any]:
    """``(employee_id, competency_id, required, assessed)`` of each active employee's
    position standard, ``assessed`` None where never assessed; ``employees`` narrows."""
    latest = latest_assessments()
    return (
        select(
            Employee.id.label("employee_id"),
            PositionCompetency.competency_id,
            PositionCompetency.required_level.label("required"),
            latest.c.level.label("assessed"),
        )
        .join(PositionCompetency, PositionCompetency.position_id == Employee.position_id)
        .outerjoin(
            latest,
            and_(
                latest.c.employee_id == Employee.id,
                latest.c.competency_id == PositionCompetency.competency_id,
            ),
        )
        .where(Employee.active.is_(True), employees if employees is not None else true())
    )


def positive_gaps(employees: ColumnElement[bool] | None = None) -> Select[Any]:
    """``(employee_id, competency_id, gap)`` where the gap is a development need."""
    lines = standard_lines(employees).subquery("lines")
    gap = (lines.c.required - func.coalesce(lines.c.assessed, 0)).label("gap")
    return select(lines.c.employee_id, lines.c.competency_id, gap).where(gap > 0)


def matches(employee_ids: Iterable[int]) -> dict[int, Decimal | None]:
    """The job-person match of each employee named (None without a standard)."""
    ids = list(employee_ids)
    pairs: dict[int, list[tuple[int, int | None]]] = {employee_id: [] for employee_id in ids}
    if ids:
        rows = db.session.execute(standard_lines(Employee.id.in_(ids)))
        for row in rows:
            pairs[row.employee_id].append((row.required, row.assessed))
    return {employee_id: job_person_match(lines) for employee_id, lines in pairs.items()}
