"""The satisfaction index (IKM) of each survey, and of each unit per period over all its
services' surveys, computed by the ``compute_survey_indices`` job.

* **Set-based**: one ``GROUP BY`` over ``survey_response`` gives, per survey, the number
  of responses and the sum of each element's answers; a unit's totals in a period are the
  sums of its surveys' totals (integers: exact). The index itself is the domain's
  :func:`kinerja.domain.survey.ikm_from_totals` over those totals, in Python: exact 1/9
  weights, one half-up rounding, the same figure as anywhere else.
* **Whole units**: asked for one survey, the job recomputes every survey of the unit and
  period it belongs to, so the unit's index always covers all of them.
* **Idempotent**: results are upserts keyed by the survey (by unit and period) that
  rewrite a row only where a figure changes; an unchanged row keeps its ``computed_at``.
* **Within reach**: a run computes the surveys its requester may manage (the Admin all, an
  Operator their units'; the system's runs all).

The statements are the same whatever the number of surveys: two reads and two upserts.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, func, or_, select, text, tuple_
from sqlalchemy.dialects import postgresql, sqlite

from kinerja.domain.errors import N_
from kinerja.domain.survey import ELEMENT_COUNT, ikm_from_totals, priorities, sample_size
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.org import Unit
from kinerja.models.surveys import (
    ANSWER_COLUMNS,
    NRR_COLUMNS,
    Service,
    Survey,
    SurveyResponse,
    SurveyResult,
    UnitSurveyResult,
)
from kinerja.security.policies import surveys, units
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import transaction

SUMMARY = N_(
    "%(surveys)d surveys and %(units)d unit results from %(responses)d responses; "
    "%(changed)d changed."
)
INDEX_COLUMNS = ("responses", *NRR_COLUMNS, "ikm", "grade", "priorities")
_NRR_STEP = Fraction(1, 10_000)  # NRR kept to 4 decimals, half-up
_ANSWERS = [SurveyResponse.__table__.c[name] for name in ANSWER_COLUMNS]


@dataclass(frozen=True)
class Totals:
    """Responses and each element's sum of answers."""

    responses: int
    sums: tuple[int, ...]

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.responses + other.responses,
            tuple(a + b for a, b in zip(self.sums, other.sums, strict=True)),
        )


NONE = Totals(0, (0,) * ELEMENT_COUNT)


@dataclass(frozen=True)
class IndexRun:
    """What one computation did, for the jobs screen."""

    surveys: int
    units: int
    responses: int
    changed: int
    seconds: float

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Member:
    """A survey computed, with what its rows need: its unit and period, its sample."""

    id: int
    unit_id: int
    period_id: int
    required: int


def index_values(totals: Totals) -> dict[str, Any]:
    """The index columns of ``totals``: NRR to 4 decimals, IKM, grade and the three
    weakest elements; only the count when nobody answered yet."""
    if totals.responses == 0:
        return {"responses": 0, **dict.fromkeys(INDEX_COLUMNS[1:])}
    found = ikm_from_totals(totals.sums, [totals.responses] * ELEMENT_COUNT)
    return {
        "responses": totals.responses,
        **{name: _nrr(nrr) for name, nrr in zip(NRR_COLUMNS, found.per_element, strict=True)},
        "ikm": found.value,
        "grade": found.grade.value,
        "priorities": ",".join(priorities(found.per_element)),
    }


def _nrr(value: Fraction) -> Decimal:
    steps = math.floor(value / _NRR_STEP + Fraction(1, 2))
    return (Decimal(steps) / 10_000).quantize(Decimal("0.0001"))


def chosen(
    scope: Scope, survey_ids: Sequence[int] | None, period_id: int | None
) -> ColumnElement[bool]:
    """The surveys asked for, within the requester's reach."""
    condition = surveys.manage(scope)
    if survey_ids is not None:
        condition = condition & Survey.id.in_(list(survey_ids))
    if period_id is not None:
        condition = condition & (Survey.period_id == period_id)
    return condition


def members(condition: ColumnElement[bool]) -> Select[Any]:
    """Every survey of the units and periods of the surveys meeting ``condition``."""
    pairs = (
        select(Service.unit_id, Survey.period_id)
        .join(Service, Service.id == Survey.service_id)
        .where(condition)
        .distinct()
    )
    return (
        select(Survey.id, Service.unit_id, Survey.period_id, Service.yearly_population)
        .join(Service, Service.id == Survey.service_id)
        .where(tuple_(Service.unit_id, Survey.period_id).in_(pairs))
    )


