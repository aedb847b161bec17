"""The survey use cases check their policy themselves, validate what the screens and the
API send, and close a survey by scheduling its index job through the outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from kinerja.domain.errors import AccessDenied, ConflictError, FieldErrors, NotFoundError
from kinerja.extensions import db
from kinerja.models.jobs import JobRun
from kinerja.models.surveys import Service, Survey, SurveyResponse
from kinerja.security.policies import SYSTEM, scope_for_user
from kinerja.services.surveys import catalogue
from kinerja.services.surveys.catalogue import today
from kinerja.services.surveys.responses import submit_response
from tests.factories import Org
from tests.survey_form_factories import build_surveys, current_period, make_response

KEY = "k" * 24


@pytest.fixture
def surveyed(org: Org):
    return build_surveys(org, current_period())


@pytest.fixture
def index_job_known(app: Flask, monkeypatch):
    """The index job is written on another branch; until it is merged its name is added
    to the outbox's known names here (the outbox refuses an unknown job)."""
    names = set(app.extensions["kinerja_jobs"]["names"]) | {catalogue.INDEX_JOB}
    monkeypatch.setitem(app.extensions["kinerja_jobs"], "names", names)


def test_an_operator_defines_services_only_in_their_units(org: Org) -> None:
    operator = scope_for_user(org.users.operator)
    outside = Service(unit=org.units.dishub, name="Uji KIR", yearly_population=100)
    with pytest.raises(FieldErrors) as refused:
        catalogue.save_service(outside, operator)
    assert set(refused.value.errors) == {"unit"}
    inside = Service(unit=org.units.yankes, name="Rawat Jalan", yearly_population=500)
    catalogue.save_service(inside, operator)
    assert db.session.get(Service, inside.id).unit_id == org.units.yankes.id


def test_a_service_needs_people_served_and_positions_of_its_unit(org: Org) -> None:
    service = Service(
        unit=org.units.yankes,
        name="Rawat Jalan",
        yearly_population=0,
        positions=[org.positions.penguji],
    )
    with pytest.raises(FieldErrors) as refused:
        catalogue.save_service(service, SYSTEM)
    assert set(refused.value.errors) == {"yearly_population", "positions"}


def test_others_cannot_change_deactivate_or_delete_a_service(org: Org, surveyed) -> None:
    employee = scope_for_user(org.users.employee)  # reads Seksi Surveilans' service
    with pytest.raises(AccessDenied):
        catalogue.deactivate_service(surveyed.services.surv, employee)
    with pytest.raises(NotFoundError):
        catalogue.deactivate_service(surveyed.services.dishub, scope_for_user(org.users.operator))
    with pytest.raises(ConflictError):  # surveyed: deactivated, never deleted
        catalogue.delete_service(surveyed.services.yankes, SYSTEM)
    catalogue.deactivate_service(surveyed.services.yankes, scope_for_user(org.users.operator))
    assert surveyed.services.yankes.active is False


def test_a_survey_lies_within_its_period_and_gets_a_token(org: Org, surveyed) -> None:
    period = current_period()
    operator = scope_for_user(org.users.operator)
    late = Survey(
        service_id=surveyed.services.yankes.id,
        period_id=period.id,
        opens_on=period.ends_on,
        closes_on=period.ends_on + timedelta(days=5),
    )
    with pytest.raises(FieldErrors) as refused:
        catalogue.save_survey(late, operator)
    assert set(refused.value.errors) == {"opens_on"}
    fine = Survey(
        service_id=surveyed.services.yankes.id,
        period_id=period.id,
        opens_on=period.starts_on,
        closes_on=period.starts_on + timedelta(days=5),
    )
    catalogue.save_survey(fine, operator)
    assert len(fine.token) >= 20 and fine.token != surveyed.surveys.yankes.token
    outside = Survey(
        service_id=surveyed.services.dishub.id,
        period_id=period.id,
        opens_on=period.starts_on,
        closes_on=period.starts_on,
    )
    with pytest.raises(FieldErrors) as refused:
        catalogue.save_survey(outside, operator)
    assert set(refused.value.errors) == {"service"}


def test_closing_early_schedules_the_index_job_once(org: Org, surveyed, index_job_known) -> None:
    survey = surveyed.surveys.yankes
    with pytest.raises(AccessDenied):
        catalogue.close_survey(surveyed.surveys.surv, scope_for_user(org.users.employee))
    catalogue.close_survey(survey, scope_for_user(org.users.operator))
    runs = db.session.scalars(select(JobRun).where(JobRun.name == catalogue.INDEX_JOB)).all()
    assert [run.args for run in runs] == [[[survey.id]]]
    assert survey.closed_at is not None
    with pytest.raises(ConflictError):
        catalogue.close_survey(survey, SYSTEM)
    with pytest.raises(ConflictError):  # its dates no longer change
        survey.closes_on = today() + timedelta(days=1)
        catalogue.save_survey(survey, SYSTEM)


def test_comments_are_published_only_by_the_units_operator(org: Org, surveyed) -> None:
    theirs, other = surveyed.responses.yankes, surveyed.responses.dishub
    operator = scope_for_user(org.users.operator)
    with pytest.raises(NotFoundError):
        catalogue.publish_comments([other], True, operator)
    assert other.comment_published is False
    silent = make_response(surveyed.surveys.yankes)
    assert catalogue.publish_comments([theirs, silent], True, operator) == 1
    assert theirs.comment_published is True and silent.comment_published is False
    assert catalogue.publish_comments([theirs], False, operator) == 1
    assert theirs.comment_published is False


def test_the_public_submission_validates_and_answers_once_per_browser(surveyed) -> None:
    token = surveyed.surveys.yankes.token
    with pytest.raises(FieldErrors) as refused:
        submit_response(token, [4] * 8, None, None, KEY)
    assert set(refused.value.errors) == {"answers"}
    with pytest.raises(FieldErrors) as refused:
        submit_response(token, [4, 0, 5, None, 4, 4, 4, True, 4], {"sex": "X"}, None, "short")
    assert set(refused.value.errors) == {"a2", "a3", "a4", "a8", "sex", "browser_key"}
    saved_id = submit_response(token, [1, 2, 3, 4, 1, 2, 3, 4, 1], {"education": "s1"}, "", KEY)
    saved = db.session.get(SurveyResponse, saved_id)
    assert saved.answers == (1, 2, 3, 4, 1, 2, 3, 4, 1) and saved.comment is None
    with pytest.raises(ConflictError):
        submit_response(token, [4] * 9, None, None, KEY)
    with pytest.raises(NotFoundError):
        submit_response("unknown-token", [4] * 9, None, None, KEY)
