"""The reporting screens: the daily log, a report from start to evaluation, the queue, the
team today, evidence downloads, and what each role sees of them."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from sqlalchemy import select

from kinerja.domain.reporting import ReportStatus
from kinerja.extensions import db
from kinerja.models.planning import BehaviourValue
from kinerja.models.reports import Activity, Evidence, Report
from kinerja.services.reports.activities import today
from tests.factories import Org, Planning, Reporting, login, submitted_report

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


def _report(report_id: int) -> Report:
    db.session.expire_all()
    return db.session.get(Report, report_id)


def test_a_report_from_start_to_evaluation_in_the_screens(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    login(client, "employee")
    mine = client.get("/report/mine/?_l_=en").get_data(as_text=True)
    assert "Start the report" in mine and "Triwulan I" in mine
    started = client.post(
        "/report/start", data={"work_plan": reporting.plan.id, "sub_period": reporting.q1.id}
    )
    assert started.status_code == 302
    report_id = int(re.search(r"/report/(\d+)/", started.headers["Location"]).group(1))
    ids = [r.indicator_id for r in _report(report_id).realizations]

    wrong = client.post(f"/report/{report_id}/save?_l_=en", data={f"value_{ids[0]}": "-2"})
    assert wrong.status_code == 302
    page = client.get(f"/report/{report_id}/?_l_=en").get_data(as_text=True)
    assert "The realization cannot be negative." in page

    saved = client.post(
        f"/report/{report_id}/save",
        data={f"value_{ids[0]}": "4", f"value_{ids[1]}": "3,5", "note": "Sesuai jadwal."},
    )
    assert saved.status_code == 302
    assert [r.value for r in _report(report_id).realizations] == [4, 3.5]
    upload = client.post(
        f"/report/{report_id}/evidence",
        data={"file": (io.BytesIO(PDF), "rekap.pdf"), "description": "Rekap"},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302
    page = client.get(f"/report/{report_id}/?_l_=en").get_data(as_text=True)
    assert "rekap.pdf" in page and "133.33 %" in page  # 4 of 3 due by Triwulan I
    submitted = client.post(f"/report/{report_id}/save", data={"then": "submit"})
    assert submitted.status_code == 302
    assert _report(report_id).status == ReportStatus.SUBMITTED
    client.get("/logout/")

    login(client, "kasi")
    home = client.get("/?_l_=en").get_data(as_text=True)
    assert "1 performance reports wait for your evaluation." in home
    queue = client.get("/evaluation-queue/list/?_flt_0_status=submitted&_l_=en")
    assert queue.status_code == 200 and "Epidemiolog Satu" in queue.get_data(as_text=True)
    page = client.get(f"/report/{report_id}/?_l_=en").get_data(as_text=True)
    assert 'id="evaluation-form"' in page and "rekap.pdf" in page
    values = list(db.session.scalars(select(BehaviourValue)))
    form = {"results": "above", **{f"level_{v.code}": "above" for v in values}}
    preview = client.post(f"/report/{report_id}/preview", data=form).get_json()
    assert preview["suggested_behaviour"] == "above" and preview["predikat"] == "sangat_baik"
    no_feedback = client.post(f"/report/{report_id}/evaluate", data={**form, "decision": "approve"})
    assert no_feedback.status_code == 302
    assert _report(report_id).status == ReportStatus.SUBMITTED
    assert "Tuliskan umpan balik" in client.get(f"/report/{report_id}/").get_data(as_text=True)
    # The page preselects the suggested behaviour; left blank, the supervisor is asked.
    no_behaviour = client.post(
        f"/report/{report_id}/evaluate?_l_=en",
        data={**form, "decision": "approve", "feedback": "Sangat baik, pertahankan."},
    )
    assert no_behaviour.status_code == 302
    assert _report(report_id).status == ReportStatus.SUBMITTED
    saved = client.get(f"/report/{report_id}/?_l_=en").get_data(as_text=True)
    assert "Rate the behaviour overall." in saved
    assert '<option value="above" selected>' in saved  # the suggestion, preselected
    approved = client.post(
        f"/report/{report_id}/evaluate",
        data={
            **form,
            "behaviour": "above",
            "decision": "approve",
            "feedback": "Sangat baik, pertahankan.",
        },
    )
    assert approved.status_code == 302
    report = _report(report_id)
    assert report.status == ReportStatus.APPROVED
    assert report.evaluation.predikat.value == "sangat_baik"
    client.get("/logout/")

    login(client, "employee")
    page = client.get(f"/report/{report_id}/?_l_=id").get_data(as_text=True)
    assert "Sangat Baik" in page and "Sangat baik, pertahankan." in page


def test_what_each_role_sees_of_a_report(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    from kinerja.security.policies import SYSTEM
    from kinerja.services.reports import reports as service

    report = service.start_report(reporting.plan.id, reporting.q1.id, SYSTEM)
    service.save_report(report, {r.indicator_id: 3 for r in report.realizations}, SYSTEM)
    evidence_id = service.add_evidence(
        report, SYSTEM, upload=io.BytesIO(PDF), filename="bukti.pdf"
    ).id
    service.submit_report(report, SYSTEM)

    expectations = {
        # login: (report page, download, evaluation form, in the queue)
        "employee": (200, 200, False, False),
        "kasi": (200, 200, True, True),
        "supervisor": (200, 200, False, False),  # second-level reviewer: reads only
        "operator": (200, 200, False, False),
        "other": (404, 404, False, False),
        "admin": (200, 200, False, False),
    }
    for login_name, (page_code, file_code, has_form, queued) in expectations.items():
        login(client, login_name)
        page = client.get(f"/report/{report.id}/")
        assert page.status_code == page_code, login_name
        assert ('id="evaluation-form"' in page.get_data(as_text=True)) == has_form, login_name
        download = client.get(f"/report/evidence/{evidence_id}/file")
        assert download.status_code == file_code, login_name
        if file_code == 200:
            assert download.data == PDF and download.headers["X-Content-Type-Options"] == "nosniff"
        queue = client.get("/evaluation-queue/list/")
        listed = queue.status_code == 200 and "Epidemiolog Satu" in queue.get_data(as_text=True)
        assert listed == queued, login_name
        reports = client.get("/reports/list/")
        if login_name == "other":
            assert "Epidemiolog Satu" not in reports.get_data(as_text=True)
        client.get("/logout/")
    assert db.session.get(Evidence, evidence_id) is not None


def test_returned_reports_come_back_with_the_reason(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    report = submitted_report(reporting)
    login(client, "kasi")
    assert client.post(f"/report/{report.id}/return", data={"reason": ""}).status_code == 302
    assert _report(report.id).status == ReportStatus.SUBMITTED
    client.post(f"/report/{report.id}/return", data={"reason": "Tambahkan bukti kegiatan."})
    assert _report(report.id).status == ReportStatus.RETURNED
    client.get("/logout/")
    login(client, "employee")
    page = client.get(f"/report/{report.id}/").get_data(as_text=True)
    assert "Tambahkan bukti kegiatan." in page and 'id="submit-report"' in page
    client.post(f"/report/{report.id}/notes", data={"text": "Sudah saya lengkapi."})
    client.post(f"/report/{report.id}/submit")
    report = _report(report.id)
    assert report.status == ReportStatus.SUBMITTED
    assert [n.text for n in report.notes] == ["Tambahkan bukti kegiatan.", "Sudah saya lengkapi."]


def test_the_daily_log_and_the_team_today(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    login(client, "employee")
    listing = client.get("/activities/list/?_l_=en").get_data(as_text=True)
    assert 'id="quick-activity"' in listing
    quick = client.post(
        "/activities/add",
        data={
            "day": today().isoformat(),
            "description": "Verifikasi data kasus DBD",
            "duration_minutes": "45",
        },
    )
    assert quick.status_code == 302, quick.get_data(as_text=True)[:300]
    future = client.post(
        "/activities/add?_l_=en",
        data={
            "day": (today() + timedelta(days=2)).isoformat(),
            "description": "Besok",
            "duration_minutes": "30",
        },
    )
    assert future.status_code == 200
    assert "An activity cannot be logged for a future day." in future.get_data(as_text=True)
    with_file = client.post(
        "/activities/add",
        data={
            "day": today().isoformat(),
            "description": "Rapat koordinasi",
            "duration_minutes": "60",
            "indicator": reporting.plan.objectives[0].indicators[0].id,
            "attachment_file": (io.BytesIO(PDF), "notulen.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert with_file.status_code == 302
    rows = list(db.session.scalars(select(Activity).order_by(Activity.id)))
    assert [a.description for a in rows] == ["Verifikasi data kasus DBD", "Rapat koordinasi"]
    assert rows[1].attachment.original_name == "notulen.pdf"
    file_url = f"/activities/attachment/{rows[1].attachment_id}"
    assert file_url in client.get("/activities/list/").get_data(as_text=True)
    assert client.get(file_url).data == PDF
    client.get("/logout/")

    login(client, "kasi")
    team = client.get("/team/today/").get_data(as_text=True)
    assert "Verifikasi data kasus DBD" in team and "Rapat koordinasi" in team
    assert client.get("/team/today/feed").get_json()["count"] == 2
    assert client.get(f"/activities/edit/{rows[0].id}").status_code == 404  # not theirs
    assert client.get(file_url).status_code == 200  # the supervisor reads it
    client.get("/logout/")
    login(client, "other")
    assert "Verifikasi" not in client.get("/team/today/").get_data(as_text=True)
    assert "Verifikasi" not in client.get("/activities/list/").get_data(as_text=True)
    assert client.get(file_url).status_code == 404


def test_a_tiny_target_still_shows_its_achievement(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    """0.01 a year pro-rated to Triwulan I would round to 0: the page shows 0.01 due."""
    from decimal import Decimal

    from kinerja.services.plans.history import snapshot

    indicator = reporting.plan.objectives[0].indicators[0]
    indicator.target = Decimal("0.01")
    reporting.plan.versions[0].snapshot = snapshot(reporting.plan)
    db.session.commit()
    report = submitted_report(reporting, values=(0, 3))
    login(client, "employee")
    page = client.get(f"/report/{report.id}/?_l_=en")
    assert page.status_code == 200
    row = re.search(
        rf'<tr class="indicator-{indicator.id}">(.*?)</tr>', page.get_data(as_text=True), re.S
    )
    assert row is not None and "0.01" in row.group(1) and "0 %" in row.group(1)


def test_the_queue_leaves_out_reports_of_a_closed_period(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    from kinerja.domain.planning import PeriodStatus
    from kinerja.security.policies.scope import scope_for_user
    from kinerja.services.reports.queries import queue_count

    submitted_report(reporting)
    kasi = planning.kasi
    assert queue_count(scope_for_user(kasi)) == 1
    planning.period.status = PeriodStatus.CLOSED
    db.session.commit()
    assert queue_count(scope_for_user(kasi)) == 0
    login(client, "kasi")
    queue = client.get("/evaluation-queue/list/").get_data(as_text=True)
    assert "Epidemiolog Satu" not in queue
    assert "Epidemiolog Satu" in client.get("/reports/list/").get_data(as_text=True)
