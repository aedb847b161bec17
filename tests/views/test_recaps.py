"""The recaps (predikat for TPP, ratings, IKM and training JP per unit) on the *Rekap* screen
and ``/api/v1/recap/<kind>``: figures equal those counted here independently from the
rows, typed cells (NIP as 18-digit text, numbers, dates), the header frozen and filtered,
each reader's units only, bad filters named."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from kinerja.domain.competency import YEARLY_JP, TrainingMode
from kinerja.extensions import db
from kinerja.models.competency import TrainingRecord
from kinerja.models.org import Employee, Unit
from kinerja.models.ratings import Rating
from kinerja.models.reports import Evaluation, Report
from kinerja.models.surveys import UnitSurveyResult
from kinerja.security.policies import SYSTEM
from kinerja.services.surveys.indices import compute_survey_indices
from tests.factories import (
    Org,
    Planning,
    Reporting,
    api_token,
    build_ratings,
    build_records,
    login,
)
from tests.survey_factories import random_answers, surveyed

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The file, headers and predikat in English (the Indonesian catalogue is merged later).
EN = "&_l_=en&format=xlsx"
PREDIKAT_ID = {
    "sangat_baik": "Very good",
    "baik": "Good",
    "butuh_perbaikan": "Needs improvement",
    "kurang": "Poor/Misconduct",
    "sangat_kurang": "Very poor",
}


@pytest.fixture
def world(org: Org, planning: Planning, reporting: Reporting) -> SimpleNamespace:
    """Ratings and an approved Triwulan I evaluation (build_ratings), training records and
    survey answers in Dinas Kesehatan and Dinas Perhubungan."""
    records = build_records(org, planning, reporting)
    build_ratings(org, planning, records)
    staff = org.employees
    for employee, hours in (
        (staff.epid1, (8, 16)),
        (staff.epid2, (6,)),
        (staff.perawat, (24,)),
        (staff.penguji, (4, 4)),
    ):
        for jp in hours:
            db.session.add(
                TrainingRecord(
                    employee_id=employee.id,
                    title="Pelatihan",
                    mode=TrainingMode.CLASSICAL,
                    jp=jp,
                    completed_on=date(2026, 3, 1),
                    year=2026,
                )
            )
    db.session.add(  # another year's hours do not count
        TrainingRecord(
            employee_id=staff.epid2.id,
            title="Lama",
            mode=TrainingMode.CLASSICAL,
            jp=40,
            completed_on=date(2025, 3, 1),
            year=2025,
        )
    )
    answers = {"surv": random_answers(30, seed=3), "dishub": random_answers(20, seed=5)}
    surveys = [
        surveyed(getattr(org.units, name), planning.period, rows).id
        for name, rows in answers.items()
    ]
    db.session.commit()
    compute_survey_indices(surveys, None, SYSTEM)
    return SimpleNamespace(period=planning.period, answers=answers)


def _book(response: Any) -> Any:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == XLSX
    return load_workbook(io.BytesIO(response.get_data())).worksheets[0]


def _admin_book(client: FlaskClient, kind: str) -> Any:
    return _book(
        client.get(f"/api/v1/recap/{kind}?year=2026{EN}", headers=api_token(client, "admin"))
    )


def _rows(sheet: Any) -> list[dict[str, Any]]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def _dressed(sheet: Any) -> None:
    """The header row frozen, filtered and every column wide enough for its header."""
    assert sheet.freeze_panes == "A2"
    last = sheet.cell(row=1, column=sheet.max_column).column_letter
    assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}"
    for cell in sheet[1]:
        width = sheet.column_dimensions[cell.column_letter].width
        assert width >= len(str(cell.value)), cell.value


def _expected_predikat(unit_ids: set[int]) -> dict[str, str | None]:
    """NIP → the period predikat, counted from the rating rows one by one."""
    ratings = {r.employee_id: r for r in db.session.scalars(select(Rating))}
    expected = {}
    for employee in db.session.scalars(select(Employee)):
        if employee.unit_id in unit_ids and employee.active:
            rating = ratings.get(employee.id)
            value = rating.predikat if rating is not None else None
            expected[employee.nip] = PREDIKAT_ID[value] if value else None
    return expected


def _subtree(root: Unit) -> set[int]:
    units = list(db.session.scalars(select(Unit)))
    found = {root.id}
    grew = True
    while grew:
        grew = False
        for unit in units:
            if unit.parent_id in found and unit.id not in found:
                found.add(unit.id)
                grew = True
    return found


def test_the_predikat_recap_lists_every_employee_with_their_predikat(
    client: FlaskClient, org: Org, world: SimpleNamespace
) -> None:
    sheet = _admin_book(client, "predikat")
    _dressed(sheet)
    rows = _rows(sheet)
    every_unit = {u.id for u in db.session.scalars(select(Unit))}
    assert {row["NIP"]: row["Period predikat"] for row in rows} == _expected_predikat(every_unit)
    epid1 = next(row for row in rows if row["Name"] == "Epidemiolog Satu")
    assert epid1["Rank (golongan)"] == "III/a"
    assert epid1["Position"] == "Epidemiolog Ahli Pertama"
    assert epid1["Unit code"] == "DINKES.P2P.SURV"
    evaluation = db.session.scalar(
        select(Evaluation)
        .join(Report)
        .where(Report.employee_id == org.employees.epid1.id, Evaluation.decided_at.is_not(None))
    )
    assert epid1["Triwulan I"] == PREDIKAT_ID[evaluation.predikat]
    assert epid1["Triwulan II"] is None  # submitted, not evaluated yet
    assert epid1["Final"] == "Yes"


def test_the_nip_stays_eighteen_digits_of_text(
    client: FlaskClient, org: Org, world: SimpleNamespace
) -> None:
    sheet = _admin_book(client, "predikat")
    header = [cell.value for cell in sheet[1]]
    column = header.index("NIP") + 1
    cells = [row[0] for row in sheet.iter_rows(min_row=2, min_col=column, max_col=column)]
    assert cells
    for cell in cells:
        assert cell.data_type == "s" and cell.number_format == "@"
        assert len(cell.value) == 18 and cell.value.isdigit()
    assert {c.value for c in cells} == {e.nip for e in db.session.scalars(select(Employee))}


def test_the_ratings_recap_counts_each_units_predikat(
    client: FlaskClient, org: Org, world: SimpleNamespace
) -> None:
    sheet = _admin_book(client, "ratings")
    _dressed(sheet)
    by_code = {row["Unit code"]: row for row in _rows(sheet)}
    counted: dict[int, Counter[str]] = {}
    for rating in db.session.scalars(select(Rating)):
        counted.setdefault(rating.unit_id, Counter())[PREDIKAT_ID[rating.predikat]] += 1
    for unit in db.session.scalars(select(Unit)):
        row = by_code[unit.code]
        expected = counted.get(unit.id, Counter())
        assert row["Rated"] == sum(expected.values())
        for label in PREDIKAT_ID.values():
            assert row[label] == expected[label], (unit.code, label)
        people = [e for e in db.session.scalars(select(Employee)) if e.unit_id == unit.id]
        assert row["Employees"] == len(people)
        assert isinstance(row["Employees"], int)


def test_the_training_recap_sums_the_years_lesson_hours(
    client: FlaskClient, org: Org, world: SimpleNamespace
) -> None:
    sheet = _admin_book(client, "training")
    _dressed(sheet)
    by_code = {row["Unit code"]: row for row in _rows(sheet)}
    hours: Counter[int] = Counter()
    for record in db.session.scalars(select(TrainingRecord)):
        if record.year == 2026:
            hours[record.employee_id] += record.jp
    for unit in db.session.scalars(select(Unit)):
        people = [e for e in db.session.scalars(select(Employee)) if e.unit_id == unit.id]
        if not people:
            assert unit.code not in by_code
            continue
        row = by_code[unit.code]
        total = sum(hours[e.id] for e in people)
        assert row["Employees"] == len(people)
        assert row["Total JP"] == total
        assert row["Average JP"] == pytest.approx(total / len(people), abs=0.005)
        assert row["Below 20 JP"] == sum(1 for e in people if hours[e.id] < YEARLY_JP)
    assert by_code["DINKES.P2P.SURV"]["Total JP"] == 30  # 8 + 16 + 6


def test_the_ikm_recap_holds_the_index_of_the_answers(
    client: FlaskClient, org: Org, world: SimpleNamespace
) -> None:
    sheet = _admin_book(client, "ikm")
    _dressed(sheet)
    by_code = {row["Unit code"]: row for row in _rows(sheet)}
    assert set(by_code) == {"DINKES.P2P.SURV", "DISHUB"}
    for name, answers in world.answers.items():
        unit = getattr(org.units, name)
        nrr = [sum(row[i] for row in answers) / len(answers) for i in range(9)]
        expected = Decimal(sum(nrr) / 9 * 25).quantize(Decimal("0.01"))
        row = by_code[unit.code]
        assert row["Responses"] == len(answers)
        assert Decimal(str(row["IKM"])).quantize(Decimal("0.01")) == expected
        assert isinstance(row["Computed"], datetime)  # a date-time cell, not text
    stored = db.session.scalars(select(UnitSurveyResult)).all()
    assert len(stored) == 2


def test_an_operator_recaps_only_their_units(
    client: FlaskClient, org: Org, world: SimpleNamespace
) -> None:
    operator = api_token(client, "operator")
    answer = client.get("/api/v1/recap/predikat?year=2026", headers=operator)
    assert answer.status_code == 200, answer.get_json()
    rows = answer.get_json()["result"]
    assert {row["nip"] for row in rows} == set(_expected_predikat(_subtree(org.units.dinkes)))
    assert "Penguji Uji" not in {row["name"] for row in rows}
    epid2 = next(row for row in rows if row["name"] == "Epidemiolog Dua")
    assert epid2["predikat"] == "butuh_perbaikan"
    sheet = _book(client.get("/api/v1/recap/training?year=2026" + EN, headers=operator))
    assert "DISHUB" not in {row["Unit code"] for row in _rows(sheet)}
    outside = client.get(
        f"/api/v1/recap/ikm?year=2026&unit={org.units.dishub.id}", headers=operator
    )
    assert outside.status_code == 422
    assert list(outside.get_json()["fields"]) == ["unit"]


def test_one_units_recap_holds_its_subtree(
    client: FlaskClient, org: Org, world: SimpleNamespace
) -> None:
    answer = client.get(
        f"/api/v1/recap/ratings?year=2026&unit={org.units.p2p.id}&format=json",
        headers=api_token(client, "integrator"),
    )
    assert answer.status_code == 200, answer.get_json()
    assert {row["unit_code"] for row in answer.get_json()["result"]} == {
        "DINKES.P2P",
        "DINKES.P2P.SURV",
    }
    training = client.get(
        f"/api/v1/recap/training?unit={org.units.surv.id}", headers=api_token(client, "admin")
    ).get_json()
    assert training["year"] == 2026  # the latest period's, by default
    assert training["result"] == [
        {
            "unit_code": "DINKES.P2P.SURV",
            "unit": "Seksi Surveilans",
            "employees": 3,
            "jp_total": 30,
            "jp_average": 10.0,
            "below_jp": 2,
            "reached_jp": 1,
        }
    ]


def test_employees_and_supervisors_get_no_recap(client: FlaskClient, org: Org) -> None:
    for username in ("employee", "supervisor"):
        answer = client.get("/api/v1/recap/predikat?year=2026", headers=api_token(client, username))
        assert answer.status_code == 403, username
        login(client, username)
        page = client.get("/recaps/")
        assert page.status_code != 200 or b"recap-form" not in page.data


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("year=abc", "year"),
        ("year=1999", "year"),
        ("year=", "year"),
        ("year=2031", "year"),  # no period that year
        ("year=2026&unit=x", "unit"),
        ("year=2026&unit=999999", "unit"),
        ("year=2026&format=pdf", "format"),
        ("year=2026&colour=red", "colour"),
    ],
)
def test_bad_filters_are_named(
    client: FlaskClient, planning: Planning, query: str, field: str
) -> None:
    answer = client.get(f"/api/v1/recap/predikat?{query}", headers=api_token(client, "admin"))
    assert answer.status_code == 422, answer.get_data(as_text=True)
    body = answer.get_json()
    assert body["error"] == "validation_error" and field in body["fields"]


def test_an_unknown_recap_answers_404(client: FlaskClient, org: Org) -> None:
    answer = client.get("/api/v1/recap/salaries?year=2026", headers=api_token(client, "admin"))
    assert answer.status_code == 404
    assert answer.get_json()["error"] == "not_found"


def test_the_screen_offers_the_recaps_and_downloads_one(
    client: FlaskClient, org: Org, world: SimpleNamespace
) -> None:
    login(client, "operator")
    page = client.get("/recaps/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="recap-form"' in text
    assert 'data-kind="predikat"' in text and 'value="2026"' in text
    assert org.units.surv.code in text and org.units.dishub.code not in text
    surv = org.units.surv.id
    sheet = _book(client.get(f"/recaps/download/predikat/?year=2026&unit={surv}&_l_=en"))
    assert {row["Name"] for row in _rows(sheet)} == {
        "Kasi Surveilans Uji",
        "Epidemiolog Satu",
        "Epidemiolog Dua",
    }
    menu = client.get("/api/v1/menu/").get_data(as_text=True)
    assert "/recaps/" in menu


def test_the_screen_says_which_filter_is_wrong(client: FlaskClient, org: Org, planning) -> None:
    login(client, "operator")
    dishub = org.units.dishub.id
    page = client.get(f"/recaps/download/ratings/?year=2031&unit={dishub}&_l_=en")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "recap-errors" in text
    assert 'data-error="year"' in text and "There is no performance period for 2031." in text
    assert 'data-error="unit"' in text
    english = client.get("/recaps/download/ratings/?year=abc&_l_=en").get_data(as_text=True)
    assert 'data-error="year"' in english and "Not a valid integer." in english
