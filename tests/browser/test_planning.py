"""Planning in a real browser: an employee drafts a cascading plan and submits it, the
direct supervisor approves it from the queue."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kinerja.domain.planning import PlanStatus
from kinerja.extensions import db
from kinerja.models.planning import WorkPlan
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.browser.test_back_office import _pick
from tests.factories import PASSWORD, Org, Planning

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _choose(page, field: str, value: str) -> None:
    """Set a select2-styled enum select and tell select2."""
    page.eval_on_selector(
        f"#{field}", "(el, v) => { el.value = v; $(el).trigger('change'); }", value
    )


def test_employee_drafts_and_submits_the_supervisor_approves(
    page,
    org: Org,
    planning: Planning,
) -> None:
    sign_in(page, "employee", PASSWORD)
    page.goto("/work-plans/list/")
    page.click("#new-plan")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/plans/\d+/$"))
    expect(page.locator("#plan-status")).to_have_text("Draf")
    expect(page.locator("#supervisor-plan")).to_contain_text("disetujui")

    page.click("#add-objective")
    page.fill("#text", "Tersusunnya analisis surveilans mingguan")
    _pick(page, "parent", "Surveilans tepat")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/plans/\d+/$"))
    expect(page.locator("#plan-objectives")).to_contain_text("Surveilans tepat waktu")

    page.click(".add-indicator")
    page.fill("#text", "Dokumen analisis surveilans")
    _choose(page, "aspect", "quantity")
    page.fill("#target", "52")
    page.fill("#unit", "dokumen")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/plans/\d+/$"))
    expect(page.locator("#plan-objectives")).to_contain_text("52 dokumen")
    page.click("#submit-plan")
    expect(page.locator("#plan-status")).to_have_text("Diajukan")
    page.screenshot(path=str(ARTIFACTS / "plan-submitted.png"), full_page=True)

    page.goto("/logout/")
    sign_in(page, "kasi", PASSWORD)
    page.goto("/plans/queue/")
    expect(page.locator("#plan-queue")).to_contain_text("Epidemiolog Satu")
    page.click("#plan-queue a.btn")
    page.click("#approve-plan")
    expect(page.locator("#plan-status")).to_have_text("Disetujui")
    db.session.expire_all()
    plan = db.session.scalar(select(WorkPlan).where(WorkPlan.employee_id == org.employees.epid1.id))
    assert plan.status == PlanStatus.APPROVED and len(plan.versions) == 1
