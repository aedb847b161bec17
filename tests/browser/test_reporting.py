"""Reporting in a real browser: the employee logs the day, fills and submits the quarter's
report with an evidence file; the direct supervisor rates it, sees the suggested levels and
the predikat follow the choices, writes feedback and approves."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kinerja.domain.reporting import ReportStatus
from kinerja.extensions import db
from kinerja.models.reports import Report
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.factories import PASSWORD, Org, Planning, Reporting

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


def test_employee_reports_and_the_supervisor_evaluates(
    page,
    org: Org,
    planning: Planning,
    reporting: Reporting,
) -> None:
    sign_in(page, "employee", PASSWORD)
    page.goto("/activities/list/")
    page.fill("#quick-description", "Rekap surveilans mingguan")
    page.fill("#quick-duration", "75")
    page.click("#quick-save")
    expect(page.locator("body")).to_contain_text("Rekap surveilans mingguan")

    page.goto("/report/mine/")
    page.locator(".sub-period-1 .start-report").click()
    page.wait_for_url(re.compile(r"/report/\d+/$"))
    expect(page.locator("#report-status")).to_have_text("Draf")
    inputs = page.locator("#realizations input[name^=value_]")
    assert inputs.count() == 2
    inputs.nth(0).fill("4")
    inputs.nth(1).fill("3")
    page.click("#save-report")
    expect(page.locator("#realizations .achievement").first).to_contain_text("133,33")
    page.set_input_files(
        "#file", files=[{"name": "rekap-q1.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.click("#add-evidence")
    expect(page.locator("#evidence")).to_contain_text("rekap-q1.pdf")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#submit-report")
    expect(page.locator("#report-status")).to_have_text("Diajukan")
    report_url = page.url
    page.goto("/logout/")

    sign_in(page, "kasi", PASSWORD)
    page.goto("/evaluation-queue/list/?_flt_0_status=submitted")
    expect(page.locator("body")).to_contain_text("Epidemiolog Satu")
    page.goto(report_url)
    # 4 of 3 due is above, 3 of 3 as expected: no majority above, so "as expected"
    expect(page.locator("#suggested-results")).to_have_text("Sesuai Ekspektasi")
    page.check("input[name=results][value=above]")
    for radio in page.locator("input[name^=level_][value=above]").all():
        radio.check()
    expect(page.locator("#suggested-behaviour")).to_have_text("Di Atas Ekspektasi")
    expect(page.locator("#predikat-preview")).to_have_text("Sangat Baik")
    page.locator("input[name=level_service][value=below]").check()
    page.locator("input[name=level_loyal][value=below]").check()
    page.locator("input[name=level_adaptive][value=below]").check()
    page.locator("input[name=level_competent][value=as_expected]").check()
    # above 3 of 7, below 3 of 7: no majority, so behaviour is as expected → Baik
    expect(page.locator("#suggested-behaviour")).to_have_text("Sesuai Ekspektasi")
    expect(page.locator("#predikat-preview")).to_have_text("Baik")
    page.fill("#feedback", "Analisis tepat waktu; tingkatkan orientasi pelayanan.")
    page.click("#approve-report")
    expect(page.locator("#report-status")).to_have_text("Sudah Dinilai")
    expect(page.locator("#predikat")).to_have_text("Baik")
    page.screenshot(path=str(ARTIFACTS / "report-evaluated.png"), full_page=True)
    db.session.expire_all()
    report = db.session.scalar(select(Report))
    assert report.status == ReportStatus.APPROVED
    assert report.evaluation.results.value == "above"
    assert report.evaluation.suggested_behaviour.value == "as_expected"
