"""Importing competency assessments: checks per row and column, all-or-nothing or the valid
rows only, the importer's reach, updates by employee, competency, date and source."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from kinerja.domain.competency import AssessmentSource
from kinerja.extensions import db
from kinerja.models.competency import Assessment
from kinerja.security.policies import SYSTEM, scope_for_user
from kinerja.services.boundary import transaction
from kinerja.services.imports import ImportKind, ImportMode, import_file
from kinerja.services.reference import seed_competencies
from tests.factories import Org

HEADER = "nip,kode_kompetensi,level,tanggal_penilaian,sumber\n"


@pytest.fixture
def dictionary(org: Org) -> Org:
    with transaction():
        seed_competencies()
    return org


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "penilaian.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _import(path: Path, mode: ImportMode, scope=SYSTEM):
    return import_file(path, path.name, ImportKind.ASSESSMENTS, mode, scope)


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Assessment))


def _errors(report) -> set[tuple[int, str]]:
    return {(e.row, e.column) for e in report.errors}


def test_a_file_with_bad_rows_imports_nothing_and_names_row_and_column(
    tmp_path: Path, dictionary: Org
) -> None:
    e = dictionary.employees
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    path = _csv(
        tmp_path,
        HEADER
        + f"{e.epid1.nip},M.01,3,2026-01-15,assessment_centre\n"
        + f"{e.epid2.nip},X.99,3,2026-01-15,supervisor\n"
        + f"{e.perawat.nip},M.02,7,15/01/2026,supervisor\n"
        + f"{e.perawat.nip},M.03,2,{tomorrow},supervisor\n"
        + "123,M.01,2,2026-01-15,guess\n"
        + f"{e.epid1.nip},M.01,4,2026-01-15,assessment_centre\n"
        + f"{e.epid1.nip},M.04,2,kemarin,self\n",
    )
    report = _import(path, ImportMode.ALL_OR_NOTHING)
    assert not report.applied
    assert _errors(report) == {
        (3, "kode_kompetensi"),
        (4, "level"),
        (5, "tanggal_penilaian"),
        (6, "nip"),
        (6, "sumber"),
        (7, "kode_kompetensi"),  # the same assessment twice
        (8, "tanggal_penilaian"),
    }
    assert _count() == 0


def test_only_the_valid_rows_are_imported_when_chosen(tmp_path: Path, dictionary: Org) -> None:
    e = dictionary.employees
    path = _csv(
        tmp_path,
        HEADER
        + f"{e.epid1.nip},m.01,3,2026-01-15,assessment_centre\n"
        + f"{e.epid2.nip},M.02,0,2026-01-15,supervisor\n"
        + f"{e.perawat.nip},M.03,2,15/01/2026,Supervisor\n",
    )
    report = _import(path, ImportMode.VALID_ROWS)
    assert report.applied and (report.created, report.skipped) == (2, 1)
    rows = db.session.execute(
        select(Assessment.employee_id, Assessment.level, Assessment.assessed_on, Assessment.source)
    ).all()
    assert sorted(rows) == sorted(
        [
            (e.epid1.id, 3, date(2026, 1, 15), AssessmentSource.ASSESSMENT_CENTRE),
            (e.perawat.id, 2, date(2026, 1, 15), AssessmentSource.SUPERVISOR),
        ]
    )


def test_reimporting_updates_the_level_instead_of_adding(tmp_path: Path, dictionary: Org) -> None:
    nip = dictionary.employees.epid1.nip
    _import(_csv(tmp_path, HEADER + f"{nip},M.01,2,2026-01-15,self\n"), ImportMode.ALL_OR_NOTHING)
    again = _import(
        _csv(tmp_path, HEADER + f"{nip},M.01,4,2026-01-15,self\n{nip},M.01,3,2026-02-01,self\n"),
        ImportMode.ALL_OR_NOTHING,
    )
    assert (again.created, again.updated) == (1, 1)
    levels = db.session.execute(
        select(Assessment.assessed_on, Assessment.level).order_by(Assessment.assessed_on)
    ).all()
    assert levels == [(date(2026, 1, 15), 4), (date(2026, 2, 1), 3)]


def test_an_operator_cannot_import_assessments_of_people_outside_their_units(
    tmp_path: Path, dictionary: Org
) -> None:
    e = dictionary.employees
    path = _csv(
        tmp_path,
        HEADER
        + f"{e.penguji.nip},M.01,3,2026-01-15,supervisor\n"
        + f"{e.epid1.nip},M.01,3,2026-01-15,supervisor\n",
    )
    report = _import(path, ImportMode.VALID_ROWS, scope_for_user(dictionary.users.operator))
    assert _errors(report) == {(2, "nip")}
    assert report.created == 1
    assert db.session.scalar(select(Assessment.employee_id)) == e.epid1.id


def test_assessments_from_xlsx_with_dates_as_dates(tmp_path: Path, dictionary: Org) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["NIP", "competency_code", "level", "assessed_on", "source"])
    sheet.append([dictionary.employees.epid2.nip, "SK.01", 3, date(2026, 2, 2), "self"])
    path = tmp_path / "penilaian.xlsx"
    workbook.save(path)
    report = import_file(path, path.name, ImportKind.ASSESSMENTS, ImportMode.ALL_OR_NOTHING, SYSTEM)
    assert report.applied and report.created == 1
    assert db.session.scalar(select(Assessment.assessed_on)) == date(2026, 2, 2)
