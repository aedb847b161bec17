"""Data quality: each check finds exactly the mistakes it names, within the person's units."""

from __future__ import annotations

from kinerja.extensions import db
from kinerja.security.policies import SYSTEM, scope_for_user
from kinerja.services.data_quality import CHECKS_BY_CODE, issue_counts, issues
from tests.factories import Org, login, make_employee, make_position, make_unit


def _names(code: str, scope) -> set[str]:
    return {row.name for row in issues(CHECKS_BY_CODE[code], scope)}


def test_each_check_finds_its_mistakes(org: Org) -> None:
    orphan_unit = make_unit("DINKES.BARU", org.units.dinkes, name="Bidang Tanpa Kepala")
    vacant = make_position(
        "KASI.KOSONG",
        org.units.yankes,
        org.positions.kabid_yankes,
        is_head=False,
        name="Kepala Seksi Kosong",
    )
    make_position("STAF.KOSONG", org.units.yankes, vacant, name="Staf di bawah jabatan kosong")
    make_position("LEPAS", org.units.yankes, None, name="Jabatan Tanpa Atasan")
    make_employee("Tanpa Jabatan", None, org.units.yankes)
    db.session.commit()

    assert _names("employees_without_position", SYSTEM) == {"Tanpa Jabatan"}
    assert "Tanpa Jabatan" in _names("employees_without_login", SYSTEM)
    assert "Epidemiolog Satu" not in _names("employees_without_login", SYSTEM)
    assert _names("positions_without_supervisor", SYSTEM) == {"Jabatan Tanpa Atasan"}
    assert _names("vacant_supervising_positions", SYSTEM) == {"Kepala Seksi Kosong"}
    assert _names("units_without_head", SYSTEM) >= {orphan_unit.name}
    assert "Bidang P2P" not in _names("units_without_head", SYSTEM)


def test_operator_sees_only_the_mistakes_in_their_units(org: Org) -> None:
    make_employee("Tanpa Jabatan Dishub", None, org.units.dishub)
    db.session.commit()
    operator = scope_for_user(org.users.operator)
    assert "Tanpa Jabatan Dishub" not in _names("employees_without_position", operator)
    assert "Penguji Uji" not in _names("employees_without_login", operator)
    assert issue_counts(operator)["units_without_head"] == 0


def test_data_quality_page_links_each_row_to_its_fix(client, org: Org) -> None:
    employee = make_employee("Tanpa Jabatan", None, org.units.yankes)
    db.session.commit()
    login(client, "operator")
    page = client.get("/data-quality/employees_without_position/").get_data(as_text=True)
    assert f'/employees/edit/{employee.id}"' in page
    login(client, "employee")
    assert client.get("/data-quality/").status_code == 403


def test_bulk_logins_for_everyone_without_one_from_data_quality(client, org: Org) -> None:
    login(client, "operator")
    page = client.post("/logins/confirm", data={"all_without_login": "1"}).get_data(as_text=True)
    assert "Kadinkes Uji" in page and "Kadishub Uji" not in page
