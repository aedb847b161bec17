"""Exports of lists as CSV and XLSX, screens and API alike: the caller's scope, the list's
filters and order, NIP as text, local date-times, no live formula, streamed."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import insert

from kinerja.extensions import db
from kinerja.models.org import Unit, UnitKind
from tests.factories import Org, api_token, login, make_unit

EVIL = '=HYPERLINK("http://evil.example","x")'


def _csv(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def _sheet(response: Any) -> Any:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return load_workbook(io.BytesIO(response.get_data())).worksheets[0]


def _column(sheet: Any, name: str) -> list[Any]:
    header = [cell.value for cell in sheet[1]]
    index = header.index(name) + 1
    return [row[0] for row in sheet.iter_rows(min_row=2, min_col=index, max_col=index)]


def test_an_operators_api_export_has_only_its_units_rows(client, org: Org) -> None:
    operator = api_token(client, "operator")
    rows = _csv(client.get("/api/v1/employee/export.csv", headers=operator))
    names = {row["name"] for row in rows}
    assert "Epidemiolog Satu" in names and "Perawat Uji" in names
    assert "Kadishub Uji" not in names and "Penguji Uji" not in names
    admin = _csv(client.get("/api/v1/employee/export.csv", headers=api_token(client, "admin")))
    assert {"Kadishub Uji", "Penguji Uji"} <= {row["name"] for row in admin}


def test_an_operators_screen_export_has_only_its_units_rows(client, org: Org) -> None:
    login(client, "operator")
    sheet = _sheet(client.get("/employees/export/xlsx/"))
    names = set(_column(sheet, "Nama lengkap dengan gelar"))
    assert "Epidemiolog Satu" in {cell.value for cell in names}
    assert not {"Kadishub Uji", "Penguji Uji"} & {cell.value for cell in names}


def test_the_nip_is_a_text_cell_in_xlsx(client, org: Org) -> None:
    headers = api_token(client, "admin")
    sheet = _sheet(client.get("/api/v1/employee/export.xlsx", headers=headers))
    cells = {cell.value: cell for cell in _column(sheet, "nip")}
    nip = org.employees.epid1.nip
    assert len(nip) == 18
    assert cells[nip].data_type == "s"
    assert cells[nip].number_format == "@"


def test_every_xlsx_export_freezes_and_filters_its_header_and_sizes_its_columns(
    client, org: Org
) -> None:
    headers = api_token(client, "admin")
    sheet = _sheet(client.get("/api/v1/employee/export.xlsx", headers=headers))
    login(client, "admin")
    screen = _sheet(client.get("/employees/export/xlsx/"))
    for exported in (sheet, screen):
        assert exported.freeze_panes == "A2"
        last = exported.cell(row=1, column=exported.max_column).column_letter
        assert exported.auto_filter.ref == f"A1:{last}{exported.max_row}"
        assert exported.max_row == 11  # the header and the ten employees
    header = [cell.value for cell in sheet[1]]
    nip = sheet.cell(row=1, column=header.index("nip") + 1).column_letter
    assert sheet.column_dimensions[nip].width >= 18  # an 18-digit NIP is read whole


def test_formulas_are_neutralised_in_csv_and_xlsx(client, org: Org) -> None:
    make_unit("EVIL", org.units.dinkes, UnitKind.DIVISION, EVIL)
    db.session.commit()
    headers = api_token(client, "admin")
    names = {row["name"] for row in _csv(client.get("/api/v1/unit/export.csv", headers=headers))}
    assert "'" + EVIL in names and EVIL not in names
    sheet = _sheet(client.get("/api/v1/unit/export.xlsx", headers=headers))
    evil = [cell for cell in _column(sheet, "name") if "HYPERLINK" in str(cell.value)]
    assert [(cell.value, cell.data_type) for cell in evil] == [("'" + EVIL, "s")]
    login(client, "admin")
    screen = _sheet(client.get("/units/export/xlsx/"))
    assert all(cell.data_type != "f" for row in screen.iter_rows() for cell in row)


def test_control_characters_do_not_break_the_workbook(client, org: Org) -> None:
    make_unit("CTRL", org.units.dinkes, UnitKind.DIVISION, "Bidang\x19 Uji\x01")
    db.session.commit()
    headers = api_token(client, "admin")
    sheet = _sheet(client.get("/api/v1/unit/export.xlsx", headers=headers))
    assert "Bidang Uji" in {cell.value for cell in _column(sheet, "name")}


def test_the_api_export_honours_the_lists_filters_and_order(client, org: Org) -> None:
    headers = api_token(client, "admin")
    q = "(filters:!((col:name,opr:ct,value:Epidemiolog)),order_column:name,order_direction:desc)"
    rows = _csv(client.get(f"/api/v1/employee/export.csv?q={q}", headers=headers))
    assert [row["name"] for row in rows] == ["Epidemiolog Satu", "Epidemiolog Dua"]
    bad = client.get("/api/v1/employee/export.csv?q=(order_column:password)", headers=headers)
    assert bad.status_code == 400


def test_the_screen_export_honours_the_lists_search_and_order(client, org: Org) -> None:
    login(client, "admin")
    url = "/employees/export/?_flt_0_name=Epidemiolog&_oc_EmployeeView=name&_od_EmployeeView=asc"
    answer = client.get(url)
    names = [row["Nama lengkap dengan gelar"] for row in _csv(answer)]
    assert names == ["Epidemiolog Dua", "Epidemiolog Satu"]


def test_date_times_are_written_in_local_time(client, org: Org) -> None:
    stamp = datetime(2026, 3, 1, 20, 30, tzinfo=UTC)  # 2 March, 03:30 in Jakarta
    db.session.query(Unit).filter(Unit.id == org.units.dishub.id).update({"created_at": stamp})
    db.session.commit()
    headers = api_token(client, "admin")
    rows = _csv(client.get("/api/v1/unit/export.csv", headers=headers))
    assert {row["created_at"] for row in rows if row["code"] == "DISHUB"} == {"2026-03-02 03:30:00"}
    sheet = _sheet(client.get("/api/v1/unit/export.xlsx", headers=headers))
    codes = [cell.value for cell in _column(sheet, "code")]
    created = _column(sheet, "created_at")[codes.index("DISHUB")]
    assert created.value == (stamp + timedelta(hours=7)).replace(tzinfo=None)
    assert created.is_date


def test_a_large_export_is_streamed_in_chunks(client, org: Org) -> None:
    db.session.execute(
        insert(Unit),
        [
            {"code": f"U{n:05d}", "name": f"Unit {n}", "kind": UnitKind.SECTION, "active": True}
            for n in range(2500)
        ],
    )
    db.session.commit()
    headers = api_token(client, "admin")
    streamed, chunks = _unbuffered(client, "/api/v1/unit/export.csv", headers)
    assert streamed
    assert len(chunks) >= 3  # a chunk per thousand rows, not one body built in memory
    lines = b"".join(chunks).decode("utf-8").splitlines()
    assert len(lines) == 1 + 2500 + len(vars(org.units))
    streamed, chunks = _unbuffered(client, "/api/v1/unit/export.xlsx", headers)
    assert streamed
    assert b"".join(chunks).startswith(b"PK\x03\x04")


def _unbuffered(client: Any, url: str, headers: dict[str, str]) -> tuple[bool, list[bytes]]:
    """Whether the answer is streamed, and its body as the chunks it came in (read in the
    request's own thread, where its context lives)."""

    def read() -> tuple[bool, list[bytes]]:
        answer = FlaskClient.open(client, url, headers=headers, buffered=False)
        assert answer.status_code == 200
        chunks = list(answer.response)
        answer.close()
        return answer.is_streamed, chunks

    return client._executor.submit(read).result()


def test_every_list_screen_offers_both_exports_with_its_current_arguments(client, org) -> None:
    login(client, "admin")
    for screen in ("/employees/list/", "/periods/list/", "/jobs/list/", "/surveys/list/"):
        page = client.get(f"{screen}?_flt_0_name=x").get_data(as_text=True)
        assert 'id="export-csv"' in page and 'id="export-xlsx"' in page, screen
        assert "/export/xlsx/?_flt_0_name=x" in page, screen
