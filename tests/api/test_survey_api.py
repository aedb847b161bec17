"""The survey resources over REST and the public submission endpoint."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from kinerja.extensions import db
from kinerja.models.surveys import SurveyResponse
from kinerja.services.surveys.catalogue import INDEX_JOB
from tests.factories import Org, api_token
from tests.survey_form_factories import build_surveys, current_period

ANSWERS = [4, 3, 3, 4, 3, 4, 4, 3, 4]
KEY = "perangkat-kios-0001"


@pytest.fixture
def surveyed(org: Org):
    return build_surveys(org, current_period())


def _submit(client, token: str, body, **kwargs):
    return client.post(f"/api/v1/public/survey/{token}/response", json=body, **kwargs)


def _count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(SurveyResponse.id))) or 0


def test_an_operator_defines_a_service_and_opens_its_survey(client, org: Org) -> None:
    headers = api_token(client, "operator")
    created = client.post(
        "/api/v1/service/",
        json={
            "unit": org.units.yankes.id,
            "name": "Rawat Jalan",
            "yearly_population": 300,
            "positions": [org.positions.perawat.id],
        },
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    service_id = created.get_json()["id"]
    shown = client.get(f"/api/v1/service/{service_id}", headers=headers).get_json()["result"]
    assert shown["required_sample"] == 169
    period = current_period()
    db.session.commit()
    opened = client.post(
        "/api/v1/survey/",
        json={
            "service": service_id,
            "period": period.id,
            "opens_on": period.starts_on.isoformat(),
            "closes_on": (period.starts_on + timedelta(days=30)).isoformat(),
        },
        headers=headers,
    )
    assert opened.status_code == 201, opened.get_json()
    survey = client.get(f"/api/v1/survey/{opened.get_json()['id']}", headers=headers)
    assert len(survey.get_json()["result"]["token"]) >= 20
    assert survey.get_json()["result"]["response_count"] == 0


def test_a_service_without_people_served_is_refused_naming_the_field(client, org: Org) -> None:
    headers = api_token(client, "admin")
    refused = client.post(
        "/api/v1/service/",
        json={"unit": org.units.yankes.id, "name": "Kosong", "yearly_population": 0},
        headers=headers,
    )
    assert refused.status_code == 422
    assert set(refused.get_json()["fields"]) == {"yearly_population"}


def test_closing_a_survey_over_the_api(app: Flask, client, org: Org, surveyed, monkeypatch):
    names = set(app.extensions["kinerja_jobs"]["names"]) | {INDEX_JOB}
    monkeypatch.setitem(app.extensions["kinerja_jobs"], "names", names)  # see the use-case test
    survey = surveyed.surveys.yankes
    employee = api_token(client, "employee")
    assert client.post(f"/api/v1/survey/{survey.id}/close", headers=employee).status_code == 403
    operator = api_token(client, "operator")
    closed = client.post(f"/api/v1/survey/{survey.id}/close", json={}, headers=operator)
    assert closed.status_code == 200, closed.get_json()
    assert closed.get_json()["result"]["closed_at"]
    again = client.post(f"/api/v1/survey/{survey.id}/close", json={}, headers=operator)
    assert again.status_code == 409
    outside = surveyed.surveys.dishub
    assert client.post(f"/api/v1/survey/{outside.id}/close", headers=operator).status_code == 404


def test_responses_are_read_by_the_units_operator_without_the_browser_key(client, surveyed) -> None:
    listing = client.get("/api/v1/survey_response/", headers=api_token(client, "operator"))
    rows = listing.get_json()["result"]
    assert {row["survey_id"] for row in rows} == {
        surveyed.surveys.yankes.id,
        surveyed.surveys.surv.id,
    }
    assert all("browser_key" not in row for row in rows)


def test_the_public_endpoint_saves_a_response_once_per_key(client, surveyed) -> None:
    token = surveyed.surveys.yankes.token
    body = {"answers": ANSWERS, "sex": "M", "comment": "Ramah", "browser_key": KEY}
    saved = _submit(client, token, body)
    assert saved.status_code == 201, saved.get_json()
    assert saved.get_json()["id"]
    duplicate = _submit(client, token, body)
    assert duplicate.status_code == 409
    assert isinstance(duplicate.get_json()["message"], str)
    assert _count() == 4  # three built, one submitted


def test_the_public_endpoint_without_a_key_sets_a_cookie(client, surveyed) -> None:
    token = surveyed.surveys.yankes.token
    first = _submit(client, token, {"answers": ANSWERS})
    assert first.status_code == 201
    assert "skm_key=" in first.headers["Set-Cookie"]
    assert _submit(client, token, {"answers": ANSWERS}).status_code == 409  # the same browser


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answers": [4] * 8}, "answers"),
        ({"answers": [4, 4, 9, 4, 4, 4, 4, 4, 4]}, "a3"),
        ({"answers": ANSWERS, "sex": "X"}, "sex"),
        ({"answers": ANSWERS, "comment": "x" * 2001}, "comment"),
        ({"answers": ANSWERS, "name": "Budi"}, "name"),
        ({}, "answers"),
    ],
)
def test_the_public_endpoint_names_the_wrong_field(client, surveyed, body, field) -> None:
    refused = _submit(client, surveyed.surveys.yankes.token, {"browser_key": KEY, **body})
    assert refused.status_code == 422
    assert field in refused.get_json()["fields"]
    assert _count() == 3


def test_the_public_endpoint_refuses_what_it_cannot_take(client, surveyed) -> None:
    token = surveyed.surveys.yankes.token
    not_json = client.post(f"/api/v1/public/survey/{token}/response", data="answers=4")
    assert not_json.status_code == 400
    assert _submit(client, "no-such-token", {"answers": ANSWERS}).status_code == 404
    huge = _submit(client, token, {"answers": ANSWERS, "comment": "x" * 40_000})
    assert huge.status_code == 413
    surveyed.surveys.yankes.closed_at = surveyed.surveys.yankes.created_at
    db.session.commit()
    assert _submit(client, token, {"answers": ANSWERS}).status_code == 409
    assert _count() == 3


def test_the_public_endpoint_is_rate_limited(app: Flask, client, surveyed, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "KINERJA_SURVEY_RATE_LIMIT", "2 per minute")
    token = surveyed.surveys.yankes.token
    statuses = [_submit(client, token, {"answers": [4]}).status_code for _ in range(3)]
    assert statuses == [422, 422, 429]
    limited = _submit(client, token, {"answers": ANSWERS, "browser_key": KEY})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert _count() == 3


def test_the_public_endpoint_is_in_the_openapi_spec(client, org: Org) -> None:
    spec = client.get("/api/v1/_openapi", headers=api_token(client, "integrator")).get_json()
    path = spec["paths"]["/api/v1/public/survey/{token}/response"]["post"]
    assert {"201", "409", "422", "429"} <= set(path["responses"])
