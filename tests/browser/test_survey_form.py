"""The public survey form on a phone, in a real browser: no login, CSRF on, Indonesian by
default, a missing answer named while the others stay, then the thank-you page; once the
index is computed and the comment approved, the transparency page shows them, and nothing
of the person."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kinerja.extensions import db
from kinerja.models.surveys import SurveyResponse
from kinerja.security.policies import SYSTEM
from kinerja.services.surveys.catalogue import publish_comments
from kinerja.services.surveys.indices import compute_survey_indices
from tests.browser.conftest import ARTIFACTS, is_csp_violation
from tests.factories import Org
from tests.survey_form_factories import make_service, make_survey

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server: str):
    context = browser.new_context(
        base_url=live_server,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        locale="id-ID",
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    blocked: list[str] = []
    tab.on("console", lambda m: blocked.append(m.text) if is_csp_violation(m) else None)
    yield tab
    context.close()
    assert not blocked, blocked


def test_a_phone_fills_the_form_to_the_thank_you_page(phone, org: Org) -> None:
    survey = make_survey(make_service(org.units.yankes, "Pelayanan Rawat Jalan"))
    db.session.commit()
    phone.goto(f"/skm/{survey.token}")
    expect(phone.locator("html")).to_have_attribute("lang", "id")
    expect(phone.locator("h1")).to_have_text("Pelayanan Rawat Jalan")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the form scrolls sideways on a phone"

    # element 1 by keyboard: focus its first answer, move to the third with the arrows
    phone.locator("input[name=a1]").first.focus()
    phone.keyboard.press("ArrowRight")
    phone.keyboard.press("ArrowRight")
    expect(phone.locator("input[name=a1][value='3']")).to_be_checked()
    for number in range(2, 9):  # element 9 left out on purpose
        phone.get_by_role("group", name=f"{number}.").get_by_text(
            phone.locator(f"input[name=a{number}][value='4'] + span").inner_text(), exact=True
        ).tap()
    phone.select_option("#age_range", "30-39")
    phone.fill("#comment", "Petugas ramah, antrean agak lama.")
    phone.locator("button.skm-submit").tap()

    problem = phone.locator("#form-problem")
    expect(problem).to_be_visible()
    expect(phone.locator("#a9-error")).to_be_visible()
    expect(phone.locator("input[name=a1][value='3']")).to_be_checked()  # kept
    expect(phone.locator("#comment")).to_have_value("Petugas ramah, antrean agak lama.")
    phone.screenshot(path=str(ARTIFACTS / "skm-phone-refused.png"), full_page=True)

    phone.locator("input[name=a9][value='2'] + span").tap()
    phone.locator("button.skm-submit").tap()
    expect(phone.locator("#thanks")).to_be_visible()
    phone.screenshot(path=str(ARTIFACTS / "skm-phone-thanks.png"), full_page=True)

    db.session.expire_all()
    saved = db.session.scalar(select(SurveyResponse))
    assert saved.answers == (3, 4, 4, 4, 4, 4, 4, 4, 2)
    assert saved.age_range.value == "30-39"

    phone.goto(f"/skm/{survey.token}")  # the same phone again: already answered
    expect(phone.locator("#survey-state")).to_be_visible()
    expect(phone.locator("form.skm-form")).to_have_count(0)

    # the index computed, the comment approved: the public transparency page, on the phone
    compute_survey_indices([survey.id], None, SYSTEM)
    publish_comments([saved], True, SYSTEM)
    phone.goto("/transparansi")
    expect(phone.locator("html")).to_have_attribute("lang", "id")
    unit_row = phone.locator("tr.unit", has_text=org.units.yankes.name)
    expect(unit_row).to_contain_text("91,67")  # (3 + 4 × 7 + 2) / 9 × 25
    expect(unit_row).to_contain_text("A")
    expect(phone.get_by_text("Petugas ramah, antrean agak lama.")).to_be_visible()
    body = phone.locator("body").inner_text()
    assert "30-39" not in body and "30–39" not in body  # no respondent's profile
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the transparency page scrolls sideways on a phone"
    phone.screenshot(path=str(ARTIFACTS / "skm-phone-transparency.png"), full_page=True)
