"""What the public transparency page (``/transparansi``) shows: per period, each unit's
index and grade with its services', and the comments approved for publication.

Aggregates only, read without a policy because they are public by design: no response row,
no respondent profile, no browser key, no id of a response; of a comment, its text alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from kinerja.extensions import db
from kinerja.models.org import Unit
from kinerja.models.planning import Period
from kinerja.models.surveys import Service, Survey, SurveyResponse, SurveyResult, UnitSurveyResult
from kinerja.services.surveys.results import grade_label

PUBLISHED_SHOWN = 100


@dataclass(frozen=True)
class PublicService:
    name: str
    ikm: Decimal | None
    grade: str | None
    responses: int

    @property
    def grade_label(self) -> str | None:
        return grade_label(self.grade)


@dataclass(frozen=True)
class PublicUnit:
    name: str
    ikm: Decimal | None
    grade: str | None
    responses: int
    services: list[PublicService]

    @property
    def grade_label(self) -> str | None:
        return grade_label(self.grade)


@dataclass(frozen=True)
class PublicComment:
    service: str
    text: str


def public_periods() -> list[Period]:
    """The periods with a unit's index, latest first (the first is shown by default)."""
    having = select(UnitSurveyResult.period_id).where(UnitSurveyResult.responses > 0)
    return list(
        db.session.scalars(select(Period).where(Period.id.in_(having)).order_by(Period.year.desc()))
    )


def public_units(period_id: int) -> list[PublicUnit]:
    """Every unit's index in the period with those of its services, by unit name."""
    units = db.session.execute(
        select(Unit.id, Unit.name, UnitSurveyResult.ikm, UnitSurveyResult.grade)
        .add_columns(UnitSurveyResult.responses)
        .join(UnitSurveyResult, UnitSurveyResult.unit_id == Unit.id)
        .where(UnitSurveyResult.period_id == period_id, UnitSurveyResult.responses > 0)
        .order_by(Unit.name)
    ).all()
    services: dict[int, list[PublicService]] = {}
    for unit_id, name, ikm, grade, responses in db.session.execute(
        select(Service.unit_id, Service.name, SurveyResult.ikm, SurveyResult.grade)
        .add_columns(SurveyResult.responses)
        .join(Survey, Survey.service_id == Service.id)
        .join(SurveyResult, SurveyResult.survey_id == Survey.id)
        .where(Survey.period_id == period_id, SurveyResult.responses > 0)
        .order_by(Service.name, Survey.opens_on)
    ):
        services.setdefault(unit_id, []).append(PublicService(name, ikm, grade, responses))
    return [
        PublicUnit(name, ikm, grade, responses, services.get(unit_id, []))
        for unit_id, name, ikm, grade, responses in units
    ]


def published_comments(period_id: int, limit: int = PUBLISHED_SHOWN) -> list[PublicComment]:
    """The comments approved for publication in the period, latest first: text and
    service only."""
    rows = db.session.execute(
        select(Service.name, SurveyResponse.comment)
        .join(Survey, Survey.id == SurveyResponse.survey_id)
        .join(Service, Service.id == Survey.service_id)
        .where(
            Survey.period_id == period_id,
            SurveyResponse.comment_published.is_(True),
            SurveyResponse.comment.is_not(None),
        )
        .order_by(SurveyResponse.submitted_at.desc())
        .limit(limit)
    )
    return [PublicComment(service, text) for service, text in rows if text and text.strip()]
