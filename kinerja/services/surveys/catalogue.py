"""Use cases of the back office: the services a unit delivers, the surveys of a service and
the comments approved for the transparency page.

Each checks the survey policies itself (:mod:`kinerja.security.policies.surveys`), so it
is as safe from the API, a job or the CLI as from a screen. Closing a survey early asks the
index job by name (``compute_survey_indices``) through the outbox.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from kinerja.domain.errors import N_, ConflictError
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.org import Position, Unit
from kinerja.models.planning import Period
from kinerja.models.surveys import Service, Survey, SurveyResponse, SurveyStatus
from kinerja.security.policies import (
    is_within,
    periods,
    positions,
    services,
    survey_responses,
    surveys,
    units,
)
from kinerja.security.policies.scope import Scope
from kinerja.services import outbox
from kinerja.services.boundary import use_case
from kinerja.services.validation import NOT_FOUND, Errors, duplicate, require, require_within

INDEX_JOB = "compute_survey_indices"
TOKEN_BYTES = 16  # 22 characters in the link, 128 random bits


def today() -> date:
    """The day in the instance's time zone (a survey closing "on the 30th" closes at
    midnight in Jakarta, not in UTC)."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")
    return utcnow().astimezone(zone).date()


# --- services -------------------------------------------------------------------------------


def validate_service(service: Service, scope: Scope) -> None:
    """Name unique in its unit, population > 0, unit within reach, positions of that unit."""
    errors = Errors()
    with db.session.no_autoflush:
        unit_id = service.unit.id if service.unit is not None else service.unit_id
        require_within(errors, "unit", unit_id, units.placeable(scope), Unit)
        if require(errors, "name", service.name):
            service.name = service.name.strip()
            if unit_id is not None and duplicate(
                Service, Service.name, service.name, service.id, Service.unit_id == unit_id
            ):
                errors.add("name", N_("This unit already has a service of that name."))
        population = service.yearly_population
        if population is None or isinstance(population, bool) or population < 1:
            errors.add(
                "yearly_population",
                N_("The number of people served in a year must be at least 1."),
            )
        for position in service.positions:
            if position.unit_id != unit_id:
                errors.add(
                    "positions",
                    N_("Position %(position)s does not belong to the service's unit."),
                    position=position.name,
                )
            elif not is_within(positions.manage(scope), Position, position.id):
                errors.add("positions", NOT_FOUND)
        if service.description is not None and not service.description.strip():
            service.description = None
    errors.raise_if_any()


@use_case
def save_service(service: Service, scope: Scope) -> None:
    if service.id is not None:
        services.check_manage(scope, service)
    validate_service(service, scope)
    db.session.add(service)
    db.session.flush()


@use_case
def deactivate_service(service: Service, scope: Scope) -> None:
    """A service no longer delivered: kept with its surveys, offered for no new one."""
    services.check_manage(scope, service)
    service.active = False


@use_case
def delete_service(service: Service, scope: Scope) -> None:
    """Only a service never surveyed can go; one with surveys is deactivated instead."""
    services.check_manage(scope, service)
    count = db.session.scalar(select(func.count(Survey.id)).where(Survey.service_id == service.id))
    if count:
        raise ConflictError(
            N_("This service has %(count)d surveys: deactivate it instead."), count=count
        )
    db.session.delete(service)


# --- surveys --------------------------------------------------------------------------------


def new_token() -> str:
    """A fresh public token: random, unguessable, unused."""
    while True:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        if not duplicate(Survey, Survey.token, token, None):
            return token


def validate_survey(survey: Survey, scope: Scope) -> None:
    """An active service within reach, a period, dates in order and inside the period, one
    survey of a service starting on a day."""
    errors = Errors()
    with db.session.no_autoflush:
        service = survey.service or (
            db.session.get(Service, survey.service_id) if survey.service_id else None
        )
        if require(errors, "service", service) and service is not None:
            if not services.may_manage(scope, service):
                errors.add("service", NOT_FOUND)
            elif survey.id is None and not service.active:
                errors.add("service", N_("This service is no longer active."))
        period = survey.period or (
            db.session.get(Period, survey.period_id) if survey.period_id else None
        )
        if require(errors, "period", period) and not periods.may_read(scope, period):
            errors.add("period", NOT_FOUND)
        require(errors, "opens_on", survey.opens_on)
        require(errors, "closes_on", survey.closes_on)
        if survey.opens_on and survey.closes_on:
            if survey.closes_on < survey.opens_on:
                errors.add("closes_on", N_("The survey must close on or after its first day."))
            elif period is not None and not (
                period.starts_on <= survey.opens_on and survey.closes_on <= period.ends_on
            ):
                errors.add(
                    "opens_on",
                    N_("The survey's dates must lie within the period (%(start)s – %(end)s)."),
                    start=period.starts_on.isoformat(),
                    end=period.ends_on.isoformat(),
                )
            elif service is not None and duplicate(
                Survey,
                Survey.opens_on,
                survey.opens_on,
                survey.id,
                Survey.service_id == service.id,
            ):
                errors.add("opens_on", N_("This service already has a survey opening that day."))
    errors.raise_if_any()


@use_case
def save_survey(survey: Survey, scope: Scope) -> None:
    """Open a survey (a new public token) or change its dates while it is not closed."""
    if survey.id is not None:
        surveys.check_manage(scope, survey)
        if survey.closed_at is not None:
            raise ConflictError(N_("This survey was closed: its dates can no longer change."))
    validate_survey(survey, scope)
    if not survey.token:
        with db.session.no_autoflush:
            survey.token = new_token()
    db.session.add(survey)
    db.session.flush()


@use_case
def delete_survey(survey: Survey, scope: Scope) -> None:
    """Only a survey nobody answered can go (answers are the public's, never discarded)."""
    surveys.check_manage(scope, survey)
    if response_count(survey.id):
        raise ConflictError(N_("This survey has responses: close it instead."))
    db.session.delete(survey)


@use_case
def close_survey(survey: Survey, scope: Scope) -> None:
    """Close a survey before its last day; its index is computed at once."""
    surveys.check_manage(scope, survey)
    if survey.status_on(today()) is SurveyStatus.CLOSED:
        raise ConflictError(N_("This survey is already closed."))
    survey.closed_at = utcnow()
    outbox.schedule(INDEX_JOB, [survey.id])


def response_count(survey_id: int) -> int:
    return int(
        db.session.scalar(
            select(func.count(SurveyResponse.id)).where(SurveyResponse.survey_id == survey_id)
        )
        or 0
    )


def response_counts(survey_ids: Iterable[int]) -> dict[int, int]:
    """Responses per survey, for a page of surveys in one query."""
    ids = list(survey_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(SurveyResponse.survey_id, func.count(SurveyResponse.id))
        .where(SurveyResponse.survey_id.in_(ids))
        .group_by(SurveyResponse.survey_id)
    )
    return {survey_id: int(count) for survey_id, count in rows}


# --- comments -------------------------------------------------------------------------------


@use_case
def publish_comments(responses: Iterable[SurveyResponse], published: bool, scope: Scope) -> int:
    """Approve (or withdraw) comments for the transparency page; the number changed.
    A response without a comment has nothing to publish and is left as it is."""
    changed = 0
    for response in responses:
        survey_responses.check_manage(scope, response)
        if not (response.comment or "").strip() or response.comment_published == published:
            continue
        response.comment_published = published
        changed += 1
    return changed
