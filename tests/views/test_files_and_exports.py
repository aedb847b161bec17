"""Files the back office hands out: CSV exports run no formulas, downloads are named by
their detected type and say their charset once."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from kinerja.extensions import db
from kinerja.models.reports import Activity, Attachment, Evidence
from kinerja.services.reports.activities import today
from tests.factories import Org, Reporting, api_token, login, make_employee

EVIL = '=HYPERLINK("http://evil.example","x")'
TEXT = b"Laporan kegiatan harian.\n"
POLYGLOT = (
    b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"
    b"1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def _cells(rows: list[list[str]]) -> set[str]:
    return {cell for row in rows for cell in row}


def test_an_activity_exported_as_csv_carries_no_live_formula(
    client, org: Org, reporting: Reporting
) -> None:
    db.session.add(
        Activity(employee=org.employees.epid1, day=today(), description=EVIL, duration_minutes=30)
    )
    db.session.commit()
    login(client, "employee")

    cells = _cells(_rows(client.get("/activities/export/")))

    assert "'" + EVIL in cells
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells)


def test_an_employee_exported_as_csv_carries_no_live_formula(client, org: Org) -> None:
    make_employee("+cmd", org.positions.penguji, phone="+6281234567890")
    db.session.commit()
    login(client, "admin")

    cells = _cells(_rows(client.get("/employees/export/")))

    assert "'+cmd" in cells
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells)


def test_an_import_error_report_carries_no_live_formula(client, org: Org, run_jobs) -> None:
    login(client, "operator")
    uploaded = client.post(
        "/import/",
        data={
            "kind": "units",
            "mode": "check",
            "file": (
                io.BytesIO(b"kode,nama,jenis,kode_induk\n@A,A,bidang,DINKES\n@A,B,bidang,DINKES\n"),
                "u.csv",
            ),
        },
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302
    run_jobs()

    rows = _rows(client.get(uploaded.headers["Location"] + "errors.csv"))

    assert rows[1][:2] == ["3", "kode"] and rows[1][2].startswith("'@A ")
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in _cells(rows))


def _upload(client, headers, report_id: int, content: bytes, name: str) -> int:
    response = client.post(
        "/api/v1/evidence/",
        headers=headers,
        data={"report": str(report_id), "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _download(client, headers, evidence_id: int):
    response = client.get(f"/api/v1/evidence/{evidence_id}/file", headers=headers)
    assert response.status_code == 200
    return response


def test_evidence_downloads_with_the_extension_of_its_detected_type(
    client, org: Org, reporting: Reporting
) -> None:
    employee = api_token(client, "employee")
    started = client.post(
        "/api/v1/report/",
        headers=employee,
        json={"work_plan": reporting.plan.id, "sub_period": reporting.q1.id},
    )
    report_id = started.get_json()["id"]
    text_id = _upload(client, employee, report_id, TEXT, "bukti.vbs")
    polyglot_id = _upload(client, employee, report_id, POLYGLOT, "laporan.html")

    text = _download(client, employee, text_id)
    assert text.headers["Content-Disposition"] == "attachment; filename=bukti.txt"
    assert text.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert text.data == TEXT
    polyglot = _download(client, employee, polyglot_id)
    assert polyglot.headers["Content-Disposition"] == "attachment; filename=laporan.pdf"
    assert polyglot.headers["Content-Type"] == "application/pdf"
    names = {e.id: e.attachment.original_name for e in db.session.scalars(select(Evidence))}
    assert names == {text_id: "bukti.txt", polyglot_id: "laporan.pdf"}


def test_a_file_kept_under_its_uploaders_extension_downloads_with_the_detected_one(
    client, org: Org, reporting: Reporting
) -> None:
    """Files kept before names followed the detected type are renamed on the way out."""
    login(client, "employee")
    added = client.post(
        "/activities/add",
        data={
            "day": today().isoformat(),
            "description": "Rapat koordinasi",
            "duration_minutes": "60",
            "attachment_file": (io.BytesIO(TEXT), "notulen.vbs"),
        },
        content_type="multipart/form-data",
    )
    assert added.status_code == 302
    attachment = db.session.scalar(select(Attachment))
    assert attachment.original_name == "notulen.txt"
    exported = _rows(client.get("/activities/export/"))
    assert exported[1][-1] == "notulen.txt"  # the link's text, not its HTML
    attachment.original_name = "notulen.vbs"  # as an older version kept it
    db.session.commit()

    download = client.get(f"/activities/attachment/{attachment.id}")

    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == "attachment; filename=notulen.txt"
    assert download.headers["Content-Type"] == "text/plain; charset=utf-8"
