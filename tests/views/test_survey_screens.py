"""The back office of the surveys: an Operator sees and changes only their units' services,
surveys and responses; a survey shows its status, link, sample and count; its poster carries
the QR code drawn here."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from kinerja.extensions import db
from kinerja.models.surveys import SurveyResponse
from kinerja.services.surveys.catalogue import INDEX_JOB
from tests.factories import Org, login
from tests.survey_form_factories import build_surveys, current_period


@pytest.fixture
def surveyed(org: Org):
    return build_surveys(org, current_period())


def _shown_ids(page: str, route: str) -> set[int]:
    return {int(i) for i in re.findall(rf'href="{route}/show/(\d+)"', page)}


def test_the_operator_lists_only_their_units_surveys_and_services(client, surveyed) -> None:
    login(client, "operator")
    surveys = client.get("/surveys/list/").get_data(as_text=True)
    assert _shown_ids(surveys, "/surveys") == {
        surveyed.surveys.yankes.id,
        surveyed.surveys.surv.id,
    }
    services = client.get("/services/list/?_oc_ServiceView=name&_od_ServiceView=asc")
    assert _shown_ids(services.get_data(as_text=True), "/services") == {
        surveyed.services.yankes.id,
        surveyed.services.surv.id,
    }
    assert client.get(f"/surveys/show/{surveyed.surveys.dishub.id}").status_code == 404
    assert client.get(f"/services/edit/{surveyed.services.dishub.id}").status_code == 404


def test_a_survey_shows_its_status_link_sample_and_responses(client, surveyed) -> None:
    login(client, "operator")
    survey = surveyed.surveys.yankes
    page = client.get(f"/surveys/show/{survey.id}?_l_=en").get_data(as_text=True)
    assert f"/skm/{survey.token}" in page
    assert f'href="/surveys/poster/{survey.id}"' in page
    assert re.search(r">\s*Open\s*<", page)
    assert re.search(r">\s*322\s*<", page)  # 2,000 people a year need 322 respondents
    assert re.search(r">\s*1\s*<", page)  # one response so far


def test_the_poster_carries_the_qr_code_and_the_link(client, surveyed) -> None:
    login(client, "operator")
    survey = surveyed.surveys.yankes
    poster = client.get(f"/surveys/poster/{survey.id}")
    text = poster.get_data(as_text=True)
    assert poster.status_code == 200
    assert "<svg" in text and "<path" in text
    assert f"/skm/{survey.token}</p>" in text
    assert client.get(f"/surveys/poster/{surveyed.surveys.dishub.id}").status_code == 404


def test_survey_choices_offer_only_the_operators_services(client, surveyed) -> None:
    login(client, "operator")
    offered = {row["text"] for row in client.get("/surveys/choices/service/").get_json()["results"]}
    assert offered == {"Rawat Jalan", "Informasi Surveilans"}


def test_the_operator_publishes_comments_of_their_units_only(client, surveyed) -> None:
    login(client, "operator")
    mine, other = surveyed.responses.yankes, surveyed.responses.dishub
    answer = client.post(
        "/survey-responses/action_post",
        data={"action": "publish_comments", "rowid": [str(mine.id), str(other.id)]},
    )
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(SurveyResponse, mine.id).comment_published is True
    assert db.session.get(SurveyResponse, other.id).comment_published is False


def test_an_employee_cannot_moderate_nor_read_responses(client, surveyed) -> None:
    login(client, "employee")
    page = client.get("/survey-responses/list/").get_data(as_text=True)
    assert _shown_ids(page, "/survey-responses") == set()
    mine = surveyed.responses.surv
    answer = client.post(
        "/survey-responses/action_post",
        data={"action": "publish_comments", "rowid": [str(mine.id)]},
    )
    assert answer.status_code == 403
    db.session.expire_all()
    assert db.session.get(SurveyResponse, mine.id).comment_published is False


def test_closing_early_from_the_screen(app: Flask, client, surveyed, monkeypatch) -> None:
    names = set(app.extensions["kinerja_jobs"]["names"]) | {INDEX_JOB}
    monkeypatch.setitem(app.extensions["kinerja_jobs"], "names", names)
    login(client, "operator")
    survey = surveyed.surveys.yankes
    assert client.post(f"/surveys/action/close/{survey.id}").status_code == 302
    db.session.expire_all()
    assert survey.closed_at is not None
    outside = surveyed.surveys.dishub
    assert client.post(f"/surveys/action/close/{outside.id}").status_code == 404
