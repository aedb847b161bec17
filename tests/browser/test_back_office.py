"""The back office in a real browser: Indonesian screens, forms with server-side search,
validation beside the field, CSRF-protected changes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kinerja.extensions import db
from kinerja.models.org import Employee, Unit
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.factories import PASSWORD, Org, make_nip

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _pick(page, field: str, text: str) -> None:
    """Choose in a server-searched select (select2): open, type, take the first match."""
    page.click(f"#s2id_{field}, span[aria-labelledby='select2-{field}-container']")
    page.fill(".select2-container--open .select2-search__field", text)
    option = page.locator(".select2-results__option", has_text=text).first
    option.wait_for()
    option.click()


def test_admin_sees_indonesian_screens_and_can_switch_to_english(page, org: Org) -> None:
    sign_in(page, "admin", PASSWORD)
    page.goto("/employees/list/")
    expect(page.locator("body")).to_contain_text("Pegawai")
    expect(page.locator("body")).to_contain_text("Epidemiolog Satu")
    page.screenshot(path=str(ARTIFACTS / "employees-id.png"), full_page=True)
    page.goto("/lang/en")
    page.goto("/employees/list/")
    expect(page.locator("body")).to_contain_text("Employees")


def test_operator_adds_an_employee_after_fixing_the_nip(page, org: Org) -> None:
    sign_in(page, "operator", PASSWORD)
    page.goto("/employees/add")
    page.fill("#nip", "12345")
    page.fill("#name", "Rina Marpaung, S.Kom.")
    _pick(page, "unit", "Surveilans")
    _pick(page, "position", "Epidemiolog")
    page.click("button[type=submit]")
    expect(page.locator("body")).to_contain_text("NIP harus")  # the reason, in Indonesian
    expect(page.locator("#name")).to_have_value("Rina Marpaung, S.Kom.")
    page.screenshot(path=str(ARTIFACTS / "employee-nip-error.png"), full_page=True)
    nip = make_nip(sex=2)
    page.fill("#nip", f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/employees/show/\d+"))
    expect(page.locator("body")).to_contain_text("Rina Marpaung, S.Kom.")
    db.session.expire_all()
    saved = db.session.scalar(select(Employee).where(Employee.nip == nip))
    assert saved is not None and saved.position_id == org.positions.epid.id


def test_operator_cannot_choose_units_of_other_agencies(page, org: Org) -> None:
    sign_in(page, "operator", PASSWORD)
    page.goto("/units/add")
    page.click("span[aria-labelledby='select2-parent-container']")
    page.fill(".select2-container--open .select2-search__field", "Dinas")
    results = page.locator(".select2-results__option")
    expect(results.first).to_contain_text("Dinas Kesehatan")
    texts = results.all_inner_texts()
    assert not any("Perhubungan" in text for text in texts)


def test_deleting_a_unit_asks_first_and_is_csrf_protected(page, org: Org) -> None:
    empty = Unit(code="KOSONG", name="Unit Kosong", kind="seksi", parent_id=org.units.p2p.id)
    db.session.add(empty)
    db.session.commit()
    empty_id = empty.id
    sign_in(page, "admin", PASSWORD)
    page.goto("/units/list/?_flt_0_code=KOSONG")
    page.click(f"[id='btn-delete-/units/delete/{empty_id}']")
    expect(page.locator("#modal-confirm")).to_contain_text("Apakah Anda yakin")
    page.click("#modal-confirm-ok")
    expect(page.locator(".alert-success")).to_be_visible()
    db.session.expire_all()
    assert db.session.get(Unit, empty_id) is None
