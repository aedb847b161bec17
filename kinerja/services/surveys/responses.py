"""The public's side: one response to a survey, from the form at ``/skm/<token>`` or the
public API, through the same use case.

Nobody is signed in: the survey's token is the only key, a closed or unknown survey refuses,
the nine answers are checked by :func:`kinerja.domain.survey.validate_answers` and a browser
answers a survey once (the database's unique constraint decides, so two workers racing
cannot both save). One ``SELECT`` and one ``INSERT`` per response.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import insert, literal, select
from sqlalchemy.exc import IntegrityError

from kinerja.domain.errors import N_, ConflictError, DomainError, FieldErrors, NotFoundError
from kinerja.domain.org import LabeledEnum
from kinerja.domain.survey import ELEMENT_COUNT, HIGHEST, LOWEST, validate_answers
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.surveys import (
    ANSWER_COLUMNS,
    COMMENT_LENGTH,
    AgeRange,
    Education,
    Occupation,
    Sex,
    Survey,
    SurveyResponse,
    SurveyStatus,
)
from kinerja.services.boundary import use_case
from kinerja.services.surveys.catalogue import today
from kinerja.services.validation import Errors

PROFILE_FIELDS: dict[str, type[LabeledEnum]] = {
    "age_range": AgeRange,
    "sex": Sex,
    "education": Education,
    "occupation": Occupation,
}
BROWSER_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
DUPLICATE_CONSTRAINT = "uq_survey_response_browser"

UNKNOWN_SURVEY = N_("This survey does not exist. Please check the link or the QR code.")
NOT_YET_OPEN = N_("This survey is not open yet: it opens on %(date)s.")
CLOSED = N_("This survey is closed. Thank you for your interest.")
ALREADY_ANSWERED = N_("This browser has already answered this survey. Thank you!")
MISSING_ANSWER = N_("Please choose one of the four answers.")
INVALID_ANSWER = N_("The answer must be one of the four choices.")


def survey_by_token(token: str) -> Survey | None:
    """The survey behind a public link (no policy: the token is the public's key)."""
    if not isinstance(token, str) or not 1 <= len(token) <= 64:
        return None
    found: Survey | None = db.session.scalar(select(Survey).where(Survey.token == token))
    return found


def has_answered(survey: Survey, browser_key: str) -> bool:
    """Whether this browser already answered ``survey`` (the form says so up front)."""
    found = db.session.execute(
        select(SurveyResponse.id)
        .where(SurveyResponse.survey_id == survey.id, SurveyResponse.browser_key == browser_key)
        .limit(1)
    ).first()
    return found is not None


def check_open(survey: Survey | None) -> Survey:
    """The survey if the public may answer it today, else the refusal saying why."""
    if survey is None:
        raise NotFoundError(UNKNOWN_SURVEY)
    status = survey.status_on(today())
    if status is SurveyStatus.UPCOMING:
        raise ConflictError(NOT_YET_OPEN, date=survey.opens_on.isoformat())
    if status is SurveyStatus.CLOSED:
        raise ConflictError(CLOSED)
    return survey


def _answers(errors: Errors, answers: Sequence[object]) -> list[int]:
    """The nine answers as integers; each missing or wrong one named by its field
    (``a1``…``a9``). The form sends digits as text, the API numbers."""
    if isinstance(answers, str | bytes) or not isinstance(answers, Sequence):
        errors.add("answers", N_("A response has exactly %(count)d answers."), count=ELEMENT_COUNT)
        return []
    if len(answers) != ELEMENT_COUNT:
        errors.add("answers", N_("A response has exactly %(count)d answers."), count=ELEMENT_COUNT)
        return []
    checked: list[int] = []
    for column, value in zip(ANSWER_COLUMNS, answers, strict=True):
        if value is None or value == "":
            errors.add(column, MISSING_ANSWER)
            continue
        number = _whole_number(value)
        if number is None or not LOWEST <= number <= HIGHEST:
            errors.add(column, INVALID_ANSWER)
            continue
        checked.append(number)
    return checked


def _whole_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 2:
        return int(value.strip())
    return None


def _profile(errors: Errors, profile: Mapping[str, object] | None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field, value in (profile or {}).items():
        enum_class = PROFILE_FIELDS.get(field)
        if enum_class is None:
            errors.add(field, N_("Unknown field."))
            continue
        if value is None or value == "":
            continue
        try:
            values[field] = enum_class(str(value))
        except ValueError:
            errors.add(field, N_("Not a valid choice."))
    return values


def _comment(errors: Errors, comment: object) -> str | None:
    if comment is None:
        return None
    if not isinstance(comment, str):
        errors.add("comment", N_("Not a valid text."))
        return None
    text = comment.strip()
    if len(text) > COMMENT_LENGTH:
        errors.add(
            "comment",
            N_("The comment is too long: at most %(max)d characters."),
            max=COMMENT_LENGTH,
        )
    return text or None


@use_case
def submit_response(
    token: str,
    answers: Sequence[object],
    profile: Mapping[str, object] | None,
    comment: object,
    browser_key: str,
) -> int:
    """Save one member of the public's response to the survey of ``token``; its id.

    Refuses wrong input (422, the field named), an unknown survey (404), one not open
    today (409) and a browser that already answered it (409). The row is written by one
    ``INSERT … SELECT`` from the survey, if open, by its token: one round trip, and a survey
    closed a moment ago takes nothing."""
    errors = Errors()
    checked = _answers(errors, answers)
    values = _profile(errors, profile)
    text = _comment(errors, comment)
    if not isinstance(browser_key, str) or not BROWSER_KEY.match(browser_key):
        errors.add("browser_key", N_("A random key of 16–64 letters, digits, - or _."))
    errors.raise_if_any()
    try:
        validated = validate_answers(checked)
    except ValueError as exc:  # cannot happen after the checks above; never saved unchecked
        raise FieldErrors({"answers": [DomainError(str(exc))]}) from exc
    row: dict[str, Any] = {
        "submitted_at": utcnow(),
        "browser_key": browser_key,
        "comment": text,
        "comment_published": False,
        **dict(zip(ANSWER_COLUMNS, validated, strict=True)),
        **values,
    }
    table = SurveyResponse.__table__
    day = today()
    source = select(
        Survey.id, *(literal(value, table.c[name].type) for name, value in row.items())
    ).where(
        Survey.token == token,
        Survey.closed_at.is_(None),
        Survey.opens_on <= day,
        Survey.closes_on >= day,
    )
    statement = insert(table).from_select(["survey_id", *row], source).returning(table.c.id)
    try:
        new_id = db.session.execute(statement).scalar()
    except IntegrityError as exc:
        if DUPLICATE_CONSTRAINT in str(exc.orig) or "browser_key" in str(exc.orig):
            raise ConflictError(ALREADY_ANSWERED) from exc
        raise
    if new_id is None:  # no open survey has this token: say why
        check_open(survey_by_token(token))
        raise ConflictError(CLOSED)
    return int(new_id)
