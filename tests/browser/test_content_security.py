"""The Content-Security-Policy in a real browser: the main pages of every role run nothing
the policy blocks (Chromium reports each blocked script, handler or style as a console
error, which the ``page`` fixture collects and fails the test on)."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, Org, Planning, Reporting, submitted_report
from tests.test_crawl import registered_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _visit(page, urls: list[str]) -> None:
    for url in urls:
        response = page.goto(url)
        assert response is not None and response.status in (200, 403, 404), url
        page.wait_for_load_state("networkidle")


def test_the_main_pages_of_every_role_run_nothing_the_policy_blocks(
    app: Flask,
    page,
    csp_violations: list[str],
    org: Org,
    planning: Planning,
    reporting: Reporting,
) -> None:
    report = submitted_report(reporting)
    plan = reporting.plan.id
    _visit(page, ["/login/"])
    sign_in(page, "admin", PASSWORD)
    lists = [url for url in registered_pages(app) if url.endswith("/list/")]
    forms = ["/employees/add", "/units/edit/1", "/positions/show/1", "/users/show/1"]
    charts = ["/userstatschartview/chart/"]  # FAB's chart, drawn as a table of ours
    _visit(page, ["/", *lists, *forms, *charts, f"/plans/{plan}/", f"/plans/{plan}/print"])
    _visit(page, ["/swagger/v1"])  # Swagger UI from FAB's own files, not a CDN
    page.locator(".swagger-ui .info").wait_for()
    page.goto("/logout/")
    sign_in(page, "kasi", PASSWORD)  # the evaluation form, its preview and the team's day
    _visit(page, [f"/report/{report.id}/", "/team/today/", "/plans/queue/"])
    page.goto("/logout/")
    sign_in(page, "employee", PASSWORD)  # forms with server-searched selects, the import
    _visit(page, ["/activities/list/", "/report/mine/", "/work-plans/list/", "/import/"])
    assert not csp_violations, "\n".join(csp_violations)
