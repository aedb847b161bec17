"""Journey 2: an employee drafts a plan cascading from the supervisor's; the supervisor
returns it with a reason; the employee reads it, fixes the plan and submits again; the
supervisor approves."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, Org, Planning
from tests.journeys.conftest import Browser, choose, pick, sign_in

pytestmark = [pytest.mark.journey]

REASON = "Target terlalu rendah: naikkan menjadi 60 dokumen."


def _save(page) -> None:
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/plans/\d+/$"))


def test_a_plan_returned_with_a_reason_is_fixed_and_approved(
    journey: Browser, org: Org, planning: Planning
) -> None:
    page = journey.tab()
    sign_in(page, "employee", PASSWORD)
    page.goto("/work-plans/list/")
    page.click("#new-plan")
    _save(page)
    plan_url = page.url
    expect(page.locator("#plan-status")).to_have_text("Draf")
    expect(page.locator("#supervisor-plan")).to_contain_text("disetujui")

    page.click("#add-objective")
    page.fill("#text", "Tersusunnya analisis surveilans mingguan")
    pick(page, "parent", "Surveilans tepat")
    _save(page)
    page.click(".add-indicator")
    page.fill("#text", "Dokumen analisis surveilans")
    choose(page, "aspect", "quantity")
    page.fill("#target", "52")
    page.fill("#unit", "dokumen")
    _save(page)
    objectives = page.locator("#plan-objectives")
    expect(objectives).to_contain_text("Surveilans tepat waktu")  # cascaded from the Kasi's
    expect(objectives).to_contain_text("52 dokumen")
    page.click("#submit-plan")
    expect(page.locator("#plan-status")).to_have_text("Diajukan")

    sign_in(page, "kasi", PASSWORD)
    page.goto("/plans/queue/")
    queue = page.locator("#plan-queue")
    expect(queue).to_contain_text("Epidemiolog Satu")
    queue.locator("a.btn").first.click()
    page.wait_for_url(plan_url)
    page.fill("input[name=reason][required]", REASON)
    page.get_by_role("button", name="Kembalikan untuk perbaikan").click()
    expect(page.locator("#plan-status")).to_have_text("Dikembalikan")
    journey.shot(page, "returned")

    sign_in(page, "employee", PASSWORD)
    page.goto(plan_url)
    expect(page.locator(".alert-warning")).to_contain_text(REASON)
    page.locator("#plan-objectives a[href*='/indicators/edit/']").click()
    page.fill("#target", "60")
    _save(page)
    expect(page.locator("#plan-objectives")).to_contain_text("60 dokumen")
    page.click("#submit-plan")
    expect(page.locator("#plan-status")).to_have_text("Diajukan")

    sign_in(page, "kasi", PASSWORD)
    page.goto("/plans/queue/")
    page.locator("#plan-queue a.btn").first.click()
    page.click("#approve-plan")
    expect(page.locator("#plan-status")).to_have_text("Disetujui")

    sign_in(page, "employee", PASSWORD)
    page.goto(plan_url)
    expect(page.locator("#plan-status")).to_have_text("Disetujui")
    expect(page.locator("#plan-objectives")).to_contain_text("60 dokumen")
    expect(page.locator("#plan-versions")).to_contain_text("1")
    journey.shot(page, "approved")
