"""Factories for the satisfaction surveys: services, surveys and the public's responses,
written directly as rows and committed (workers in other processes see them)."""

from __future__ import annotations

import itertools
import random
import secrets
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.org import Position, Unit
from kinerja.models.planning import Period
from kinerja.models.surveys import (
    ANSWER_COLUMNS,
    AgeRange,
    Education,
    Occupation,
    Service,
    Sex,
    Survey,
    SurveyResponse,
    SurveyResult,
)
from kinerja.security.policies import SYSTEM
from kinerja.services.surveys.indices import compute_survey_indices

_serial = itertools.count(1)


def make_service(
    unit: Unit,
    name: str | None = None,
    population: int = 300,
    positions: Sequence[Position] = (),
) -> Service:
    service = Service(
        unit_id=unit.id,
        name=name or f"Layanan {next(_serial)}",
        yearly_population=population,
        active=True,
        positions=list(positions),
    )
    db.session.add(service)
    db.session.flush()
    return service


def make_survey(
    service: Service,
    period: Period,
    opens_on: date | None = None,
    days: int = 30,
    closed: bool = False,
) -> Survey:
    start = opens_on or date(period.year, 1, 1) + timedelta(days=next(_serial) % 300)
    survey = Survey(
        service_id=service.id,
        period_id=period.id,
        token=secrets.token_hex(16),
        opens_on=start,
        closes_on=start + timedelta(days=days),
        closed_at=utcnow() if closed else None,
    )
    db.session.add(survey)
    db.session.flush()
    return survey


def add_responses(
    survey: Survey,
    answers: Sequence[Sequence[int]],
    comments: Sequence[str | None] = (),
    published: Sequence[bool] = (),
    profile: bool = True,
) -> list[SurveyResponse]:
    """One response per row of ``answers`` (nine 1–4 each), with a profile and the
    comments given (published where told)."""
    rows = []
    for index, given in enumerate(answers):
        values: dict[str, Any] = dict(zip(ANSWER_COLUMNS, given, strict=True))
        if profile:
            values |= {
                "age_range": list(AgeRange)[index % len(AgeRange)],
                "sex": list(Sex)[index % 2],
                "education": list(Education)[index % len(Education)],
                "occupation": list(Occupation)[index % len(Occupation)],
            }
        response = SurveyResponse(
            survey_id=survey.id,
            submitted_at=utcnow(),
            browser_key=f"browser-{secrets.token_hex(12)}",
            comment=comments[index] if index < len(comments) else None,
            comment_published=published[index] if index < len(published) else False,
            **values,
        )
        db.session.add(response)
        rows.append(response)
    db.session.flush()
    return rows


def random_answers(count: int, seed: int = 7, low: int = 1, high: int = 4) -> list[list[int]]:
    chance = random.Random(seed)  # noqa: S311 - test data
    return [[chance.randint(low, high) for _ in ANSWER_COLUMNS] for _ in range(count)]


def surveyed(unit: Unit, period: Period, answers: Sequence[Sequence[int]], **kw: Any) -> Survey:
    """A service of ``unit`` with one survey in ``period`` answered by ``answers``;
    committed."""
    survey = make_survey(make_service(unit, **kw), period)
    add_responses(survey, answers)
    db.session.commit()
    return survey


def computed_results(surveys: dict[str, int]) -> dict[str, Any]:
    """Compute the surveys (ids by name) with the job's use case: their results by name."""
    compute_survey_indices(list(surveys.values()), None, SYSTEM)
    return {
        name: db.session.scalar(select(SurveyResult).where(SurveyResult.survey_id == survey_id))
        for name, survey_id in surveys.items()
    }


def survey_some_units(count: int = 2) -> list[int]:
    """Surveys with responses (comments, one published) for the first ``count`` units of
    whatever organisation is loaded (the demo), in its latest period; computed. Their ids."""
    period = db.session.scalar(select(Period).order_by(Period.year.desc()).limit(1))
    units = db.session.scalars(
        select(Unit).where(Unit.parent_id.is_not(None)).order_by(Unit.id).limit(count)
    )
    ids = []
    for unit in units:
        survey = make_survey(make_service(unit, population=500), period)
        add_responses(survey, random_answers(12), ["Cepat", "Ramah"], [True, False])
        ids.append(survey.id)
    db.session.commit()
    compute_survey_indices(ids, None, SYSTEM)
    return ids
