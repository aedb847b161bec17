"""The public survey form over HTTP: no login, one response per browser, refusals that
say why and keep the answers, a rate limit per client shared through Redis."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask, request
from flask.testing import FlaskClient
from sqlalchemy import func, select

from kinerja.app import _trust_proxies
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.surveys import SurveyResponse
from kinerja.services.surveys.catalogue import today
from kinerja.views.public_limits import BROWSER_COOKIE
from tests.factories import Org
from tests.survey_form_factories import GOOD, make_service, make_survey


@pytest.fixture
def survey(org: Org):
    found = make_survey(make_service(org.units.yankes))
    db.session.commit()
    return found


def _form(answers: list[str] | None = None, **extra: str) -> dict[str, str]:
    data = {f"a{n}": value for n, value in enumerate(answers or GOOD, start=1) if value}
    return {**data, **extra}


def _count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(SurveyResponse.id))) or 0


def test_the_form_shows_the_nine_elements_in_the_regulations_words(client, survey) -> None:
    page = client.get(f"/skm/{survey.token}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert text.count("<fieldset") == 10  # nine elements and the optional profile
    assert "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?" in text
    assert "Sangat sopan dan ramah" in text
    assert page.headers.get("Set-Cookie", "").startswith(f"{BROWSER_COOKIE}=")
    assert "HttpOnly" in page.headers["Set-Cookie"] and "SameSite=Lax" in page.headers["Set-Cookie"]


def test_the_form_switches_to_english(client, survey) -> None:
    text = client.get(f"/skm/{survey.token}?_l_=en").get_data(as_text=True)
    assert "How fair is the cost or fee of the service?" in text
    assert f'action="/skm/{survey.token}?_l_=en"' in text


def test_a_valid_response_is_saved_and_thanked(client, survey) -> None:
    client.get(f"/skm/{survey.token}")
    sent = client.post(
        f"/skm/{survey.token}",
        data=_form(age_range="30-39", sex="F", comment="  Pelayanan cepat  "),
    )
    assert sent.status_code == 303
    assert sent.headers["Location"].endswith(f"/skm/{survey.token}/thanks")
    assert client.get(sent.headers["Location"]).status_code == 200
    saved = db.session.scalar(select(SurveyResponse))
    assert saved.answers == (4, 4, 3, 4, 3, 4, 4, 3, 4)
    assert saved.age_range.value == "30-39" and saved.sex.value == "F"
    assert saved.comment == "Pelayanan cepat" and saved.comment_published is False


def test_missing_and_invalid_answers_are_named_and_the_answers_kept(client, survey) -> None:
    answers = ["4", "", "7", "4", "3", "4", "4", "3", "4"]
    refused = client.post(f"/skm/{survey.token}", data=_form(answers, comment="Antre lama"))
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert 'href="#a2-group"' in text and 'href="#a3-group"' in text
    assert 'id="a1-error"' not in text and 'id="a2-error"' in text
    assert 'name="a1" value="4" required\n                 checked' in text
    assert "Antre lama" in text
    assert _count() == 0


def test_the_same_browser_answers_once(client, survey) -> None:
    client.get(f"/skm/{survey.token}")
    assert client.post(f"/skm/{survey.token}", data=_form()).status_code == 303
    again = client.post(f"/skm/{survey.token}", data=_form(comment="lagi"))
    assert again.status_code == 409
    assert "lagi" in again.get_data(as_text=True)  # the answers stay on the page
    assert 'id="survey-state"' in client.get(f"/skm/{survey.token}").get_data(as_text=True)
    assert _count() == 1


def test_a_filled_honeypot_is_refused(client, survey) -> None:
    refused = client.post(f"/skm/{survey.token}", data=_form(website="http://spam.example"))
    assert refused.status_code == 400
    assert _count() == 0


def test_too_many_submissions_from_one_address_answer_429(
    app: Flask, client: FlaskClient, survey, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "KINERJA_SURVEY_RATE_LIMIT", "3 per 10 minutes")
    statuses = [
        client.post(f"/skm/{survey.token}", data=_form(["4"] * 8 + [""])).status_code
        for _ in range(3)
    ]
    limited = client.post(f"/skm/{survey.token}", data=_form(comment="tertahan"))
    assert statuses == [422] * 3
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert "tertahan" in limited.get_data(as_text=True)
    assert _count() == 0


def test_a_large_body_is_refused(client, survey) -> None:
    refused = client.post(f"/skm/{survey.token}", data=_form(comment="x" * 40_000))
    assert refused.status_code == 413
    assert _count() == 0


def test_a_long_comment_is_refused_with_its_field(client, survey) -> None:
    refused = client.post(f"/skm/{survey.token}", data=_form(comment="x" * 2001))
    assert refused.status_code == 422
    assert 'id="comment-group"' in refused.get_data(as_text=True)
    assert _count() == 0


def test_a_closed_survey_says_so_and_takes_nothing(client, survey) -> None:
    survey.closed_at = utcnow()
    db.session.commit()
    page = client.get(f"/skm/{survey.token}")
    assert 'id="survey-state"' in page.get_data(as_text=True)
    assert "<form" not in page.get_data(as_text=True)
    assert client.post(f"/skm/{survey.token}", data=_form()).status_code == 409
    assert _count() == 0


def test_a_survey_not_yet_open_says_when_it_opens(client, org: Org) -> None:
    start = today() + timedelta(days=1)
    survey = make_survey(make_service(org.units.yankes), opens_on=start, closes_on=start)
    db.session.commit()
    page = client.get(f"/skm/{survey.token}?_l_=en")
    assert "not open yet" in page.get_data(as_text=True)
    assert client.post(f"/skm/{survey.token}", data=_form()).status_code == 409


def test_an_unknown_survey_answers_404(client, org: Org) -> None:
    assert client.get("/skm/no-such-survey").status_code == 404
    assert client.post("/skm/no-such-survey", data=_form()).status_code == 404


def test_a_forged_forwarded_address_does_not_escape_the_limit(
    app: Flask, client: FlaskClient, survey, monkeypatch
) -> None:
    """Without a proxy setting, X-Forwarded-For is the client's own claim: ignored."""
    monkeypatch.setitem(app.config, "KINERJA_SURVEY_RATE_LIMIT", "1 per minute")
    first = client.post(
        f"/skm/{survey.token}", data=_form(), headers={"X-Forwarded-For": "10.0.0.1"}
    )
    second = client.post(
        f"/skm/{survey.token}", data=_form(), headers={"X-Forwarded-For": "10.0.0.2"}
    )
    assert (first.status_code, second.status_code) == (303, 429)


