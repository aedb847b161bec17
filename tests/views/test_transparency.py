"""The public transparency page: no sign-in, each unit's index and grade per period (the
latest by default, others on request), published comments only, and nothing personal —
no profile, no browser key, no id of a response."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select

from kinerja.domain.survey import ikm
from kinerja.extensions import db
from kinerja.models.planning import Period
from kinerja.models.surveys import AgeRange, Education, Occupation, Sex, SurveyResponse
from kinerja.security.policies import SYSTEM
from kinerja.services.surveys.indices import compute_survey_indices
from tests.factories import Org
from tests.ratings_factories import open_period
from tests.survey_factories import add_responses, make_service, make_survey

NOW = [[4, 4, 4, 3, 4, 4, 4, 3, 4], [3, 4, 3, 3, 4, 4, 4, 3, 3]]
BEFORE = [[2, 3, 2, 3, 3, 2, 3, 2, 3]]


def _published(org: Org) -> None:
    old, now = open_period(2025), open_period(2026)
    service = make_service(org.units.surv, "Penerbitan Surat Sehat")
    add_responses(make_survey(service, old), BEFORE)
    add_responses(
        make_survey(service, now),
        NOW,
        comments=["Pelayanan cepat, terima kasih", "Nomor HP saya 0812 rahasia"],
        published=[True, False],
    )
    make_survey(make_service(org.units.dishub, "Belum dijawab"), now)  # no response yet
    db.session.commit()
    compute_survey_indices(None, None, SYSTEM)


def test_the_page_is_public_and_shows_the_latest_period(client: FlaskClient, org: Org) -> None:
    _published(org)
    answer = client.get("/transparansi/?_l_=en")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "public, max-age=300"
    page = answer.get_data(as_text=True)
    assert "Periode Kinerja 2026" in page and "Seksi Surveilans" in page
    assert f"{ikm(NOW).value}" in page and "Penerbitan Surat Sehat" in page
    assert "Belum dijawab" not in page and "Dinas Perhubungan" not in page  # no figures
    assert "Pelayanan cepat, terima kasih" in page
    assert "Nomor HP saya 0812 rahasia" not in page  # not approved for publication
    assert 'lang="en"' in page


def test_an_earlier_period_is_shown_on_request(client: FlaskClient, org: Org) -> None:
    _published(org)
    older = next(p for p in open_periods() if p.year == 2025)
    page = client.get(f"/transparansi/?period={older.id}&_l_=en").get_data(as_text=True)
    assert f"{ikm(BEFORE).value}" in page and f"{ikm(NOW).value}" not in page
    assert "Pelayanan cepat" not in page  # 2026's comment


def open_periods() -> list[Period]:
    return list(db.session.scalars(select(Period)))


def test_no_personal_data_appears(client: FlaskClient, org: Org) -> None:
    _published(org)
    page = client.get("/transparansi/?_l_=en").get_data(as_text=True)
    responses = list(db.session.scalars(select(SurveyResponse)))
    for response in responses:
        assert response.browser_key not in page
    labels = [m.label for e in (AgeRange, Sex, Education, Occupation) for m in e]
    assert not [label for label in labels if label in page]
    ids = {str(r.id) for r in responses}
    assert not ids & set(re.findall(r"response[^0-9]{0,10}([0-9]+)", page))
    assert "/survey-results/" not in page and "/api/" not in page


def test_without_results_the_page_says_so(client: FlaskClient, org: Org) -> None:
    page = client.get("/transparansi/?_l_=en").get_data(as_text=True)
    assert 'id="no-results"' in page