def survey_totals(survey_ids: Select[Any]) -> dict[int, Totals]:
    """One ``GROUP BY``: per survey of ``survey_ids`` (a ``SELECT id``), its totals."""
    query = (
        select(SurveyResponse.survey_id, func.count(), *[func.sum(c) for c in _ANSWERS])
        .where(SurveyResponse.survey_id.in_(survey_ids))
        .group_by(SurveyResponse.survey_id)
    )
    return {
        row[0]: Totals(int(row[1]), tuple(int(s) for s in row[2:]))
        for row in db.session.execute(query)
    }


def compute_survey_indices(
    survey_ids: Sequence[int] | None,
    period_id: int | None,
    scope: Scope,
    *,
    run_id: int | None = None,
) -> IndexRun:
    """Compute and store the indices of the surveys asked for (all within reach when
    neither surveys nor a period is named) and of their units; see the module's docstring."""
    started = time.perf_counter()
    now = utcnow()
    with transaction():
        _tune()
        query = members(chosen(scope, survey_ids, period_id))
        found = [
            Member(row.id, row.unit_id, row.period_id, sample_size(int(row.yearly_population)))
            for row in db.session.execute(query)
        ]
        totals = survey_totals(query.with_only_columns(Survey.id)) if found else {}
        units: dict[tuple[int, int], Totals] = {}
        survey_rows = []
        for member in found:
            own = totals.get(member.id, NONE)
            key = (member.unit_id, member.period_id)
            units[key] = units.get(key, NONE) + own
            survey_rows.append(
                {"survey_id": member.id, "required": member.required, **index_values(own)}
            )
        unit_rows = [
            {"unit_id": unit_id, "period_id": period, **index_values(sums)}
            for (unit_id, period), sums in units.items()
        ]
        _upsert(SurveyResult, ["survey_id"], ["required"], survey_rows, now, run_id)
        _upsert(UnitSurveyResult, ["unit_id", "period_id"], [], unit_rows, now, run_id)
        changed = _changed(now) if found else 0
        if survey_ids is None:
            changed += _drop_orphans(scope, period_id)
    return IndexRun(
        surveys=len(survey_rows),
        units=len(unit_rows),
        responses=sum(t.responses for t in totals.values()),
        changed=changed,
        seconds=round(time.perf_counter() - started, 3),
    )


def summary(run: IndexRun) -> tuple[str, dict[str, Any]]:
    """The run's outcome as a message template and its parameters."""
    return SUMMARY, {k: getattr(run, k) for k in ("surveys", "units", "responses", "changed")}


def _tune() -> None:
    """PostgreSQL, this transaction only: no JIT (compiling the aggregate costs more than
    running it)."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))


def _upsert(
    model: type[Any],
    keys: list[str],
    extra: list[str],
    rows: list[dict[str, Any]],
    now: datetime,
    run_id: int | None,
) -> None:
    """Insert the rows, or update the stored ones where a value differs (not otherwise)."""
    if not rows:
        return
    table = model.__table__
    module: Any = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = module.insert(table)
    compared = [*extra, *INDEX_COLUMNS]
    statement = statement.on_conflict_do_update(
        index_elements=keys,
        set_={
            **{name: statement.excluded[name] for name in compared},
            "computed_at": statement.excluded.computed_at,
            "run_id": statement.excluded.run_id,
            "updated_at": statement.excluded.updated_at,
        },
        where=or_(*[table.c[name].is_distinct_from(statement.excluded[name]) for name in compared]),
    )
    stamp = {"computed_at": now, "run_id": run_id, "created_at": now, "updated_at": now}
    db.session.execute(statement, [{**row, **stamp} for row in rows])


def _drop_orphans(scope: Scope, period_id: int | None) -> int:
    """Remove the results of a unit and period that no longer has any survey (its surveys
    were moved to another period or service, or deleted unanswered): without a survey there
    is no index, and a stale one would still feed the unit's evaluation."""
    has_survey = (
        select(Survey.id)
        .join(Service, Service.id == Survey.service_id)
        .where(
            Service.unit_id == UnitSurveyResult.unit_id,
            Survey.period_id == UnitSurveyResult.period_id,
        )
        .exists()
    )
    reach = select(Unit.id).where(units.placeable(scope))
    statement = delete(UnitSurveyResult).where(UnitSurveyResult.unit_id.in_(reach), ~has_survey)
    if period_id is not None:
        statement = statement.where(UnitSurveyResult.period_id == period_id)
    result: Any = db.session.execute(statement)
    return int(result.rowcount or 0)


def _changed(now: datetime) -> int:
    """Rows this run wrote (new or changed): those stamped with its moment."""
    counted = 0
    for model in (SurveyResult, UnitSurveyResult):
        counted += (
            db.session.scalar(
                select(func.count()).select_from(model).where(model.computed_at == now)
            )
            or 0
        )
    return counted
