"""The back-office forms: messages beside the field, input kept, nothing half-saved."""

from __future__ import annotations

from sqlalchemy import func, select

from kinerja.extensions import db
from kinerja.models.org import Employee, Position, Unit
from tests.factories import Org, login, make_nip


def _count(model: type) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _employee_form(org: Org, **values: object) -> dict[str, object]:
    form = {
        "nip": make_nip(),
        "name": "Rina Marpaung, S.Kom.",
        "email": "rina@uji.example",
        "phone": "",
        "employment_type": "pns",
        "rank": "",
        "unit": org.units.surv.id,
        "position": org.positions.epid.id,
        "active": "y",
    }
    form.update(values)
    return form


def test_adding_an_employee_with_an_invalid_nip_shows_the_reason_and_keeps_the_input(
    client, org: Org
) -> None:
    login(client, "operator")
    before = _count(Employee)
    response = client.post("/employees/add?_l_=en", data=_employee_form(org, nip="12345"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200  # the form again, not a redirect
    assert "NIP must have 18 digits, not 5." in page
    assert "Rina Marpaung, S.Kom." in page
    assert _count(Employee) == before


def test_adding_an_employee_with_a_valid_form_saves_it(client, org: Org) -> None:
    login(client, "operator")
    nip = make_nip()
    response = client.post("/employees/add", data=_employee_form(org, nip=nip))
    assert response.status_code == 302
    saved = db.session.scalar(select(Employee).where(Employee.nip == nip))
    assert saved is not None and saved.position_id == org.positions.epid.id


def test_duplicate_nip_is_shown_in_the_form(client, org: Org) -> None:
    login(client, "admin")
    response = client.post(
        "/employees/add?_l_=en", data=_employee_form(org, nip=org.employees.epid1.nip)
    )
    assert response.status_code == 200
    assert "is already registered" in response.get_data(as_text=True)


def test_position_of_another_unit_is_refused(client, org: Org) -> None:
    login(client, "admin")
    response = client.post(
        "/employees/add?_l_=en",
        data=_employee_form(org, unit=org.units.yankes.id),
    )
    assert response.status_code == 200
    assert "belongs to another unit" in response.get_data(as_text=True)


def test_operator_cannot_choose_a_unit_outside_their_reach(client, org: Org) -> None:
    login(client, "operator")
    before = _count(Employee)
    response = client.post(
        "/employees/add?_l_=en",
        data=_employee_form(org, unit=org.units.dishub.id, position=""),
    )
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert _count(Employee) == before


def test_moving_a_unit_below_its_own_sub_unit_is_refused(client, org: Org) -> None:
    login(client, "admin")
    response = client.post(
        f"/units/edit/{org.units.p2p.id}?_l_=en",
        data={
            "code": "DINKES.P2P",
            "name": "Bidang P2P",
            "kind": "bidang",
            "parent": org.units.surv.id,
            "active": "y",
        },
    )
    assert response.status_code == 200
    assert "cannot be placed below itself" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Unit, org.units.p2p.id).parent_id == org.units.dinkes.id


def test_text_in_the_class_field_is_a_form_error(client, org: Org) -> None:
    login(client, "admin")
    before = _count(Position)
    response = client.post(
        "/positions/add?_l_=en",
        data={
            "code": "BARU",
            "name": "Baru",
            "kind": "pelaksana",
            "unit": org.units.p2p.id,
            "grade": "tinggi",
            "active": "y",
        },
    )
    assert response.status_code == 200
    assert "Not a valid integer value" in response.get_data(as_text=True)
    assert _count(Position) == before


def test_deleting_a_unit_with_positions_explains_why_not(client, org: Org) -> None:
    login(client, "admin")
    response = client.post(f"/units/delete/{org.units.surv.id}?_l_=en", follow_redirects=True)
    assert "still has 0 sub-units, 2 positions and 3 employees" in response.get_data(as_text=True)
    assert db.session.get(Unit, org.units.surv.id) is not None


def test_screens_speak_indonesian_by_default_and_english_on_request(client, org: Org) -> None:
    login(client, "admin")
    indonesian = client.get("/employees/add").get_data(as_text=True)
    assert "Simpan" in indonesian and "Nama lengkap dengan gelar" in indonesian
    client.get("/lang/en")
    english = client.get("/employees/add").get_data(as_text=True)
    assert "Save" in english and "Full name with titles" in english


def test_search_by_nip_or_name_and_by_unit_with_sub_units(client, org: Org) -> None:
    login(client, "admin")
    by_nip = client.get(f"/employees/list/?_flt_0_name={org.employees.epid1.nip[:14]}")
    page = by_nip.get_data(as_text=True)
    assert org.employees.epid1.nip in page
    by_unit = client.get("/employees/list/?_flt_0_unit=DINKES.P2P").get_data(as_text=True)
    assert "Epidemiolog Satu" in by_unit and "Perawat Uji" not in by_unit


def test_ids_that_cannot_exist_answer_404_in_screens(client, org: Org) -> None:
    login(client, "admin")
    for url in (
        "/employees/show/43498100325164811026432",
        "/units/edit/99999999999999",
        "/positions/show/x",
    ):
        assert client.get(url).status_code == 404, url
    response = client.get("/employees/choices/position/?master=99999999999999999999&page=9e9")
    assert response.status_code == 200
    assert response.get_json()["results"] == []


def test_list_arguments_fab_would_choke_on_answer_400(client, org: Org) -> None:
    login(client, "admin")
    for args in (
        "page_EmployeeView=99999999999999999999",
        "page_EmployeeView=abc",
        "psize_EmployeeView=100000000000",
        "_oc_EmployeeView=password&_od_EmployeeView=asc",
        "_oc_EmployeeView=name&_od_EmployeeView=sideways",
    ):
        assert client.get(f"/employees/list/?{args}").status_code == 400, args
    assert client.get("/employees/list/?_flt_0_employment_type=zzz").status_code == 200


def test_actions_refuse_unknown_actions_and_rows_out_of_reach(client, org: Org) -> None:
    login(client, "operator")
    assert client.post("/employees/action_post", data={"action": "nope"}).status_code == 404
    page = client.post(
        "/employees/action_post",
        data={
            "action": "create_logins",
            "rowid": [str(org.employees.kadishub.id), "99999999999999999999"],
        },
    ).get_data(as_text=True)
    assert "Kadishub Uji" not in page
    assert client.get(f"/jobs/action/retry/{org.employees.kadishub.id}").status_code == 405


def test_an_employees_page_shows_words_and_dates_not_codes_or_none(client, org: Org) -> None:
    """Sex and dates read from the NIP in the reader's language; nothing shows "None"; the
    confirmation dialog is on the page once, its buttons translated."""
    employee = org.employees.epid1  # no login, no phone; NIP 19850412 201003 1 …
    employee.rank = None
    db.session.commit()
    login(client, "admin")
    page = client.get(f"/employees/show/{employee.id}").get_data(as_text=True)
    assert '<html lang="id">' in page
    assert "Laki-laki" in page and "12 Apr 1985" in page and "1 Mar 2010" in page
    assert ">M<" not in page.replace(" ", "").replace("\n", "")
    assert "None" not in page
    assert page.count('id="modal-confirm"') == 1 and ">Batal</button>" in page
    english = client.get(f"/employees/show/{employee.id}?_l_=en").get_data(as_text=True)
    assert '<html lang="en">' in english and "Male" in english and "Apr 12, 1985" in english


def test_a_missing_page_is_an_indonesian_page_in_the_layout_and_json_under_the_api(
    client, org: Org
) -> None:
    login(client, "operator")
    out_of_reach = client.get(f"/employees/show/{org.employees.penguji.id}")
    page = out_of_reach.get_data(as_text=True)
    assert out_of_reach.status_code == 404 and out_of_reach.mimetype == "text/html"
    assert "Data tidak ditemukan atau berada di luar kewenangan Anda." in page
    assert 'id="error-page"' in page
    assert "Not Found" not in page and "navbar" in page  # the app's layout, its menu
    english = client.get("/no-such-page?_l_=en").get_data(as_text=True)
    assert "Page not found" in english and "Not found or not within your reach." in english
    api = client.get("/api/v1/no-such-resource/")
    assert api.status_code == 404 and api.is_json
