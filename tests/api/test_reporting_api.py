"""Reporting over REST: reports, realizations, evidence, the evaluation and the dialogue,
with their access rules, invalid transitions and concurrent decisions."""

from __future__ import annotations

import io
import threading
from decimal import Decimal
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from kinerja.domain.reporting import ReportStatus
from kinerja.extensions import db
from kinerja.models.reports import Attachment, DialogueNote, Evaluation, Evidence, Report
from tests.factories import (
    Org,
    Planning,
    Reporting,
    api_token,
    make_employee,
    make_user,
    submitted_report,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ALL_VALUES = {
    code: "as_expected"
    for code in (
        "service",
        "accountable",
        "competent",
        "harmonious",
        "loyal",
        "adaptive",
        "collaborative",
    )
}


def _count(model: type) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _start(client, headers, reporting: Reporting) -> int:
    response = client.post(
        "/api/v1/report/",
        headers=headers,
        json={"work_plan": reporting.plan.id, "sub_period": reporting.q1.id},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _fill(client, headers, report_id: int, value: object = 3) -> None:
    query = f"(filters:!((col:report,opr:rel_o_m,value:{report_id})))"
    lines = client.get(f"/api/v1/realization/?q={query}", headers=headers).get_json()["result"]
    assert lines
    for line in lines:
        response = client.put(
            f"/api/v1/realization/{line['id']}", headers=headers, json={"value": value}
        )
        assert response.status_code == 200, response.get_json()


def test_employee_reports_and_the_supervisor_evaluates(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    employee = api_token(client, "employee")
    report_id = _start(client, employee, reporting)
    _fill(client, employee, report_id, 3)
    link = client.post(
        "/api/v1/evidence/",
        headers=employee,
        json={"report": report_id, "url": "https://drive.example/laporan-q1"},
    )
    assert link.status_code == 201, link.get_json()
    submitted = client.post(f"/api/v1/report/{report_id}/submit", headers=employee)
    assert submitted.get_json()["result"]["status"] == "submitted"

    kasi = api_token(client, "kasi")
    incomplete = client.post(
        f"/api/v1/report/{report_id}/approve", headers=kasi, json={"results": "above"}
    )
    assert incomplete.status_code == 422
    # the supervisor decides the behaviour overall too: it is never taken silently
    assert {"values", "behaviour", "feedback"} <= set(incomplete.get_json()["fields"])
    approved = client.post(
        f"/api/v1/report/{report_id}/approve",
        headers=kasi,
        json={
            "results": "above",
            "values": ALL_VALUES,
            "behaviour": "as_expected",
            "feedback": "Pertahankan.",
        },
    )
    assert approved.status_code == 200, approved.get_json()
    assert approved.get_json()["result"] == {
        "id": report_id,
        "status": "approved",
        "predikat": "baik",  # above × as_expected
    }
    evaluation = client.get(
        f"/api/v1/evaluation/?q=(filters:!((col:report,opr:rel_o_m,value:{report_id})))",
        headers=employee,
    ).get_json()["result"][0]
    # 3 of 3 due by Triwulan I is 100 %: as expected is suggested; the supervisor's "above"
    # is kept beside it.
    assert evaluation["suggested_results"] == "as_expected"
    assert evaluation["results"] == "above"
    assert evaluation["feedback"] == "Pertahankan."


def test_invalid_transitions_answer_409(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    employee = api_token(client, "employee")
    kasi = api_token(client, "kasi")
    report_id = _start(client, employee, reporting)
    draft_approval = client.post(
        f"/api/v1/report/{report_id}/approve",
        headers=kasi,
        json={
            "results": "above",
            "values": ALL_VALUES,
            "behaviour": "as_expected",
            "feedback": "x",
        },
    )
    assert draft_approval.status_code == 409
    empty = client.post(f"/api/v1/report/{report_id}/submit", headers=employee)
    assert empty.status_code == 422 and "realizations" in empty.get_json()["fields"]
    _fill(client, employee, report_id)
    assert client.post(f"/api/v1/report/{report_id}/submit", headers=employee).status_code == 200
    again = client.post(f"/api/v1/report/{report_id}/submit", headers=employee)
    assert again.status_code == 409
    line = client.get(
        f"/api/v1/realization/?q=(filters:!((col:report,opr:rel_o_m,value:{report_id})))",
        headers=employee,
    ).get_json()["result"][0]
    locked = client.put(f"/api/v1/realization/{line['id']}", headers=employee, json={"value": 9})
    assert locked.status_code == 409
    no_reason = client.post(f"/api/v1/report/{report_id}/return", headers=kasi, json={})
    assert no_reason.status_code == 422 and "reason" in no_reason.get_json()["fields"]
    returned = client.post(
        f"/api/v1/report/{report_id}/return", headers=kasi, json={"reason": "Lampirkan bukti."}
    )
    assert returned.get_json()["result"]["status"] == "returned"
    assert (
        client.put(
            f"/api/v1/realization/{line['id']}", headers=employee, json={"value": 4}
        ).status_code
        == 200
    )
    assert client.post(f"/api/v1/report/{report_id}/submit", headers=employee).status_code == 200
    assert _count(Evaluation) == 1


def test_bad_input_names_the_field(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    employee = api_token(client, "employee")
    report_id = _start(client, employee, reporting)
    twice = client.post(
        "/api/v1/report/",
        headers=employee,
        json={"work_plan": reporting.plan.id, "sub_period": reporting.q1.id},
    )
    assert twice.status_code == 422 and "sub_period" in twice.get_json()["fields"]
    foreign = client.post(
        "/api/v1/report/",
        headers=employee,
        json={"work_plan": reporting.plan2.id, "sub_period": reporting.q1.id},
    )
    assert foreign.status_code == 422 and "work_plan" in foreign.get_json()["fields"]
    line = client.get(
        f"/api/v1/realization/?q=(filters:!((col:report,opr:rel_o_m,value:{report_id})))",
        headers=employee,
    ).get_json()["result"][0]
    for bad in (-1, "dua", {"x": 1}, True):
        response = client.put(
            f"/api/v1/realization/{line['id']}", headers=employee, json={"value": bad}
        )
        assert response.status_code == 422, bad
        assert "value" in response.get_json()["fields"]
    bad_link = client.post(
        "/api/v1/evidence/",
        headers=employee,
        json={"report": report_id, "url": "javascript:alert(1)"},
    )
    assert bad_link.status_code == 422 and "url" in bad_link.get_json()["fields"]
    bad_values = client.post(
        f"/api/v1/report/{report_id}/approve",
        headers=api_token(client, "kasi"),
        json={"results": "excellent", "values": []},
    )
    assert bad_values.status_code in (409, 422)


def test_double_submission_makes_one_evaluation(
    app: Flask, client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    employee = api_token(client, "employee")
    report_id = _start(client, employee, reporting)
    _fill(client, employee, report_id)
    statuses: list[int] = []
    barrier = threading.Barrier(3)

    def submit() -> None:
        own = app.test_client()  # no preserved context across threads
        barrier.wait()
        statuses.append(
            own.post(f"/api/v1/report/{report_id}/submit", headers=employee).status_code
        )

    threads = [threading.Thread(target=submit) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [200, 409, 409]
    assert _count(Evaluation) == 1


def test_two_supervisors_cannot_both_decide(
    app: Flask, client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    from kinerja.security import roles

    second = make_employee("Kasi Kedua", org.positions.kasi_surv)
    make_user("kasi2", roles.SUPERVISOR, roles.EMPLOYEE, employee=second)
    db.session.commit()
    report_id = submitted_report(reporting).id
    tokens = [api_token(client, "kasi"), api_token(client, "kasi2")]
    statuses: list[int] = []
    barrier = threading.Barrier(2)

    def decide(headers: dict[str, str], approve: bool) -> None:
        own = app.test_client()  # no preserved context across threads
        barrier.wait()
        if approve:
            body = {
                "results": "as_expected",
                "values": ALL_VALUES,
                "behaviour": "as_expected",
                "feedback": "Baik.",
            }
            response = own.post(f"/api/v1/report/{report_id}/approve", headers=headers, json=body)
        else:
            response = own.post(
                f"/api/v1/report/{report_id}/return", headers=headers, json={"reason": "Ulang"}
            )
        statuses.append(response.status_code)

    threads = [
        threading.Thread(target=decide, args=(tokens[0], True)),
        threading.Thread(target=decide, args=(tokens[1], False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [200, 409]
    db.session.expire_all()
    assert db.session.get(Report, report_id).status in (
        ReportStatus.APPROVED,
        ReportStatus.RETURNED,
    )


def test_only_the_direct_supervisor_decides_and_others_see_nothing(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    report = submitted_report(reporting)
    body = {"results": "above", "values": ALL_VALUES, "behaviour": "as_expected", "feedback": "x"}
    second_level = api_token(client, "supervisor")  # Kabid: reads, does not decide
    assert client.get(f"/api/v1/report/{report.id}", headers=second_level).status_code == 200
    assert (
        client.post(
            f"/api/v1/report/{report.id}/approve", headers=second_level, json=body
        ).status_code
        == 403
    )
    other = api_token(client, "other")  # another OPD
    assert client.get(f"/api/v1/report/{report.id}", headers=other).status_code == 404
    assert client.get("/api/v1/report/", headers=other).get_json()["count"] == 0
    assert client.get("/api/v1/realization/", headers=other).get_json()["count"] == 0
    info = client.get("/api/v1/evidence/_info", headers=other).get_json()
    assert info["add_columns"]
    for column in info["add_columns"]:
        assert column.get("values", []) == [], column  # no report or indicator of others
    note = client.post(
        "/api/v1/dialogue_note/", headers=other, json={"report": report.id, "text": "hai"}
    )
    assert note.status_code == 422
    integrator = api_token(client, "integrator")
    assert client.get(f"/api/v1/report/{report.id}", headers=integrator).status_code == 200
    assert (
        client.post(
            f"/api/v1/report/{report.id}/approve", headers=integrator, json=body
        ).status_code
        == 403
    )


def test_the_employee_sees_the_evaluation_only_once_decided(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    report = submitted_report(reporting)
    kasi = api_token(client, "kasi")
    employee = api_token(client, "employee")
    assert client.get("/api/v1/evaluation/", headers=kasi).get_json()["count"] == 1
    assert client.get("/api/v1/evaluation/", headers=employee).get_json()["count"] == 0
    client.post(
        f"/api/v1/report/{report.id}/approve",
        headers=kasi,
        json={
            "results": "below",
            "values": ALL_VALUES,
            "behaviour": "as_expected",
            "feedback": "Tingkatkan.",
        },
    )
    rows = client.get("/api/v1/evaluation/", headers=employee).get_json()["result"]
    assert [r["predikat"] for r in rows] == ["butuh_perbaikan"]


def test_dialogue_between_employee_and_supervisor(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    report = submitted_report(reporting)
    for login, text in (("employee", "Mohon arahan."), ("kasi", "Fokus pada ketepatan waktu.")):
        response = client.post(
            "/api/v1/dialogue_note/",
            headers=api_token(client, login),
            json={"report": report.id, "text": text},
        )
        assert response.status_code == 201, response.get_json()
    reviewer = client.post(
        "/api/v1/dialogue_note/",
        headers=api_token(client, "supervisor"),
        json={"report": report.id, "text": "ikut"},
    )
    assert reviewer.status_code == 403  # the second-level reviewer reads the thread only
    empty = client.post(
        "/api/v1/dialogue_note/",
        headers=api_token(client, "employee"),
        json={"report": report.id, "text": "  "},
    )
    assert empty.status_code == 422 and "text" in empty.get_json()["fields"]
    texts = [n.text for n in db.session.scalars(select(DialogueNote).order_by(DialogueNote.id))]
    assert texts == ["Mohon arahan.", "Fokus pada ketepatan waktu."]


def _upload(client, headers, report_id: int, content: bytes, name: str):
    return client.post(
        "/api/v1/evidence/",
        headers=headers,
        data={"report": str(report_id), "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_evidence_files_are_checked_by_content_and_downloaded_by_readers_only(
    app: Flask, client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    employee = api_token(client, "employee")
    report_id = _start(client, employee, reporting)
    storage = Path(app.config["KINERJA_STORAGE_DIR"])
    before = {p for p in storage.rglob("*") if p.is_file()}  # other tests' files
    disguised = _upload(client, employee, report_id, b"MZ\x90\x00" + b"\x00" * 200, "laporan.pdf")
    assert disguised.status_code == 422 and "file" in disguised.get_json()["fields"]
    app.config["KINERJA_MAX_UPLOAD_MB"] = 1
    try:
        big = _upload(client, employee, report_id, b"%PDF-1.4\n" + b"0" * (2**20), "besar.pdf")
    finally:
        app.config["KINERJA_MAX_UPLOAD_MB"] = 10
    assert big.status_code == 422
    assert _count(Evidence) == 0 and _count(Attachment) == 0
    assert {p for p in storage.rglob("*") if p.is_file()} == before  # nothing half-kept

    first = _upload(client, employee, report_id, PDF, "../../bukti q1.pdf")
    second = _upload(client, employee, report_id, PDF, "bukti q1.pdf")
    assert first.status_code == 201, first.get_json()
    first_id, second_id = first.get_json()["id"], second.get_json()["id"]
    evidence = db.session.get(Evidence, first_id)
    assert evidence.attachment.content_type == "application/pdf"
    assert "bukti" not in evidence.attachment.key and ".." not in evidence.attachment.original_name

    for login in ("employee", "kasi", "supervisor", "integrator"):
        download = client.get(f"/api/v1/evidence/{first_id}/file", headers=api_token(client, login))
        assert download.status_code == 200, login
        assert download.data == PDF
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        assert download.headers["Content-Disposition"].startswith("attachment")
    for login in ("other",):
        assert (
            client.get(
                f"/api/v1/evidence/{first_id}/file", headers=api_token(client, login)
            ).status_code
            == 404
        )

    second_key = db.session.get(Evidence, second_id).attachment.key
    assert client.delete(f"/api/v1/evidence/{first_id}", headers=employee).status_code == 200
    files = {p for p in storage.rglob("*") if p.is_file()} - before
    assert [p.name for p in files] == [Path(second_key).name]  # the other file stays
    assert client.get(f"/api/v1/evidence/{second_id}/file", headers=employee).data == PDF


def test_activities_are_personal_and_lock_after_the_window(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    from datetime import timedelta

    from kinerja.services.reports.activities import today

    employee = api_token(client, "employee")
    indicator = reporting.plan.objectives[0].indicators[0].id
    created = client.post(
        "/api/v1/activity/",
        headers=employee,
        json={
            "day": today().isoformat(),
            "description": "Rekap surveilans",
            "duration_minutes": 90,
            "indicator": indicator,
        },
    )
    assert created.status_code == 201, created.get_json()
    for body, field in (
        ({"day": (today() + timedelta(days=1)).isoformat()}, "day"),
        ({"day": (today() - timedelta(days=30)).isoformat()}, "day"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"indicator": reporting.plan2.objectives[0].indicators[0].id}, "indicator"),
    ):
        payload = {
            "day": today().isoformat(),
            "description": "x",
            "duration_minutes": 30,
            **body,
        }
        response = client.post("/api/v1/activity/", headers=employee, json=payload)
        assert response.status_code == 422, (body, response.get_json())
        assert field in response.get_json()["fields"], response.get_json()
    activity_id = created.get_json()["id"]
    assert (
        client.get(f"/api/v1/activity/{activity_id}", headers=api_token(client, "kasi")).status_code
        == 200
    )
    assert (
        client.get(
            f"/api/v1/activity/{activity_id}", headers=api_token(client, "other")
        ).status_code
        == 404
    )
    assert (
        client.put(
            f"/api/v1/activity/{activity_id}",
            headers=api_token(client, "kasi"),
            json={"description": "x"},
        ).status_code
        == 404
    )
    from kinerja.models.reports import Activity

    row = db.session.get(Activity, activity_id)
    row.day = today() - timedelta(days=30)
    db.session.commit()
    locked = client.put(
        f"/api/v1/activity/{activity_id}", headers=employee, json={"description": "ubah"}
    )
    assert locked.status_code in (409, 422)
    assert client.delete(f"/api/v1/activity/{activity_id}", headers=employee).status_code == 409
    db.session.expire_all()
    assert db.session.get(Activity, activity_id).description == "Rekap surveilans"


def test_achievement_follows_the_rules_api(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    from kinerja.services.reports.achievement import progress

    report = submitted_report(reporting, values=(6, 2))
    lines = progress(report)
    # 12 a year, Triwulan I of IV: 3 due. 6 → 200 %, 2 → 66.67 %.
    assert [line.target_to_date for line in lines] == [Decimal("3.00"), Decimal("3.00")]
    assert [line.achievement for line in lines] == [200.0, 66.67]
    assert [line.level.value for line in lines] == ["above", "below"]
    # half above and a main objective below: neither more-than-half rule holds
    assert report.evaluation.suggested_results.value == "as_expected"


def test_a_body_over_the_request_limit_is_refused_with_the_field_named(
    app: Flask, client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    employee = api_token(client, "employee")
    report_id = _start(client, employee, reporting)
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 4096
    try:
        response = _upload(client, employee, report_id, b"%PDF-1.4\n" + b"0" * 8192, "besar.pdf")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert response.status_code == 413
    assert "file" in response.get_json()["fields"]
    assert _count(Evidence) == 0


def test_a_report_put_without_the_note_keeps_it(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    employee = api_token(client, "employee")
    report_id = _start(client, employee, reporting)
    put = client.put(f"/api/v1/report/{report_id}", headers=employee, json={"note": "Catatan"})
    assert put.status_code == 200, put.get_json()
    assert client.put(f"/api/v1/report/{report_id}", headers=employee, json={}).status_code == 200
    db.session.expire_all()
    assert db.session.get(Report, report_id).note == "Catatan"
    client.put(f"/api/v1/report/{report_id}", headers=employee, json={"note": None})
    db.session.expire_all()
    assert db.session.get(Report, report_id).note is None


def test_body_errors_name_the_field_in_the_readers_language(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    """A field the endpoint does not know is refused (never silently ignored), and the
    message speaks Indonesian by default like the rest of the API."""
    employee = api_token(client, "employee")
    report_id = _start(client, employee, reporting)
    unknown = client.put(f"/api/v1/report/{report_id}", headers=employee, json={"catatan": "x"})
    assert unknown.status_code == 422
    assert unknown.get_json()["fields"] == {"catatan": ["Kolom tidak dikenal."]}
    wrong = client.put(f"/api/v1/report/{report_id}", headers=employee, json={"note": 5})
    assert wrong.get_json()["fields"] == {"note": ["Bukan teks yang valid."]}
