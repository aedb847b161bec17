"""The ratings screens in a real browser: a unit's distribution chart is drawn from what
the app serves itself (no request leaves 127.0.0.1), reads in print, and the employee
reaches their rating from the home page."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from kinerja.extensions import db
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.factories import PASSWORD, Org, Planning, Reporting, make_check, make_rating

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_distribution_chart_renders_without_external_requests_and_prints(
    page, org: Org, planning: Planning
) -> None:
    check = make_check(org.units.surv, planning.period, {"baik": 8, "sangat_baik": 2}, "baik")
    db.session.commit()
    hosts: list[str] = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).hostname or ""))

    sign_in(page, "admin", PASSWORD)
    hosts.clear()
    page.goto(f"/distributions/show/{check.id}")
    page.wait_for_load_state("networkidle")
    chart = page.locator("svg#distribution-chart")
    expect(chart).to_be_visible()
    assert chart.locator("rect.bar").count() == 2
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150
    expect(page.locator("#distribution-table")).to_contain_text("Baik")
    expect(page.locator("#distribution-warnings")).to_contain_text("80 %")
    assert hosts and set(hosts) == {"127.0.0.1"}, hosts
    # the stylesheet bundled with the app reached the page
    fill = chart.locator("rect.bar-baik").evaluate("e => getComputedStyle(e).fill")
    assert fill == "rgb(49, 112, 143)"

    page.emulate_media(media="print")
    expect(page.locator(".navbar").first).to_be_hidden()
    expect(chart).to_be_visible()
    expect(page.locator("#distribution-table")).to_be_visible()
    page.pdf(path=str(ARTIFACTS / "distribution-print.pdf"))
    page.screenshot(path=str(ARTIFACTS / "distribution-print.png"), full_page=True)
    assert set(hosts) == {"127.0.0.1"}, hosts


def test_the_employee_opens_their_rating_from_the_home_page(
    page, org: Org, reporting: Reporting
) -> None:
    make_rating(reporting.plan, "sangat_baik", final=True, results="above", behaviour="above")
    db.session.commit()
    sign_in(page, "employee", PASSWORD)
    page.goto("/")
    page.click("#home-my-rating")
    expect(page.locator("#rating-page")).to_be_visible()
    expect(page.locator("#predikat")).to_have_text("Sangat Baik")
    expect(page.locator("#rating-levels")).to_contain_text("Di Atas Ekspektasi")
