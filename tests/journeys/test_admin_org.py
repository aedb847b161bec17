"""Journey 1: the Admin builds a piece of the organisation — a unit, a position under a
supervising position, an employee (after a wrong NIP is explained beside the field) — and
reads the screens in English and back in Indonesian."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, Org, make_nip
from tests.journeys.conftest import Browser, choose, pick, sign_in

pytestmark = [pytest.mark.journey]


def _language(page, locale: str) -> None:
    """Switch the language with the navigation bar's menu."""
    link = page.locator(f"a[href$='/lang/{locale}']")
    page.locator("li.dropdown", has=link).locator("a.dropdown-toggle").click()
    link.click()


def test_admin_builds_a_unit_a_position_and_an_employee(journey: Browser, org: Org) -> None:
    page = journey.tab()
    sign_in(page, "admin", PASSWORD)

    page.goto("/units/add")
    page.fill("#code", "DINKES.P2P.IMUN")
    page.fill("#name", "Seksi Imunisasi")
    choose(page, "kind", "seksi")
    pick(page, "parent", "Bidang P2P")
    page.click("button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    page.goto("/units/list/?_flt_0_code=DINKES.P2P.IMUN")
    expect(page.locator("table.table-bordered")).to_contain_text("Seksi Imunisasi")
    expect(page.locator("table.table-bordered")).to_contain_text("Bidang P2P")

    page.goto("/positions/add")
    page.fill("#code", "KASI.IMUN")
    page.fill("#name", "Kepala Seksi Imunisasi")
    choose(page, "kind", "pengawas")
    pick(page, "unit", "Seksi Imunisasi")
    page.check("#is_head")
    pick(page, "supervisor", "Kepala Bidang P2P")
    page.fill("#grade", "9")
    page.click("button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    page.goto("/positions/list/?_flt_0_code=KASI.IMUN")
    expect(page.locator("table.table-bordered")).to_contain_text("Kepala Seksi Imunisasi")
    expect(page.locator("table.table-bordered")).to_contain_text("Kepala Bidang P2P")

    page.goto("/employees/add")
    nip = make_nip(sex=2, birth="19900215", start="201503")
    wrong = nip[:14] + "3" + nip[15:]  # the sex digit is 1 or 2
    page.fill("#nip", wrong)
    page.fill("#name", "Dewi Lestari, S.K.M.")
    choose(page, "employment_type", "pns")
    pick(page, "unit", "Seksi Imunisasi")
    pick(page, "position", "Kepala Seksi Imunisasi")
    page.click("button[type=submit]")
    nip_field = page.locator("#nip").locator("xpath=ancestor::td[1]")
    expect(nip_field).to_contain_text("Digit jenis kelamin pada NIP (digit 15) harus 1 atau 2.")
    expect(page.locator("#name")).to_have_value("Dewi Lestari, S.K.M.")
    journey.shot(page, "nip-refused")
    page.fill("#nip", f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/employees/(show/\d+|list/)"))
    page.goto("/employees/list/?_flt_0_name=Dewi")
    page.locator("table a[href*='/employees/show/']").first.click()
    details = page.locator("table.table-bordered")
    expect(details).to_contain_text("Dewi Lestari, S.K.M.")
    expect(details).to_contain_text("Kepala Seksi Imunisasi")
    expect(details).to_contain_text("Kabid P2P Uji")  # the supervisor, through the position
    expect(details).to_contain_text("Perempuan")  # read from the NIP, in words
    expect(details).to_contain_text("15 Feb 1990")
    expect(details).not_to_contain_text("None")
    expect(page.locator("#modal-confirm")).to_contain_text("Batal")  # not "Cancel"
    journey.shot(page, "employee-id")

    _language(page, "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(details).to_contain_text("Female")
    expect(details).to_contain_text("Feb 15, 1990")
    journey.shot(page, "employee-en")
    _language(page, "id")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(details).to_contain_text("Perempuan")
