"""The annual report (*Akhir*) and its evaluation: it starts once the last quarter has
ended, its measurable lines are the quarters' realizations accumulated over the year
against the annual target, it is submitted complete, and the direct supervisor evaluates
it in the same queue and on the same page; approved, it is the year's annual evaluation."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import select

from kinerja.domain.reporting import ReportStatus
from kinerja.extensions import db
from kinerja.models.reports import Report
from kinerja.security.policies import SYSTEM
from kinerja.services.reports import queries
from kinerja.services.reports import reports as service
from kinerja.services.reports.achievement import progress
from tests.annual import QUALITATIVE_TEXT, build_last_year, the_quarters
from tests.factories import Org, Planning, Reporting, api_token, login
from tests.views.test_report_pages import _report

ALL_VALUES = {
    f"level_{code}": "as_expected"
    for code in (
        "service",
        "accountable",
        "competent",
        "harmonious",
        "loyal",
        "adaptive",
        "collaborative",
    )
}


def _row(page: str, indicator_id: int) -> str:
    found = re.search(rf'<tr class="indicator-{indicator_id}[^"]*">(.*?)</tr>', page, re.S)
    assert found is not None, f"no line for indicator {indicator_id}"
    return found.group(1)


def test_this_years_annual_report_waits_for_the_last_quarter_to_end(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    annual = next(s for s in planning.period.sub_periods if s.annual)
    headers = api_token(client, "employee")
    refused = client.post(
        "/api/v1/report/?_l_=en",
        headers=headers,
        json={"work_plan": reporting.plan.id, "sub_period": annual.id},
    )
    assert refused.status_code == 422
    assert refused.get_json()["fields"] == {
        "sub_period": ["The annual report starts once Triwulan IV has ended."]
    }
    login(client, "employee")
    mine = client.get("/report/mine/?_l_=en").get_data(as_text=True)
    row = re.search(r'<tr class="sub-period-5 annual">(.*?)</tr>', mine, re.S).group(1)
    assert "Akhir" in row and "annual evaluation" in row
    assert "start-report" not in row and f"from Jan 1, {planning.period.year + 1}" in row


def test_last_years_annual_report_is_listed_after_the_quarters_and_starts(
    client, org: Org, planning: Planning
) -> None:
    year = build_last_year(org, planning)
    login(client, "employee")
    mine = client.get("/report/mine/?_l_=en").get_data(as_text=True)
    section = mine[mine.index(year.period.name) :]
    rows = re.findall(r'<tr class="sub-period-(\d)', section)[:5]
    assert rows == ["1", "2", "3", "4", "5"]
    annual_row = re.search(r'<tr class="sub-period-5 annual">(.*?)</tr>', section, re.S).group(1)
    assert "start-report" in annual_row
    started = client.post(
        "/report/start", data={"work_plan": year.plan.id, "sub_period": year.annual.id}
    )
    assert started.status_code == 302 and re.search(r"/report/\d+/", started.headers["Location"])


def test_the_annual_lines_are_the_year_accumulated_against_the_annual_target(
    client, org: Org, planning: Planning
) -> None:
    year = build_last_year(org, planning)
    # 13 of 12 documents: 108.33 %, above; 8 of 12 trained: 66.67 %, below
    the_quarters(year, planning, [(3, 2), (3, 2), (3, 2), (4, 2)])
    report = service.start_report(year.plan.id, year.annual.id, SYSTEM)
    lines = {line.indicator.id: line for line in progress(report)}
    documents, trained = (lines[i.id] for i in year.measured)
    assert (documents.to_date, documents.target_to_date) == (Decimal(13), Decimal(12))
    assert (trained.to_date, trained.target_to_date) == (Decimal(8), Decimal(12))
    assert documents.level.value == "above" and trained.level.value == "below"
    assert lines[year.described.id].achievement is None  # described, given a level

    login(client, "employee")
    page = client.get(f"/report/{report.id}/?_l_=en").get_data(as_text=True)
    assert 'id="annual-report"' in page and "Realization over the year" in page
    assert "108.33 %" in _row(page, year.measured[0].id)
    assert "66.67 %" in _row(page, year.measured[1].id)
    assert 'name="value_' not in page  # the year's realizations are not typed in
    described = _row(page, year.described.id)
    assert f'name="note_{year.described.id}"' in described and "Qualitative" in described
    assert "None" not in page


def test_the_annual_report_is_submitted_complete(client, org: Org, planning: Planning) -> None:
    year = build_last_year(org, planning)
    headers = api_token(client, "employee")
    started = client.post(
        "/api/v1/report/?_l_=en",
        headers=headers,
        json={"work_plan": year.plan.id, "sub_period": year.annual.id},
    )
    assert started.status_code == 201, started.get_json()
    report_id = started.get_json()["id"]
    refused = client.post(f"/api/v1/report/{report_id}/submit?_l_=en", headers=headers)
    assert refused.status_code == 422
    problems = refused.get_json()["fields"]["realizations"]
    assert problems == [
        "“Indikator Laporan surveilans mingguan” has no realization in the periodic reports: "
        "enter it in a periodic report first.",
        f"Describe the realization of “{QUALITATIVE_TEXT}”.",
        "“Indikator Kader terlatih” has no realization in the periodic reports: "
        "enter it in a periodic report first.",
    ]
    report = _report(report_id)
    line = next(r for r in report.realizations if r.indicator_id == year.measured[0].id)
    typed = client.put(f"/api/v1/realization/{line.id}?_l_=en", headers=headers, json={"value": 9})
    assert typed.status_code == 422
    assert typed.get_json()["fields"] == {
        "value": [
            "The annual realization is accumulated from the periodic reports: enter it there."
        ]
    }

    quarter = service.start_report(year.plan.id, year.regular[0].id, SYSTEM)  # a draft counts
    service.save_report(quarter, {i.id: 3 for i in year.measured}, SYSTEM)
    login(client, "employee")
    page = client.get(f"/report/{report_id}/?_l_=en").get_data(as_text=True)
    assert 'id="report-problems"' in page and QUALITATIVE_TEXT in page
    saved = client.post(
        f"/report/{report_id}/save",
        data={f"note_{year.described.id}": "Koordinasi bulanan berjalan.", "then": "submit"},
    )
    assert saved.status_code == 302
    assert _report(report_id).status == ReportStatus.SUBMITTED


def test_the_supervisor_evaluates_the_annual_report_in_the_same_queue_and_page(
    client, org: Org, planning: Planning
) -> None:
    year = build_last_year(org, planning)
    the_quarters(year, planning, [(3, 3), (3, 3), (3, 3), (3, 3)])
    report = service.start_report(year.plan.id, year.annual.id, SYSTEM)
    service.save_report(report, {}, SYSTEM, notes={year.described.id: "Rapat rutin."})
    service.submit_report(report, SYSTEM)

    login(client, "kasi")
    queue = client.get("/evaluation-queue/list/?_flt_0_status=submitted").get_data(as_text=True)
    assert "Akhir" in queue and "Epidemiolog Satu" in queue
    page = client.get(f"/report/{report.id}/?_l_=en").get_data(as_text=True)
    assert 'id="evaluation-form"' in page and 'id="annual-evaluation-note"' in page
    assert f'name="indicator_level_{year.described.id}"' in page
    form = {
        **ALL_VALUES,
        "results": "as_expected",
        "behaviour": "as_expected",
        "feedback": "Target tahunan tercapai.",
        "decision": "approve",
    }
    client.post(f"/report/{report.id}/evaluate?_l_=en", data=form)
    assert _report(report.id).status == ReportStatus.SUBMITTED
    refused = client.get(f"/report/{report.id}/?_l_=en").get_data(as_text=True)
    assert f"Give “{QUALITATIVE_TEXT}” a level: it is qualitative." in refused
    approved = client.post(
        f"/report/{report.id}/evaluate",
        data={**form, f"indicator_level_{year.described.id}": "above"},
    )
    assert approved.status_code == 302
    report = _report(report.id)
    assert report.status == ReportStatus.APPROVED
    assert report.evaluation.predikat.value == "baik"
    found = list(db.session.scalars(queries.annual_evaluations(year.period.id)))
    assert found == [report.evaluation]  # the year's annual evaluation; the quarters' are not
    assert [(il.indicator_id, il.level.value) for il in report.evaluation.indicator_levels] == [
        (year.described.id, "above")
    ]

    login(client, "employee")
    page = client.get(f"/report/{report.id}/?_l_=en").get_data(as_text=True)
    assert "This is the year's annual evaluation." in page
    assert "Above expectations" in _row(page, year.described.id)
    evaluation = client.get(
        f"/api/v1/evaluation/{report.evaluation.id}", headers=api_token(client, "integrator")
    ).get_json()["result"]
    assert evaluation["indicator_levels"] == [{"indicator_id": year.described.id, "level": "above"}]
    sub_periods = client.get(
        f"/api/v1/sub_period/{year.annual.id}", headers=api_token(client, "integrator")
    ).get_json()["result"]
    assert sub_periods["annual"] is True
    assert db.session.scalar(select(Report.id).where(Report.sub_period_id == year.annual.id))
