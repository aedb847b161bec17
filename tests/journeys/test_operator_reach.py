"""Journey 6: an Operator of Dinas Kesehatan cannot reach an employee of Dinas Perhubungan —
not by typing the address (an Indonesian "not found" page), not through the menu's list or
its search, not in a form's employee dropdown — while their own unit's employees are there."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from tests.factories import PASSWORD, Org, Planning
from tests.journeys.conftest import Browser, sign_in

pytestmark = [pytest.mark.journey]

NOT_FOUND = "Data tidak ditemukan atau berada di luar kewenangan Anda."


def test_an_operator_cannot_reach_another_units_employee(
    journey: Browser, org: Org, planning: Planning
) -> None:
    outsider = org.employees.penguji  # Dinas Perhubungan
    page = journey.tab()
    sign_in(page, "operator", PASSWORD)

    journey.watch.allow(r"status of 404")  # asked for on purpose below
    for address in (f"/employees/show/{outsider.id}", f"/employees/edit/{outsider.id}"):
        response = page.goto(address)
        assert response is not None and response.status == 404
        expect(page.locator("#error-page")).to_contain_text(NOT_FOUND)
        expect(page.locator("html")).to_have_attribute("lang", "id")
    journey.shot(page, "by-address")
    journey.watch.allowed.clear()

    page.goto("/")
    menu = page.locator("li.dropdown", has_text="Organisasi")
    menu.locator("a.dropdown-toggle").click()
    menu.locator("a[href*='/employees/list']", has_text="Pegawai").click()
    listed = page.locator("table.table-bordered")
    expect(listed).to_contain_text("Epidemiolog Satu")
    expect(listed).not_to_contain_text(outsider.name)
    page.goto("/employees/list/?_flt_0_name=Penguji")
    expect(page.locator("body")).not_to_contain_text(outsider.name)
    journey.shot(page, "by-menu")

    page.goto("/work-plans/list/")
    page.click("#new-plan")
    page.click("span[aria-labelledby='select2-employee-container']")
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill("Epidemiolog")
    expect(page.locator(".select2-results")).to_contain_text("Epidemiolog Satu")
    search.fill("Penguji")
    nothing = page.locator(".select2-results__message")
    with force_locale("id"):  # select2's message from the catalogue, not its English
        expect(nothing).to_have_text(gettext("No results found"))
    expect(page.locator(".select2-results")).not_to_contain_text(outsider.name)
    journey.shot(page, "by-dropdown")
