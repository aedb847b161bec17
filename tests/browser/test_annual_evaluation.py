"""The annual evaluation in a real browser: after last year's four quarters, the employee
starts the annual report, reads the year's accumulated achievements, describes the
qualitative indicator and submits; the direct supervisor gives the qualitative indicator
its level (the suggested results follow it), rates the year and approves; the Admin
computes the period's ratings, and the employee sees their final predikat."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.annual import build_last_year, the_quarters
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.factories import PASSWORD, Org, Planning

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_annual_report_from_start_to_approval(page, org: Org, planning: Planning) -> None:
    year = build_last_year(org, planning)
    # 13 of 12 documents (above), 12 of 12 trained (as expected)
    the_quarters(year, planning, [(3, 3), (3, 3), (3, 3), (4, 3)])
    documents, trained = year.measured

    sign_in(page, "employee", PASSWORD)
    page.goto("/report/mine/")
    annual_row = page.locator(".sub-period-5.annual")  # after the four quarters
    expect(annual_row).to_contain_text("Akhir")
    annual_row.locator(".start-report").click()
    page.wait_for_url(re.compile(r"/report/\d+/$"))
    expect(page.locator("#annual-report")).to_be_visible()
    expect(page.locator(f".indicator-{documents.id} .to-date")).to_have_text("13")
    expect(page.locator(f".indicator-{documents.id} .achievement")).to_contain_text("108,33")
    expect(page.locator(f".indicator-{trained.id} .achievement")).to_contain_text("100")
    assert page.locator("#realizations input[name^=value_]").count() == 0
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#submit-report")  # the qualitative indicator is not described yet
    expect(page.locator(".alert-danger")).to_contain_text("Kualitas koordinasi lintas program")
    expect(page.locator("#report-status")).to_have_text("Draf")
    page.fill("#url", "https://bukti.example/notulen-2025")
    page.click("#add-evidence")
    expect(page.locator("#evidence")).to_contain_text("notulen-2025")
    page.fill(f"#note_{year.described.id}", "Rapat koordinasi lintas program tiap bulan.")
    page.click("#submit-report")
    expect(page.locator("#report-status")).to_have_text("Diajukan")
    report_url = page.url
    page.goto("/logout/")

    sign_in(page, "kasi", PASSWORD)
    page.goto("/evaluation-queue/list/?_flt_0_status=submitted")
    expect(page.locator("body")).to_contain_text("Akhir")
    page.goto(report_url)
    expect(page.locator("#annual-evaluation-note")).to_be_visible()
    expect(page.locator("#indicator-levels")).to_contain_text("tiap bulan")
    # one indicator above, one as expected: no majority yet
    expect(page.locator("#suggested-results")).to_have_text("Sesuai Ekspektasi")
    page.check(f"input[name=indicator_level_{year.described.id}][value=above]")
    expect(page.locator("#suggested-results")).to_have_text("Di Atas Ekspektasi")
    page.check(f"input[name=indicator_level_{year.described.id}][value=below]")
    # a main indicator below blocks "above"
    expect(page.locator("#suggested-results")).to_have_text("Sesuai Ekspektasi")
    page.check(f"input[name=indicator_level_{year.described.id}][value=above]")
    expect(page.locator("#suggested-results")).to_have_text("Di Atas Ekspektasi")
    page.check("input[name=results][value=above]")
    for radio in page.locator("input[name^=level_][value=as_expected]").all():
        radio.check()
    expect(page.locator("#predikat-preview")).to_have_text("Baik")
    page.fill("#feedback", "Target tahunan tercapai; koordinasi berjalan baik.")
    page.screenshot(path=str(ARTIFACTS / "annual-review.png"), full_page=True)
    page.click("#approve-report")
    expect(page.locator("#report-status")).to_have_text("Sudah Dinilai")
    expect(page.locator("#predikat")).to_have_text("Baik")
    expect(page.locator("#annual-evaluation-note")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "annual-evaluated.png"), full_page=True)
    page.goto("/logout/")

    sign_in(page, "admin", PASSWORD)
    page.goto(f"/periods/show/{year.period.id}")
    page.locator("a, button").filter(has_text="Hitung predikat").first.click()
    page.get_by_role("dialog").get_by_role("link", name="OK").click()  # FAB's confirmation
    expect(page.locator(".alert-success")).to_contain_text("Predikat sedang dihitung")
    expect(page.locator("body")).to_contain_text("Berhasil")  # inline without Redis
    page.goto("/logout/")

    sign_in(page, "employee", PASSWORD)
    page.goto("/ratings/mine/")
    expect(page.locator("#rating-state")).to_have_text("Final")
    expect(page.locator("#rating-predikat")).to_have_text("Baik")
    expect(page.locator("#rating-basis")).to_contain_text("penilaian akhir")
    page.screenshot(path=str(ARTIFACTS / "annual-final-rating.png"), full_page=True)
