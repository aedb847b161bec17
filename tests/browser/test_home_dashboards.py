"""Each role's home page in headless Chromium: it opens without a console error, every
request stays on 127.0.0.1 (the charts are drawn by the app, nothing from a CDN), the
chart's numbers are there as a table, and the charts still show in print."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from kinerja.extensions import db
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.factories import PASSWORD, build_records, make_check, make_rating

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = (
    ("admin", "#home-units", "#home-chart-predikat-table"),
    ("operator", "#home-units", "#home-chart-predikat-table"),
    ("kasi", "#home-team", "#home-chart-team-table"),
    ("employee", "#home-mine", "#home-chart-jp-table"),
)


def test_each_home_opens_cleanly_with_its_chart_table(page, org, planning, reporting) -> None:
    records = build_records(org, planning, reporting)
    make_check(org.units.surv, planning.period, {"baik": 8, "sangat_baik": 2}, "baik")
    make_rating(records.plans.epid1, "sangat_baik")
    make_rating(records.plans.epid2, "baik")
    db.session.commit()
    errors: list[str] = []
    hosts: list[str] = []
    page.on(
        "console",
        lambda m: errors.append(f"{m.text} {m.location.get('url')}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: hosts.append(urlsplit(r.url).hostname or ""))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    for username, section, table in PAGES:
        page.context.clear_cookies()
        sign_in(page, username, PASSWORD)
        hosts.clear()
        errors.clear()  # the login page is not ours to judge here
        page.goto("/")
        page.wait_for_load_state("networkidle")
        expect(page.locator(section)).to_be_visible()
        expect(page.locator(table)).to_be_attached()
        assert page.locator(f"{table} tbody tr").count() >= 2, username
        chart = page.locator(table.replace("-table", "") + " svg")
        expect(chart).to_be_visible()
        assert set(hosts) == {"127.0.0.1"}, (username, hosts)
        assert not errors, (username, errors)
        if username == "admin":
            page.emulate_media(media="print")
            expect(page.locator(".navbar").first).to_be_hidden()
            expect(chart).to_be_visible()
            expect(page.locator(table)).to_be_visible()
            page.pdf(path=str(ARTIFACTS / "home-admin-print.pdf"))
            page.emulate_media(media="screen")
