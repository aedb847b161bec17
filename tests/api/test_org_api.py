"""The REST resources: JWT, OpenAPI, and bad input answered with the field's name."""

from __future__ import annotations

from sqlalchemy import func, select

from kinerja.extensions import db
from kinerja.models.org import Employee, Position, Unit
from tests.factories import Org, api_token, make_nip


def _count(model: type) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_jwt_login_and_openapi(client, org: Org) -> None:
    headers = api_token(client, "integrator")
    spec = client.get("/api/v1/_openapi", headers=headers)
    assert spec.status_code == 200
    paths = spec.get_json()["paths"]
    assert {"/api/v1/unit/", "/api/v1/position/", "/api/v1/employee/"} <= set(paths)
    bad = client.post(
        "/api/v1/security/login",
        json={"username": "integrator", "password": "salah", "provider": "db"},
    )
    assert bad.status_code == 401


def test_employee_with_invalid_nip_is_refused_naming_the_field(client, org: Org) -> None:
    headers = api_token(client, "admin")
    before = _count(Employee)
    response = client.post(
        "/api/v1/employee/?_l_=en",
        headers=headers,
        json={
            "nip": "19681315 199202 1 002",
            "name": "Salah Tanggal",
            "unit": org.units.p2p.id,
            "employment_type": "pns",
        },
    )
    assert response.status_code == 422
    assert "birth date" in response.get_json()["fields"]["nip"][0]
    assert _count(Employee) == before


def test_employee_with_duplicate_nip_is_refused(client, org: Org) -> None:
    headers = api_token(client, "admin")
    response = client.post(
        "/api/v1/employee/",
        headers=headers,
        json={
            "nip": org.employees.epid1.nip,
            "name": "Kembar",
            "unit": org.units.p2p.id,
            "employment_type": "pns",
        },
    )
    assert response.status_code == 422
    assert list(response.get_json()["fields"]) == ["nip"]


def test_employee_is_created_with_the_printed_nip_form(client, org: Org) -> None:
    headers = api_token(client, "operator")
    nip = make_nip(sex=2)
    printed = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    response = client.post(
        "/api/v1/employee/",
        headers=headers,
        json={
            "nip": printed,
            "name": "dr. Siti Baru, M.Kes.",
            "unit": org.units.surv.id,
            "position": org.positions.epid.id,
            "employment_type": "pns",
        },
    )
    assert response.status_code == 201, response.get_json()
    created = db.session.get(Employee, response.get_json()["id"])
    assert created.nip == nip
    assert created.sex == "F"


def test_messages_are_indonesian_by_default_and_english_on_request(client, org: Org) -> None:
    headers = api_token(client, "admin")
    body = {"nip": "123", "name": "X", "unit": org.units.p2p.id, "employment_type": "pns"}
    indonesian = client.post("/api/v1/employee/", headers=headers, json=body).get_json()
    english = client.post("/api/v1/employee/?_l_=en", headers=headers, json=body).get_json()
    assert english["fields"]["nip"] == ["NIP must have 18 digits, not 3."]
    assert indonesian["fields"]["nip"] != english["fields"]["nip"]
    assert "18" in indonesian["fields"]["nip"][0]


def test_unit_cycle_is_refused(client, org: Org) -> None:
    headers = api_token(client, "admin")
    response = client.put(
        f"/api/v1/unit/{org.units.dinkes.id}", headers=headers, json={"parent": org.units.surv.id}
    )
    assert response.status_code == 422
    assert list(response.get_json()["fields"]) == ["parent"]
    db.session.expire_all()
    assert db.session.get(Unit, org.units.dinkes.id).parent_id == org.units.pemkot.id


def test_unit_cannot_be_its_own_parent(client, org: Org) -> None:
    headers = api_token(client, "admin")
    response = client.put(
        f"/api/v1/unit/{org.units.p2p.id}", headers=headers, json={"parent": org.units.p2p.id}
    )
    assert response.status_code == 422
    assert "parent" in response.get_json()["fields"]