def test_behind_a_proxy_the_forwarded_address_is_the_client() -> None:
    probe = Flask("probe")
    probe.config["KINERJA_PROXY_COUNT"] = 1
    _trust_proxies(probe)
    probe.add_url_rule("/", "addr", lambda: request.remote_addr or "")
    seen = probe.test_client().get("/", headers={"X-Forwarded-For": "203.0.113.7"})
    assert seen.get_data(as_text=True) == "203.0.113.7"


def test_an_expired_form_says_so_keeps_the_answers_and_takes_nothing(
    app: Flask, client, survey
) -> None:
    """The CSRF token no longer matches (the session cookie was lost, or the page sat open
    too long): the page says so with the answers still chosen, and a fresh token lets the
    same answers through."""
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client.get(f"/skm/{survey.token}")
        refused = client.post(
            f"/skm/{survey.token}?_l_=en",
            data=_form(comment="Antre lama", csrf_token="stale"),
        )
        assert refused.status_code == 400
        text = refused.get_data(as_text=True)
        assert "The form had expired. Please check your answers and send them again." in text
        assert 'name="a1" value="4" required\n                 checked' in text
        assert "Antre lama" in text
        assert _count() == 0
        fresh = text.split('name="csrf_token" value="')[1].split('"')[0]
        sent = client.post(f"/skm/{survey.token}", data=_form(csrf_token=fresh))
        assert sent.status_code == 303 and _count() == 1
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
