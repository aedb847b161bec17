"""Reading the computed survey indices: the results screen's lists and detail page (with the
previous period's figures beside), and the small value objects the unit predikat screen
and an employee's review page show. Every read asks the policies; templates get plain
values and run no query."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import contains_eager

from kinerja.domain.errors import N_, NotFoundError
from kinerja.domain.survey import ELEMENTS, Grade
from kinerja.extensions import db
from kinerja.models.org import Unit
from kinerja.models.planning import Period
from kinerja.models.surveys import (
    NRR_COLUMNS,
    Service,
    Survey,
    SurveyResponse,
    SurveyResult,
    UnitSurveyResult,
    service_position,
)
from kinerja.models.trees import unit_subtree_ids
from kinerja.security.policies import survey_responses, survey_results, unit_survey_results
from kinerja.security.policies.scope import Scope

ELEMENT_LABELS = {
    "requirements": N_("Requirements"),
    "procedure": N_("System, mechanism and procedure"),
    "time": N_("Completion time"),
    "cost": N_("Cost/fee"),
    "product": N_("Service product"),
    "competence": N_("Staff competence"),
    "behaviour": N_("Staff behaviour"),
    "complaints": N_("Handling of complaints, suggestions and feedback"),
    "facilities": N_("Facilities"),
}
COMMENTS_SHOWN = 200


def grade_label(grade: str | None) -> str | None:
    """The English label (msgid) of a stored grade letter."""
    return Grade(grade).label if grade else None


def priority_labels(priorities: str | None) -> list[str]:
    return [ELEMENT_LABELS[code] for code in (priorities or "").split(",") if code]


def nrr_values(row: Any) -> list[Decimal | None]:
    return [getattr(row, name) for name in NRR_COLUMNS]


@dataclass(frozen=True)
class Filters:
    period_id: int | None = None
    unit_id: int | None = None


def survey_filter(filters: Filters) -> list[ColumnElement[bool]]:
    where = []
    if filters.period_id is not None:
        where.append(Survey.period_id == filters.period_id)
    if filters.unit_id is not None:
        where.append(Service.unit_id.in_(unit_subtree_ids(filters.unit_id)))
    return where


def listed_results(scope: Scope, filters: Filters) -> Select[Any]:
    return (
        select(SurveyResult)
        .join(SurveyResult.survey)
        .join(Survey.service)
        .join(Service.unit)
        .join(Survey.period)
        .where(survey_results.read(scope), *survey_filter(filters))
        .options(
            contains_eager(SurveyResult.survey).contains_eager(Survey.service),
            contains_eager(SurveyResult.survey).contains_eager(Survey.period),
            contains_eager(SurveyResult.survey, Survey.service).contains_eager(Service.unit),
        )
    )


def survey_result_rows(
    scope: Scope, filters: Filters, page: int = 0, page_size: int = 50
) -> tuple[list[SurveyResult], int]:
    """One page of the surveys' results one reads (latest period first), and their count."""
    query = listed_results(scope, filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(
        query.order_by(Period.year.desc(), Unit.code, Service.name, Survey.opens_on)
        .offset(page * page_size)
        .limit(page_size)
    )
    return list(rows.unique()), total


def unit_result_rows(scope: Scope, filters: Filters) -> list[UnitSurveyResult]:
    """The units' results one reads, latest period first."""
    query = (
        select(UnitSurveyResult)
        .join(UnitSurveyResult.unit)
        .join(UnitSurveyResult.period)
        .where(unit_survey_results.read(scope))
        .options(contains_eager(UnitSurveyResult.unit), contains_eager(UnitSurveyResult.period))
    )
    if filters.period_id is not None:
        query = query.where(UnitSurveyResult.period_id == filters.period_id)
    if filters.unit_id is not None:
        query = query.where(UnitSurveyResult.unit_id.in_(unit_subtree_ids(filters.unit_id)))
    return list(db.session.scalars(query.order_by(Period.year.desc(), Unit.code).limit(500)))


def periods() -> list[Period]:
    return list(db.session.scalars(select(Period).order_by(Period.year.desc())))


def surveyed_units(scope: Scope) -> list[Unit]:
    """The units with a result one reads (the unit filter's choices)."""
    return list(
        db.session.scalars(
            select(Unit)
            .where(
                Unit.id.in_(select(UnitSurveyResult.unit_id).where(unit_survey_results.read(scope)))
            )
            .order_by(Unit.code)
        )
    )


# --- the detail page --------------------------------------------------------------------------


@dataclass(frozen=True)
class Element:
    """One element's NRR (1–4), with the previous period's beside it."""

    code: str
    label: str
    nrr: Decimal | None
    previous: Decimal | None


@dataclass(frozen=True)
class Figures:
    """An index to compare with: whose (a period's name), the IKM, grade and count."""

    period: str
    ikm: Decimal | None
    grade: str | None
    responses: int

    @property
    def grade_label(self) -> str | None:
        return grade_label(self.grade)


@dataclass(frozen=True)
class SurveyReport:
    result: SurveyResult
    survey: Survey
    elements: list[Element]
    priorities: list[str]
    comments: list[str]
    all_comments: bool  # False: only those published (the reader may not read responses)
    previous: Figures | None
    unit: Figures | None
    unit_previous: Figures | None

    @property
    def grade_label(self) -> str | None:
        return grade_label(self.result.grade)

    @property
    def reached(self) -> bool:
        return self.result.responses >= self.result.required


def _figures(row: Any, period: Period) -> Figures | None:
    if row is None:
        return None
    return Figures(period.name, row.ikm, row.grade, row.responses)


def previous_period(period: Period) -> Period | None:
    return db.session.scalar(
        select(Period).where(Period.year < period.year).order_by(Period.year.desc()).limit(1)
    )


def survey_report(scope: Scope, result_id: int | None) -> SurveyReport:
    """The detail page of one survey's result; not found outside the reader's reach."""
    result = survey_results.readable(scope, result_id)
    if result is None:
        raise NotFoundError()
    survey = result.survey
    earlier = previous_period(survey.period)
    before = None
    if earlier is not None:
        before = db.session.scalar(
            select(SurveyResult)
            .join(SurveyResult.survey)
            .where(Survey.service_id == survey.service_id, Survey.period_id == earlier.id)
            .order_by(Survey.opens_on.desc())
            .limit(1)
        )
    old = nrr_values(before) if before is not None else [None] * len(ELEMENTS)
    elements = [
        Element(code, ELEMENT_LABELS[code], nrr, previous)
        for code, nrr, previous in zip(ELEMENTS, nrr_values(result), old, strict=True)
    ]
    all_comments = reads_responses(scope, survey.id)
    return SurveyReport(
        result=result,
        survey=survey,
        elements=elements,
        priorities=priority_labels(result.priorities),
        comments=comments(survey.id, published_only=not all_comments),
        all_comments=all_comments,
        previous=_figures(before, earlier) if earlier else None,
        unit=_figures(_unit_row(scope, survey.service.unit_id, survey.period_id), survey.period),
        unit_previous=_figures(_unit_row(scope, survey.service.unit_id, earlier.id), earlier)
        if earlier
        else None,
    )


def _unit_row(scope: Scope, unit_id: int, period_id: int) -> UnitSurveyResult | None:
    return db.session.scalar(
        select(UnitSurveyResult).where(
            UnitSurveyResult.unit_id == unit_id,
            UnitSurveyResult.period_id == period_id,
            unit_survey_results.read(scope),
        )
    )


def reads_responses(scope: Scope, survey_id: int) -> bool:
    """Whether the reader reads this survey's responses (so every comment, not only the
    published ones); a survey nobody answered has none either way."""
    found = db.session.scalar(
        select(SurveyResponse.id)
        .where(SurveyResponse.survey_id == survey_id, survey_responses.read(scope))
        .limit(1)
    )
    return found is not None


def comments(survey_id: int, published_only: bool) -> list[str]:
    """The survey's comments, latest first: the text only, never who wrote it."""
    query = select(SurveyResponse.comment).where(
        SurveyResponse.survey_id == survey_id,
        SurveyResponse.comment.is_not(None),
        SurveyResponse.comment != "",
    )
    if published_only:
        query = query.where(SurveyResponse.comment_published.is_(True))
    ordered = query.order_by(SurveyResponse.submitted_at.desc(), SurveyResponse.id.desc())
    return [text for text in db.session.scalars(ordered.limit(COMMENTS_SHOWN)) if text]


# --- feeding the evaluation -------------------------------------------------------------------


@dataclass(frozen=True)
class UnitIndex:
    """A unit's satisfaction index in a period, as shown beside a predikat."""

    unit_id: int
    unit: str
    ikm: Decimal | None
    grade: str | None
    responses: int
    services: tuple[str, ...] = ()

    @property
    def grade_label(self) -> str | None:
        return grade_label(self.grade)


def _index(row: UnitSurveyResult, services: tuple[str, ...] = ()) -> UnitIndex:
    return UnitIndex(row.unit_id, row.unit.name, row.ikm, row.grade, row.responses, services)


def unit_indices(scope: Scope, unit_ids: list[int], period_id: int) -> dict[int, UnitIndex]:
    """The index of each of these units in the period (those computed and readable)."""
    if not unit_ids:
        return {}
    rows = db.session.scalars(
        select(UnitSurveyResult).where(
            UnitSurveyResult.unit_id.in_(unit_ids),
            UnitSurveyResult.period_id == period_id,
            unit_survey_results.read(scope),
        )
    )
    return {row.unit_id: _index(row) for row in rows}


def delivered_indices(scope: Scope, position_id: int | None, period_id: int) -> list[UnitIndex]:
    """The indices, in the period, of the units whose services the holders of this position
    deliver (the services listing it), with those services' names."""
    if position_id is None:
        return []
    delivered = db.session.execute(
        select(Service.unit_id, Service.name)
        .join(service_position, service_position.c.service_id == Service.id)
        .where(service_position.c.position_id == position_id)
        .order_by(Service.name)
    ).all()
    names: dict[int, list[str]] = {}
    for unit_id, name in delivered:
        names.setdefault(unit_id, []).append(name)
    found = unit_indices(scope, list(names), period_id)
    return [
        UnitIndex(**{**vars(index), "services": tuple(names[unit_id])})
        for unit_id, index in sorted(found.items(), key=lambda item: item[1].unit)
    ]
