"""Import screens: templates, upload, a background run with its report, privacy of reports."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from kinerja.extensions import db
from kinerja.models.competency import Assessment
from kinerja.models.org import Unit
from kinerja.services.boundary import transaction
from kinerja.services.reference import seed_competencies
from tests.factories import Org, login


def _upload(client, text: str, mode: str = "all", kind: str = "units", name: str = "u.csv"):
    return client.post(
        "/import/?_l_=en",
        data={
            "kind": kind,
            "mode": mode,
            "file": (io.BytesIO(text.encode()), name),
        },
        content_type="multipart/form-data",
    )


def test_xlsx_template_has_text_nip_column_and_instructions(client, org: Org) -> None:
    login(client, "operator")
    response = client.get("/import/template/employees.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    data = workbook["Data"]
    assert [c.value for c in data[1]][:3] == ["nip", "nama", "kode_unit"]
    assert data["A2"].number_format == "@"
    assert len(workbook.sheetnames) == 2
    assert data.freeze_panes == "A2" and data.auto_filter.ref.startswith("A1:")
    assert data.column_dimensions["A"].width >= 18  # the NIP column


def test_upload_with_errors_reports_rows_and_imports_nothing(client, org: Org, run_jobs) -> None:
    login(client, "operator")
    response = _upload(
        client,
        "kode,nama,jenis,kode_induk\nDINKES.A,Bidang A,bidang,DINKES\nDINKES.B,,bidang,DINKES\n",
    )
    assert response.status_code == 302
    run_url = response.headers["Location"]
    waiting = client.get(run_url).get_data(as_text=True)
    assert 'http-equiv="refresh"' in waiting
    run_jobs()
    page = client.get(run_url + "?_l_=en").get_data(as_text=True)
    assert "Nothing was imported: 1 of 2 rows have errors" in page
    assert "<td>3</td><td><code>nama</code></td>" in page
    assert db.session.scalar(select(Unit).where(Unit.code == "DINKES.A")) is None
    errors = client.get(run_url + "errors.csv").get_data(as_text=True)
    assert "3,nama," in errors


def test_upload_of_valid_rows_only(client, org: Org, run_jobs) -> None:
    login(client, "operator")
    response = _upload(
        client,
        "kode,nama,jenis,kode_induk\nDINKES.A,Bidang A,bidang,DINKES\nDINKES.B,,bidang,DINKES\n",
        mode="valid",
    )
    run_jobs()
    page = client.get(response.headers["Location"] + "?_l_=en").get_data(as_text=True)
    assert "Imported: 1 created, 0 updated." in page
    assert db.session.scalar(select(Unit).where(Unit.code == "DINKES.A")) is not None


def test_wrong_file_type_is_a_form_error(client, org: Org) -> None:
    login(client, "operator")
    response = _upload(client, "hello", name="data.pdf")
    assert response.status_code == 200
    assert "Only .csv and .xlsx files can be imported." in response.get_data(as_text=True)


def test_import_reports_are_private(client, org: Org, run_jobs) -> None:
    login(client, "operator")
    run_url = _upload(client, "kode,nama,jenis,kode_induk\nDINKES.A,A,bidang,DINKES\n").headers[
        "Location"
    ]
    run_jobs()
    login(client, "admin")
    assert client.get(run_url).status_code == 200
    login(client, "supervisor")
    assert client.get(run_url).status_code == 403  # no import rights at all
    from tests.factories import make_user

    make_user("operator2", "Operator", operator_unit=org.units.dishub)
    db.session.commit()
    login(client, "operator2")
    assert client.get(run_url).status_code == 404


def test_the_import_page_lists_my_imports_by_file_in_my_language(
    client, org: Org, run_jobs
) -> None:
    login(client, "operator")
    _upload(client, "kode,nama,jenis,kode_induk\nDINKES.A,A,bidang,DINKES\n", name="bidang.csv")
    run_jobs()
    english = client.get("/import/?_l_=en").get_data(as_text=True)
    assert "<td>bidang.csv</td>" in english
    assert "Units: 1 rows, 1 created, 0 updated, 0 with errors." in english
    indonesian = client.get("/import/?_l_=id").get_data(as_text=True)
    assert "Unit kerja: 1 baris, 1 dibuat, 0 diperbarui, 0 bermasalah." in indonesian
    assert "<td>Berhasil</td>" in indonesian


def test_a_disguised_or_too_large_file_is_a_form_error(app, client, org: Org) -> None:
    login(client, "operator")
    disguised = _upload(client, "%PDF-1.4 not a workbook", name="data.xlsx")
    assert disguised.status_code == 200
    assert "Files of this type are not accepted" in disguised.get_data(as_text=True)
    limit = app.config["KINERJA_IMPORT_MAX_BYTES"]
    app.config["KINERJA_IMPORT_MAX_BYTES"] = 1024 * 1024
    try:
        large = _upload(client, "kode,nama\n" + "X,Y\n" * 300_000)
    finally:
        app.config["KINERJA_IMPORT_MAX_BYTES"] = limit
    assert large.status_code == 200
    assert "The file is larger than 1 MB." in large.get_data(as_text=True)


def test_assessments_are_imported_from_the_development_menu(client, org: Org, run_jobs) -> None:
    with transaction():
        seed_competencies()
    login(client, "operator")
    page = client.get("/development/import/?_l_=en").get_data(as_text=True)
    assert "Import competency assessments" in page
    assert 'value="assessments"' in page and 'value="units"' not in page
    nip = org.employees.epid1.nip
    response = client.post(
        "/development/import/?_l_=en",
        data={
            "kind": "assessments",
            "mode": "all",
            "file": (
                io.BytesIO(
                    "nip,kode_kompetensi,level,tanggal_penilaian,sumber\n"
                    f"{nip},M.01,3,2026-01-15,supervisor\n"
                    f"{nip},M.02,9,2026-01-15,supervisor\n".encode()
                ),
                "penilaian.csv",
            ),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    run_jobs()
    report = client.get(response.headers["Location"] + "?_l_=en").get_data(as_text=True)
    assert "<td>3</td><td><code>level</code></td>" in report
    assert db.session.scalar(select(Assessment.id)) is None
    # the organisation screen does not take assessments, and an employee has no import
    assert _upload(client, "nip\n", kind="assessments").status_code == 200
    login(client, "employee")
    assert client.get("/development/import/").status_code in (302, 403)
