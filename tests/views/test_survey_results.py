"""The survey results screen, its detail page with the chart and the comparison with the
previous period, the exports of results and responses, the compute step and the REST
resource, each within the reader's policy."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from kinerja.domain.survey import ikm
from kinerja.extensions import db
from kinerja.models.jobs import JobRun
from kinerja.models.surveys import SurveyResult
from kinerja.security.policies import SYSTEM
from kinerja.services.surveys.indices import compute_survey_indices
from tests.factories import Org, api_token, login
from tests.ratings_factories import open_period
from tests.survey_factories import add_responses, make_service, make_survey, random_answers

KTP = [[4, 4, 3, 4, 4, 4, 4, 3, 4], [3, 4, 3, 4, 3, 4, 4, 2, 3], [4, 3, 3, 4, 4, 4, 4, 3, 3]]


@pytest.fixture
def surveyed(org: Org) -> Any:
    """KTP at Seksi Surveilans in 2025 and 2026 (with comments, one published), a survey
    at Dinas Perhubungan in 2026; indices computed."""
    old, now = open_period(2025), open_period(2026)
    ktp = make_service(org.units.surv, "Penerbitan KTP", population=100)
    before = make_survey(ktp, old)
    add_responses(before, [[2] * 9, [3] * 9])
    survey = make_survey(ktp, now)
    add_responses(
        survey,
        KTP,
        comments=["=1+2 antrean lama", "Petugas ramah sekali", None],
        published=[False, True, False],
    )
    other = make_survey(make_service(org.units.dishub, "Uji KIR"), now)
    add_responses(other, random_answers(4), comments=["Rahasia Dishub"], published=[True])
    db.session.commit()
    compute_survey_indices(None, None, SYSTEM)
    result = db.session.scalar(select(SurveyResult).where(SurveyResult.survey_id == survey.id))
    return result, now, survey, other


def test_the_list_shows_the_results_within_reach_with_filters(
    client: FlaskClient, surveyed: Any
) -> None:
    result, period, _survey, _other = surveyed
    login(client, "employee")  # Epidemiolog Satu, Seksi Surveilans
    page = client.get("/survey-results/?_l_=en").get_data(as_text=True)
    assert "Penerbitan KTP" in page and "Uji KIR" not in page
    assert f"/survey-results/{result.id}/" in page
    assert "Compute indices now" not in page  # an Employee does not compute
    login(client, "admin")
    page = client.get(f"/survey-results/?period={period.id}&_l_=en").get_data(as_text=True)
    assert "Uji KIR" in page and "Penerbitan KTP" in page and "Compute indices now" in page
    assert "2025" not in page.split('id="survey-result-rows"')[1].split("</table>")[0]


def test_the_detail_shows_index_chart_table_comparison_and_comments(
    client: FlaskClient, surveyed: Any
) -> None:
    result, _period, _survey, _other = surveyed
    login(client, "operator")
    page = client.get(f"/survey-results/{result.id}/?_l_=en").get_data(as_text=True)
    expected = ikm(KTP)
    assert f'id="ikm">{expected.value}<' in page
    assert '<svg class="survey-chart"' in page and '<title id="element-chart-title">' in page
    assert page.count('<rect class="bar"') == 9 and page.count('class="bar-previous"') == 9
    assert "Handling of complaints, suggestions and feedback" in page  # table for screen readers
    assert "3 of the 80 required" in page and "Sample not reached" in page
    previous = ikm([[2] * 9, [3] * 9]).value  # 2025: 62.50
    assert f"{previous}" in page.split('id="previous-survey"')[1].split("</tr>")[0]
    assert "=1+2 antrean lama" in page and "Petugas ramah sekali" in page  # the Operator reads all


def test_readers_of_results_only_see_published_comments(client: FlaskClient, surveyed: Any) -> None:
    result, *_ = surveyed
    login(client, "employee")
    page = client.get(f"/survey-results/{result.id}/?_l_=en").get_data(as_text=True)
    assert "Petugas ramah sekali" in page and "=1+2 antrean lama" not in page
    login(client, "other")  # Dinas Perhubungan: the KTP survey is out of reach
    assert client.get(f"/survey-results/{result.id}/").status_code == 404


def test_an_empty_results_screen_says_so(client: FlaskClient, org: Org) -> None:
    login(client, "admin")
    page = client.get("/survey-results/?_l_=en").get_data(as_text=True)
    assert 'id="no-survey-results"' in page and 'id="no-unit-results"' in page


def test_the_compute_step_runs_the_job_for_an_operator_only_in_reach(
    client: FlaskClient, org: Org, run_jobs: Callable
) -> None:
    period = open_period()
    mine = make_survey(make_service(org.units.surv), period)
    theirs = make_survey(make_service(org.units.dishub), period)
    add_responses(mine, KTP)
    db.session.commit()
    login(client, "operator")
    answer = client.post("/survey-results/compute", data={"survey": mine.id})
    assert answer.status_code == 302 and "/jobs/show/" in answer.headers["Location"]
    assert client.post("/survey-results/compute", data={"survey": theirs.id}).status_code == 404
    run_jobs()
    stored = db.session.scalar(select(SurveyResult).where(SurveyResult.survey_id == mine.id))
    assert stored.ikm == ikm(KTP).value
    login(client, "employee")
    assert client.post("/survey-results/compute", data={"survey": mine.id}).status_code in (
        302,
        403,
    )
    assert db.session.scalar(select(JobRun.id).order_by(JobRun.id.desc())) == 1


def _csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_results_export_as_csv_and_xlsx_within_reach(client: FlaskClient, surveyed: Any) -> None:
    login(client, "operator")
    rows = _csv(client.get("/survey-results/export/results.csv?_l_=en").data)
    assert rows[0][:3] == ["Unit code", "Unit", "Service"]
    assert [r[2] for r in rows[1:]] == ["Penerbitan KTP", "Penerbitan KTP"]  # 2026, 2025
    assert Decimal(rows[1][rows[0].index("IKM")]) == ikm(KTP).value
    answer = client.get("/survey-results/export/results.xlsx?_l_=en")
    sheet = load_workbook(io.BytesIO(answer.data)).active
    assert [c.value for c in sheet[2]][2] == "Penerbitan KTP" and sheet.max_row == 3
    assert sheet.freeze_panes == "A2"
    assert (
        sheet.auto_filter.ref == f"A1:{sheet.cell(row=1, column=sheet.max_column).column_letter}3"
    )


def test_responses_export_carries_no_browser_key_and_stays_inert(
    client: FlaskClient, surveyed: Any
) -> None:
    _result, period, survey, _other = surveyed
    login(client, "operator")
    rows = _csv(client.get(f"/survey-results/export/responses.csv?period={period.id}").data)
    assert len(rows) == 1 + len(KTP)  # Dinas Perhubungan's response is out of reach
    assert "'=1+2 antrean lama" in [cell for row in rows for cell in row]
    text = client.get("/survey-results/export/responses.csv").get_data(as_text=True)
    assert "browser-" not in text
    workbook = load_workbook(
        io.BytesIO(client.get("/survey-results/export/responses.xlsx").data)
    ).active
    assert workbook.max_row == 1 + len(KTP) + 2
    typed = [c for row in workbook.iter_rows() for c in row if c.value == "=1+2 antrean lama"]
    assert [c.data_type for c in typed] == ["s"]  # text, never a formula
    login(client, "employee")
    assert client.get("/survey-results/export/responses.csv").status_code in (302, 403)
    assert client.get("/survey-results/export/results.pdf").status_code == 404


def test_the_api_lists_filters_and_computes(client: FlaskClient, surveyed: Any) -> None:
    result, period, survey, other = surveyed
    headers = api_token(client, "admin")
    q = f"?q=(filters:!((col:survey,opr:in_period,value:{period.id})))"
    listed = client.get(f"/api/v1/survey_result/{q}", headers=headers).get_json()
    assert {row["survey_id"] for row in listed["result"]} == {survey.id, other.id}
    shown = client.get(f"/api/v1/survey_result/{result.id}", headers=headers).get_json()
    assert Decimal(str(shown["result"]["ikm"])) == ikm(KTP).value
    answer = client.post(
        "/api/v1/survey_result/compute", json={"surveys": [survey.id]}, headers=headers
    )
    assert answer.status_code == 202 and answer.get_json()["result"]["surveys"] == [survey.id]
    operator = api_token(client, "operator")
    refused = client.post(
        "/api/v1/survey_result/compute", json={"surveys": [other.id]}, headers=operator
    )
    assert refused.status_code == 404
    bad = client.post("/api/v1/survey_result/compute", json={"surveys": "x"}, headers=operator)
    assert bad.status_code == 422
    employee = api_token(client, "employee")
    assert (
        client.post("/api/v1/survey_result/compute", json={}, headers=employee).status_code == 403
    )
