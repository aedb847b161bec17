"""The career view in a real browser: an employee signs in, opens *Pengembangan Saya* from
the menu and sees their job-person match, gaps, recommended trainings and career options,
with no console error and no request leaving 127.0.0.1."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kinerja.extensions import db
from kinerja.models.competency import Competency, PositionCompetency
from tests.browser.conftest import sign_in
from tests.development_factories import build_development
from tests.factories import PASSWORD, Org

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_an_employee_sees_match_gaps_recommendations_and_careers(page, org: Org) -> None:
    build_development(org)
    integrity = db.session.scalar(select(Competency).where(Competency.code == "M.01"))
    # a position asking only Integritas at level 2, which Epidemiolog Satu has: a career option
    db.session.add(
        PositionCompetency(
            position_id=org.positions.kasi_surv.id, competency=integrity, required_level=2
        )
    )
    db.session.commit()
    hosts: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).hostname or ""))
    page.on(
        "console",
        lambda m: (
            errors.append(f"{m.location.get('url')}: {m.text}") if m.type == "error" else None
        ),
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    sign_in(page, "employee", PASSWORD)
    mine = page.locator('a[href="/development/mine/"]').first
    page.locator("li.dropdown", has=mine).locator("a.dropdown-toggle").first.click()
    mine.click()
    page.wait_for_url("**/development/mine/")
    page.wait_for_load_state("networkidle")

    expect(page.locator("#development-profile")).to_be_visible()
    expect(page.locator("#match")).to_have_text("28,57%")  # (2 + 0) / (3 + 4)
    gaps = page.locator("#gaps")
    expect(gaps).to_contain_text("Integritas")
    expect(gaps).to_contain_text("Kerja Sama")
    recommendations = page.locator("#recommendations li")
    expect(recommendations).to_have_count(2)
    expect(page.locator("#recommendations")).to_contain_text("Kerja sama tim")
    expect(page.locator("#recommendations")).to_contain_text("Komunikasi efektif")
    careers = page.locator("#careers")
    expect(careers).to_contain_text(org.positions.kasi_surv.name)
    expect(careers).to_contain_text("100")
    # the app serves no favicon: Chromium's own request for it is not the page's error
    assert [e for e in errors if "/favicon.ico:" not in e] == [], errors
    assert hosts and set(hosts) == {"127.0.0.1"}, hosts
