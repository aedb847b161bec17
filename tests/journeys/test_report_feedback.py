"""Journey 3: the employee logs the day's activities, fills the quarter's report and submits
it with an evidence file; the supervisor finds it first in the evaluation queue, rates it,
writes feedback and approves; the worker mails the feedback, and its link opens the
evaluated report."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kinerja.security.policies import SYSTEM
from kinerja.services.reports import reports as service
from tests.conftest import MailSink
from tests.factories import PASSWORD, Org, Planning, Reporting
from tests.journeys.conftest import Browser, quarter, sign_in, wait_until

pytestmark = [pytest.mark.journey]

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
FEEDBACK = "Analisis tepat waktu; tingkatkan orientasi pelayanan."


def test_a_report_is_evaluated_and_its_feedback_mailed(
    journey: Browser, org: Org, planning: Planning, reporting: Reporting, mailbox: MailSink
) -> None:
    page = journey.tab()
    sign_in(page, "employee", PASSWORD)
    page.goto("/activities/list/")
    for description, minutes in (("Rekap surveilans mingguan", "75"), ("Rapat koordinasi", "60")):
        page.fill("#quick-description", description)
        page.fill("#quick-duration", minutes)
        page.click("#quick-save")
        expect(page.locator("body")).to_contain_text(description)

    number = quarter()  # the quarter of today, when the activities were logged
    page.goto("/report/mine/")
    page.locator(f".sub-period-{number} .start-report").click()
    page.wait_for_url(re.compile(r"/report/\d+/$"))
    report_url = page.url
    inputs = page.locator("#realizations input[name^=value_]")
    expect(inputs).to_have_count(2)
    inputs.nth(0).fill(str(4 * number))  # 12 a year: 3 due per quarter, 4 is 133,33 %
    inputs.nth(1).fill(str(3 * number))
    page.click("#save-report")
    expect(page.locator("#realizations .achievement").first).to_contain_text("133,33")
    page.set_input_files(
        "#file", files=[{"name": "rekap-tw.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.click("#add-evidence")
    expect(page.locator("#evidence")).to_contain_text("rekap-tw.pdf")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#submit-report")
    expect(page.locator("#report-status")).to_have_text("Diajukan")

    # a colleague submits later: the queue shows the longest waiting first
    sub_period = planning.period.sub_periods[number - 1]
    later = service.start_report(reporting.plan2.id, sub_period.id, SYSTEM)
    service.save_report(later, {line.indicator_id: 3 for line in later.realizations}, SYSTEM)
    service.submit_report(later, SYSTEM)

    sign_in(page, "kasi", PASSWORD)
    page.goto("/evaluation-queue/list/")
    rows = page.locator("table.table-bordered tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Epidemiolog Satu")
    expect(rows.nth(1)).to_contain_text("Epidemiolog Dua")
    journey.shot(page, "queue")
    rows.first.locator("a[href*='/show/']").first.click()
    page.wait_for_url(report_url)
    expect(page.locator("#evidence")).to_contain_text("rekap-tw.pdf")
    expect(page.locator("#report-activities")).to_contain_text("Rapat koordinasi")  # logged today
    page.check("input[name=results][value=above]")
    for radio in page.locator("input[name^=level_][value=as_expected]").all():
        radio.check()
    expect(page.locator("#suggested-behaviour")).to_have_text("Sesuai Ekspektasi")
    expect(page.locator("#predikat-preview")).to_have_text("Baik")
    page.fill("#feedback", FEEDBACK)
    page.click("#approve-report")
    expect(page.locator("#report-status")).to_have_text("Sudah Dinilai")
    expect(page.locator("#predikat")).to_have_text("Baik")

    message = wait_until(
        lambda: next((m for m in mailbox.messages if m["To"] == "epid1@uji.example"), None),
        "the feedback email",
    )
    text = message.get_body(("plain",)).get_content()
    assert text.startswith("Yth. Epidemiolog Satu,")
    assert FEEDBACK in text and "Hasil Kerja: Di Atas Ekspektasi" in text
    link = re.search(r"http://\S+/report/\d+/", text)
    assert link is not None and link.group(0) == report_url

    sign_in(page, "employee", PASSWORD)
    page.goto(link.group(0))
    expect(page.locator("#report-status")).to_have_text("Sudah Dinilai")
    expect(page.locator("#predikat")).to_have_text("Baik")
    expect(page.locator("body")).to_contain_text(FEEDBACK)
    journey.shot(page, "employee-reads-feedback")