def test_supervisor_cycle_is_refused(client, org: Org) -> None:
    headers = api_token(client, "admin")
    response = client.put(
        f"/api/v1/position/{org.positions.kadinkes.id}",
        headers=headers,
        json={"supervisor": org.positions.epid.id},
    )
    assert response.status_code == 422
    assert list(response.get_json()["fields"]) == ["supervisor"]
    db.session.expire_all()
    assert (
        db.session.get(Position, org.positions.kadinkes.id).supervisor_id == org.positions.sekda.id
    )


def test_unknown_unit_id_is_refused(client, org: Org) -> None:
    headers = api_token(client, "admin")
    before = _count(Position)
    response = client.post(
        "/api/v1/position/",
        headers=headers,
        json={
            "code": "BARU",
            "name": "Jabatan Baru",
            "kind": "pelaksana",
            "unit": 999999,
        },
    )
    assert response.status_code == 422
    assert "unit" in response.get_json()["fields"]
    assert _count(Position) == before


def test_text_in_a_number_field_is_refused(client, org: Org) -> None:
    headers = api_token(client, "admin")
    response = client.post(
        "/api/v1/position/",
        headers=headers,
        json={
            "code": "BARU",
            "name": "Jabatan Baru",
            "kind": "pelaksana",
            "unit": org.units.p2p.id,
            "grade": "tinggi",
        },
    )
    assert response.status_code == 422
    assert "grade" in response.get_json()["fields"]


def test_grade_out_of_range_is_refused(client, org: Org) -> None:
    headers = api_token(client, "admin")
    response = client.post(
        "/api/v1/position/",
        headers=headers,
        json={
            "code": "BARU",
            "name": "Jabatan Baru",
            "kind": "pelaksana",
            "unit": org.units.p2p.id,
            "grade": 18,
        },
    )
    assert response.status_code == 422
    assert "grade" in response.get_json()["fields"]


def test_unknown_kind_is_refused(client, org: Org) -> None:
    headers = api_token(client, "admin")
    response = client.post(
        "/api/v1/unit/",
        headers=headers,
        json={
            "code": "X",
            "name": "X",
            "kind": "kerajaan",
            "parent": org.units.pemkot.id,
        },
    )
    assert response.status_code == 422
    assert "kind" in response.get_json()["fields"]


def test_body_that_is_not_json_is_a_400(client, org: Org) -> None:
    headers = api_token(client, "admin")
    response = client.post("/api/v1/unit/", headers=headers, data="code=X")
    assert response.status_code == 400
    response = client.post("/api/v1/unit/", headers=headers, json=["code", "X"])
    assert response.status_code == 400


def test_operator_cannot_place_an_employee_outside_their_unit(client, org: Org) -> None:
    headers = api_token(client, "operator")
    before = _count(Employee)
    response = client.post(
        "/api/v1/employee/",
        headers=headers,
        json={
            "nip": make_nip(),
            "name": "Pindahan",
            "unit": org.units.dishub.id,
            "employment_type": "pns",
        },
    )
    assert response.status_code == 422
    assert list(response.get_json()["fields"]) == ["unit"]
    assert _count(Employee) == before


def test_operator_cannot_move_an_employee_out_of_their_unit(client, org: Org) -> None:
    headers = api_token(client, "operator")
    response = client.put(
        f"/api/v1/employee/{org.employees.perawat.id}",
        headers=headers,
        json={"unit": org.units.dishub.id, "position": None},
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Employee, org.employees.perawat.id).unit_id == org.units.yankes.id


def test_position_must_belong_to_the_employees_unit(client, org: Org) -> None:
    headers = api_token(client, "admin")
    response = client.put(
        f"/api/v1/employee/{org.employees.perawat.id}",
        headers=headers,
        json={"position": org.positions.epid.id},
    )
    assert response.status_code == 422
    assert list(response.get_json()["fields"]) == ["position"]


def test_deleting_a_unit_that_still_has_sub_units_is_a_conflict(client, org: Org) -> None:
    headers = api_token(client, "admin")
    response = client.delete(f"/api/v1/unit/{org.units.p2p.id}", headers=headers)
    assert response.status_code == 409
    assert db.session.get(Unit, org.units.p2p.id) is not None


