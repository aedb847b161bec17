"""Journey 5: a member of the public answers a service's survey on a phone (no login); the
unit's index is not public until the index job has run in the worker; then the transparency
page, on the phone, shows the unit's IKM and its grade."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kinerja.extensions import db
from tests.factories import PASSWORD, Org
from tests.journeys.conftest import Browser, sign_in
from tests.survey_form_factories import make_service, make_survey

pytestmark = [pytest.mark.journey]

PHONE = {"width": 390, "height": 844}
ANSWERS = (4, 4, 3, 4, 3, 4, 4, 3, 4)  # (4 × 6 + 3 × 3) / 9 × 25 = 91,67: grade A


def test_a_phone_answers_the_survey_and_the_unit_ikm_is_published(
    journey: Browser, org: Org
) -> None:
    survey = make_survey(make_service(org.units.yankes, "Pelayanan Rawat Jalan"))
    db.session.commit()
    phone = journey.tab(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    phone.goto(f"/skm/{survey.token}")
    expect(phone.locator("h1")).to_have_text("Pelayanan Rawat Jalan")
    for number, answer in enumerate(ANSWERS, start=1):
        phone.locator(f"input[name=a{number}][value='{answer}'] + span").tap()
    phone.select_option("#age_range", "30-39")
    phone.locator("button.skm-submit").tap()
    expect(phone.locator("#thanks")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    journey.shot(phone, "thanks")

    phone.goto("/transparansi")
    expect(phone.locator("h1")).to_be_visible()
    expect(phone.locator("tr.unit", has_text=org.units.yankes.name)).to_have_count(0)

    desk = journey.tab()
    sign_in(desk, "admin", PASSWORD)
    desk.goto("/survey-results/")
    desk.locator("#compute-indices button[type=submit]").click()
    desk.wait_for_url(re.compile(r"/jobs/show/\d+"))
    expect(desk.locator("table.table-bordered")).to_contain_text("Berhasil", timeout=60_000)

    phone.reload()
    unit_row = phone.locator("tr.unit", has_text=org.units.yankes.name)
    expect(unit_row.locator("td").nth(0)).to_have_text("91,67")
    expect(unit_row.locator("td").nth(1)).to_contain_text(re.compile(r"^\s*A\b"))
    expect(unit_row.locator("td").nth(2)).to_have_text("1")  # one response
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    journey.shot(phone, "transparency")
