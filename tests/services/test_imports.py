"""Importing organisation files: checks per row and column, all-or-nothing, updates by key."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from kinerja.domain.errors import AccessDenied, FieldErrors
from kinerja.extensions import db
from kinerja.models.jobs import JobRun, JobStatus, Message, Upload
from kinerja.models.org import Employee, Position, Unit
from kinerja.security.policies import SYSTEM, scope_for_user
from kinerja.services.imports import (
    ImportKind,
    ImportMode,
    import_file,
    import_upload,
    request_import,
    upload_store,
)
from tests.factories import Org, make_nip


def _csv(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _errors(report) -> set[tuple[int, str]]:
    return {(e.row, e.column) for e in report.errors}


def test_units_with_errors_import_nothing_and_name_row_and_column(tmp_path: Path, org: Org) -> None:
    before = _count(Unit)
    path = _csv(
        tmp_path,
        "kode,nama,jenis,kode_induk\n"
        "DINKES.GIZI,Bidang Gizi,bidang,DINKES\n"
        "DINKES.GIZI.S1,Seksi Gizi,seksi,DINKES.GIZI\n"
        "X1,,planet,TIDAKADA\n",
    )
    report = import_file(path, "data.csv", ImportKind.UNITS, ImportMode.ALL_OR_NOTHING, SYSTEM)
    assert not report.applied
    assert _errors(report) == {(4, "nama"), (4, "jenis"), (4, "kode_induk")}
    assert _count(Unit) == before


def test_only_valid_rows_imports_them_and_skips_dependents(tmp_path: Path, org: Org) -> None:
    path = _csv(
        tmp_path,
        "kode,nama,jenis,kode_induk\n"
        "A,Bidang A,bidang,DINKES\n"
        "B,Bidang B,planet,DINKES\n"
        "B.1,Seksi di bawah B,seksi,B\n"
        "A.1,Seksi di bawah A,seksi,A\n",
    )
    report = import_file(path, "data.csv", ImportKind.UNITS, ImportMode.VALID_ROWS, SYSTEM)
    assert report.applied
    assert (report.created, report.updated, report.skipped) == (2, 0, 2)
    assert _errors(report) == {(3, "jenis"), (4, "kode_induk")}
    child = db.session.scalar(select(Unit).where(Unit.code == "A.1"))
    assert child.parent.code == "A"
    assert db.session.scalar(select(Unit).where(Unit.code == "B.1")) is None


def test_reimport_updates_by_code_instead_of_duplicating(tmp_path: Path, org: Org) -> None:
    text = (
        "code,name,kind,parent_code\n"
        "DINKES.P2P,Bidang P2P Baru,bidang,DINKES\n"
        "NEW,Baru,seksi,DINKES.P2P\n"
    )
    first = import_file(
        _csv(tmp_path, text), "data.csv", ImportKind.UNITS, ImportMode.ALL_OR_NOTHING, SYSTEM
    )
    assert (first.created, first.updated) == (1, 1)
    second = import_file(
        _csv(tmp_path, text), "data.csv", ImportKind.UNITS, ImportMode.ALL_OR_NOTHING, SYSTEM
    )
    assert (second.created, second.updated) == (0, 2)
    assert _count(Unit) == 8
    db.session.expire_all()
    assert db.session.get(Unit, org.units.p2p.id).name == "Bidang P2P Baru"


def test_a_unit_cycle_in_the_file_is_refused(tmp_path: Path, org: Org) -> None:
    path = _csv(
        tmp_path, "kode,nama,jenis,kode_induk\nDINKES,Dinas Kesehatan,opd,DINKES.P2P.SURV\n"
    )
    report = import_file(path, "data.csv", ImportKind.UNITS, ImportMode.ALL_OR_NOTHING, SYSTEM)
    assert _errors(report) == {(2, "kode_induk")}
    assert "below itself" in str(report.errors[0].error)


def test_operator_import_is_limited_to_their_units(tmp_path: Path, org: Org) -> None:
    scope = scope_for_user(org.users.operator)
    path = _csv(
        tmp_path,
        "kode,nama,jenis,kode_induk\n"
        "DISHUB.X,Bidang X,bidang,DISHUB\n"
        "DINKES,Dinas Kesehatan Baru,opd,PEMKOT\n"
        "DINKES.OK,Bidang OK,bidang,DINKES\n",
    )
    report = import_file(path, "data.csv", ImportKind.UNITS, ImportMode.VALID_ROWS, scope)
    assert _errors(report) == {(2, "kode_induk"), (3, "kode"), (3, "kode_induk")}
    assert report.created == 1


def test_positions_with_supervisors_in_the_same_file(tmp_path: Path, org: Org) -> None:
    path = _csv(
        tmp_path,
        "kode;nama;jenis;kode_unit;kode_atasan;kelas;kepala_unit\n"
        "KASI.BARU;Kepala Seksi Baru;pengawas;DINKES.YANKES;KABID.YANKES;9;\n"
        "STAF.BARU;Staf Baru;pelaksana;DINKES.YANKES;KASI.BARU;6;tidak\n"
        "KEPALA.DUA;Kepala Kedua;pengawas;DINKES.P2P;KADINKES;tinggi;ya\n",
    )
    report = import_file(path, "data.csv", ImportKind.POSITIONS, ImportMode.VALID_ROWS, SYSTEM)
    assert _errors(report) == {(4, "kelas"), (4, "kepala_unit")}
    staff = db.session.scalar(select(Position).where(Position.code == "STAF.BARU"))
    assert staff.supervisor.code == "KASI.BARU"
    assert staff.supervisor.supervisor.code == "KABID.YANKES"


def test_supervision_cycle_in_the_file_is_refused(tmp_path: Path, org: Org) -> None:
    path = _csv(
        tmp_path,
        "kode,nama,jenis,kode_unit,kode_atasan\n"
        "P1,Satu,pelaksana,DINKES,P2\nP2,Dua,pelaksana,DINKES,P1\n",
    )
    report = import_file(path, "data.csv", ImportKind.POSITIONS, ImportMode.VALID_ROWS, SYSTEM)
    assert _errors(report) == {(2, "kode_atasan"), (3, "kode_atasan")}
    assert not report.applied


def test_employees_from_xlsx_with_row_and_column_errors(tmp_path: Path, org: Org) -> None:
    good, printed = make_nip(), make_nip(sex=2)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["nip", "nama", "kode_unit", "kode_jabatan", "jenis_pegawai", "golongan", "email"])
    sheet.append(
        [good, "Baru Satu, S.E.", "DINKES.P2P.SURV", "EPID", "pns", "III/b", "baru@uji.example"]
    )
    sheet.append(
        [
            f"{printed[:8]} {printed[8:14]} {printed[14]} {printed[15:]}",
            "Baru Dua",
            "DINKES.YANKES",
            "PERAWAT",
            "pppk",
            "IX",
            "",
        ]
    )
    sheet.append([196811151992021002, "Angka", "DINKES", "", "", "", ""])
    sheet.append(["19681315 199202 1 002", "Tanggal Salah", "DINKES", "", "", "", ""])
    sheet.append([make_nip(), "Jabatan Salah", "DINKES.YANKES", "EPID", "pns", "IX", "bukan"])
    sheet.append([good, "Kembar", "DINKES", "", "", "", ""])
    path = tmp_path / "pegawai.xlsx"
    workbook.save(path)
    before = _count(Employee)
    report = import_file(path, "pegawai.xlsx", ImportKind.EMPLOYEES, ImportMode.VALID_ROWS, SYSTEM)
    assert _errors(report) == {
        (4, "nip"),
        (5, "nip"),
        (6, "kode_jabatan"),
        (6, "golongan"),
        (6, "email"),
        (7, "nip"),
    }
    assert (report.created, report.updated) == (2, 0)
    assert _count(Employee) == before + 2
    second = db.session.scalar(select(Employee).where(Employee.nip == printed))
    assert second.rank.code == "IX" and second.position.code == "PERAWAT"


def test_reimporting_employees_updates_by_nip(tmp_path: Path, org: Org) -> None:
    nip = org.employees.perawat.nip
    path = _csv(tmp_path, f"nip,nama,kode_unit,kode_jabatan\n{nip},Perawat Pindah,DINKES.YANKES,\n")
    report = import_file(path, "data.csv", ImportKind.EMPLOYEES, ImportMode.ALL_OR_NOTHING, SYSTEM)
    assert (report.created, report.updated) == (0, 1)
    db.session.expire_all()
    moved = db.session.get(Employee, org.employees.perawat.id)
    assert moved.name == "Perawat Pindah" and moved.position_id is None


def test_missing_required_columns_are_a_file_error(tmp_path: Path, org: Org) -> None:
    report = import_file(
        _csv(tmp_path, "nama\nX\n"),
        "data.csv",
        ImportKind.EMPLOYEES,
        ImportMode.ALL_OR_NOTHING,
        SYSTEM,
    )
    assert report.file_error is not None
    assert "nip" in str(report.file_error) and "kode_unit" in str(report.file_error)


def test_a_file_that_is_not_a_spreadsheet_is_refused(tmp_path: Path, org: Org) -> None:
    path = tmp_path / "data.xlsx"
    path.write_bytes(b"%PDF-1.4 not a workbook")
    report = import_file(path, "data.xlsx", ImportKind.UNITS, ImportMode.ALL_OR_NOTHING, SYSTEM)
    assert report.file_error is not None and "XLSX" in str(report.file_error)


def test_emails_are_checked_by_email_validator_and_stored_normalised(
    tmp_path: Path, org: Org
) -> None:
    good, bad = make_nip(), make_nip()
    path = _csv(
        tmp_path,
        "nip,nama,kode_unit,email\n"
        f"{good},Surel Baik,DINKES, Siti@Contoh.GO.ID \n"
        f"{bad},Surel Buruk,DINKES,siti@contoh..go.id\n",
    )
    report = import_file(path, "data.csv", ImportKind.EMPLOYEES, ImportMode.VALID_ROWS, SYSTEM)
    assert _errors(report) == {(3, "email")}
    assert str(report.errors[0].error) == "Not a valid email address."
    stored = db.session.scalar(select(Employee.email).where(Employee.nip == good))
    assert stored == "Siti@contoh.go.id"


def _request(org: Org, content: bytes, name: str, kind: ImportKind = ImportKind.UNITS) -> int:
    run = request_import(
        kind,
        io.BytesIO(content),
        name,
        ImportMode.ALL_OR_NOTHING,
        scope_for_user(org.users.operator),
    )
    return run.id


def _upload_of(run_id: int) -> Upload:
    db.session.expire_all()
    run = db.session.get(JobRun, run_id)
    return db.session.get(Upload, run.args[0])


def test_an_upload_is_imported_by_id_and_removed_once_read(org: Org, run_jobs) -> None:
    run_id = _request(
        org, b"kode,nama,jenis,kode_induk\nDINKES.A,Bidang A,bidang,DINKES\n", "u.csv"
    )
    upload = _upload_of(run_id)
    store = upload_store()
    assert db.session.get(JobRun, run_id).args == [upload.id, "units", "all"]
    assert store.exists(upload.key) and upload.original_name == "u.csv"
    key = upload.key
    run_jobs()
    upload = _upload_of(run_id)
    assert upload.key is None and upload.removed_at is not None
    assert not store.exists(key)
    run = db.session.get(JobRun, run_id)
    assert run.status == JobStatus.SUCCEEDED
    assert run.outcome == Message(
        "Units: %(rows)d rows, %(created)d created, %(updated)d updated, %(invalid)d with errors.",
        {"rows": 1, "created": 1, "updated": 0, "invalid": 0},
    )
    assert db.session.scalar(select(Unit).where(Unit.code == "DINKES.A")) is not None


def test_a_windows_1252_csv_is_kept_and_read(org: Org, run_jobs) -> None:
    content = "kode,nama,jenis,kode_induk\nDINKES.A,Bidang Pelayanan Café,bidang,DINKES\n"
    run_id = _request(org, content.encode("cp1252"), "excel.csv")
    run_jobs()
    assert db.session.get(JobRun, run_id).status == JobStatus.SUCCEEDED
    unit = db.session.scalar(select(Unit).where(Unit.code == "DINKES.A"))
    assert unit.name == "Bidang Pelayanan Café"


def _stored_files() -> set[Path]:
    return {p for p in upload_store().root.rglob("*") if p.is_file()}


def test_a_file_that_is_not_a_spreadsheet_is_refused_at_upload(org: Org) -> None:
    before = _stored_files()
    with pytest.raises(FieldErrors) as refused:
        _request(org, b"%PDF-1.4 not a workbook", "data.xlsx")
    assert list(refused.value.errors) == ["file"]
    with pytest.raises(FieldErrors):
        _request(org, b"kode\n", "data.pdf")
    assert _count(Upload) == 0 and _count(JobRun) == 0
    assert _stored_files() == before


def test_an_upload_whose_uploader_left_is_refused_and_kept(org: Org) -> None:
    run_id = _request(org, b"kode,nama,jenis,kode_induk\nDINKES.A,A,bidang,DINKES\n", "u.csv")
    upload = _upload_of(run_id)
    org.users.operator.active = False
    db.session.commit()
    with pytest.raises(AccessDenied):
        import_upload(upload.id, ImportKind.UNITS, ImportMode.ALL_OR_NOTHING)
    upload = _upload_of(run_id)
    assert upload.key is not None and upload_store().exists(upload.key)  # for a retry
