"""Journey 4: the Admin starts the period's rating run from the period's page; the job's page
shows its progress until the worker has finished; the employee then sees the predikat."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kinerja.domain.ratings import Level
from kinerja.security.policies import SYSTEM, scope_for_user
from kinerja.services.reports import evaluations
from kinerja.services.reports import reports as service
from tests.annual import all_values
from tests.factories import PASSWORD, Org, Planning, Reporting
from tests.journeys.conftest import Browser, quarter, sign_in

pytestmark = [pytest.mark.journey]


def test_the_rating_run_shows_progress_and_the_employee_sees_the_predikat(
    journey: Browser, org: Org, planning: Planning, reporting: Reporting
) -> None:
    number = quarter()
    report = service.start_report(
        reporting.plan.id, planning.period.sub_periods[number - 1].id, SYSTEM
    )
    due = 3 * number  # 12 a year: fully on track
    service.save_report(report, {line.indicator_id: due for line in report.realizations}, SYSTEM)
    service.submit_report(report, SYSTEM)
    ratings = evaluations.Ratings(
        results=Level.AS_EXPECTED,
        behaviour=Level.AS_EXPECTED,
        values=all_values(),
        feedback="Baik.",
    )
    evaluations.approve_report(report, ratings, scope_for_user(planning.kasi))

    page = journey.tab()
    sign_in(page, "admin", PASSWORD)
    page.goto(f"/periods/show/{planning.period.id}")
    page.get_by_role("link", name="Hitung predikat").click()
    page.click("#modal-confirm-ok")
    page.wait_for_url(re.compile(r"/jobs/show/\d+"))
    expect(page.locator(".alert-success")).to_contain_text("sedang dihitung")
    details = page.locator("table.table-bordered")
    expect(details).to_contain_text("Berhasil", timeout=60_000)  # the page refreshes itself
    progress = details.locator("tr", has_text="Kemajuan")
    expect(progress).to_contain_text(re.compile(r"(\d+)/\1 \(100%\)"))
    expect(page.locator("a[href*='/jobs/action/retry/']")).to_have_count(0)
    journey.shot(page, "run-finished")

    sign_in(page, "employee", PASSWORD)
    page.goto("/ratings/mine/")
    expect(page.locator("#rating-page h2")).to_contain_text("Baik")
    expect(page.locator("#rating-state")).to_have_text("Sementara")
    expect(page.locator("#rating-page")).to_contain_text("Epidemiolog Satu")
    journey.shot(page, "employee-predikat")