def test_deleting_an_empty_unit_works(client, org: Org) -> None:
    headers = api_token(client, "admin")
    created = client.post(
        "/api/v1/unit/",
        headers=headers,
        json={
            "code": "KOSONG",
            "name": "Unit Kosong",
            "kind": "seksi",
            "parent": org.units.p2p.id,
        },
    )
    assert created.status_code == 201, created.get_json()
    assert (
        client.delete(f"/api/v1/unit/{created.get_json()['id']}", headers=headers).status_code
        == 200
    )


def test_incremental_sync_filter_on_updated_at(client, org: Org) -> None:
    headers = api_token(client, "integrator")
    everything = client.get("/api/v1/employee/?q=(page_size:100)", headers=headers).get_json()
    assert everything["count"] == 10
    latest = max(row["updated_at"] for row in everything["result"])
    query = f"(filters:!((col:updated_at,opr:gt,value:'{latest}')))"
    newer = client.get("/api/v1/employee/", query_string={"q": query}, headers=headers)
    assert newer.status_code == 200, newer.get_json()
    assert newer.get_json()["count"] == 0
    earliest = min(row["updated_at"] for row in everything["result"])
    query = f"(filters:!((col:updated_at,opr:gt,value:'{earliest}')))"
    newer = client.get("/api/v1/employee/", query_string={"q": query}, headers=headers)
    assert newer.get_json()["count"] == 9


def test_search_by_unit_with_sub_units(client, org: Org) -> None:
    headers = api_token(client, "integrator")
    query = f"(filters:!((col:unit,opr:in_unit_tree,value:{org.units.p2p.id})),page_size:100)"
    response = client.get(f"/api/v1/employee/?q={query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    names = {row["name"] for row in response.get_json()["result"]}
    assert names == {"Kabid P2P Uji", "Kasi Surveilans Uji", "Epidemiolog Satu", "Epidemiolog Dua"}


def test_ids_that_cannot_exist_answer_404_not_500(client, org: Org) -> None:
    headers = api_token(client, "admin")
    for url in (
        "/api/v1/employee/43498100325164811026432",
        "/api/v1/unit/0",
        "/api/v1/position/2147483648",
    ):
        assert client.get(url, headers=headers).status_code == 404, url
        assert client.put(url, json={"name": "X"}, headers=headers).status_code == 404, url
        assert client.delete(url, headers=headers).status_code == 404, url


def test_a_related_row_must_be_named_by_its_id(client, org: Org) -> None:
    headers = api_token(client, "admin")
    for parent in ({"__main__": None}, [1, 2], 3.5e16, "DINKES", True):
        response = client.post(
            "/api/v1/unit/",
            headers=headers,
            json={"code": "X", "name": "X", "kind": "seksi", "parent": parent},
        )
        assert response.status_code == 422, (parent, response.get_json())
        assert "parent" in response.get_json()["fields"]


def test_an_unreadable_query_is_a_400(client, org: Org) -> None:
    headers = api_token(client, "admin")
    response = client.get(
        "/api/v1/employee/", query_string={"q": "-2.8576905564455856e 83"}, headers=headers
    )
    assert response.status_code == 400


def test_pages_out_of_range_are_a_400(client, org: Org) -> None:
    headers = api_token(client, "admin")
    for query in (
        "(page:-39731339951921053040640,page_size:10)",
        "(page:0,page_size:-1)",
        "(add_columns:(unit:(page:99999999999)))",
    ):
        response = client.get("/api/v1/employee/", query_string={"q": query}, headers=headers)
        assert response.status_code == 400, query


def test_pages_out_of_range_in_a_json_query_are_a_400(client, org: Org) -> None:
    headers = api_token(client, "admin")
    query = '{"page_size": 10, "page": -39731339951921053040640}'
    response = client.get("/api/v1/unit/", query_string={"q": query}, headers=headers)
    assert response.status_code == 400
