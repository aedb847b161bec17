"""The ratings list, its CSV export and the ``rating`` API: each role sees exactly its rows
(the employee their own, the supervisor their team, the Operator their units, Admin and
Integrator all), the filters, and one's own rating from the menu and the home page."""

from __future__ import annotations

import csv
import io
import re

import prison
import pytest
from flask.testing import FlaskClient

from kinerja.extensions import db
from kinerja.models.planning import Period
from kinerja.security.policies import SYSTEM
from kinerja.services.plans.periods import save_period
from tests.factories import (
    Org,
    Planning,
    RatingRecords,
    Reporting,
    api_token,
    approved_plan,
    build_ratings,
    build_records,
    login,
    make_rating,
)

EVERYONE = {"kabid_p2p", "kasi_surv", "epid1", "epid2", "penguji"}
TEAM = {"kabid_p2p", "kasi_surv", "epid1", "epid2"}  # the Kepala Bidang and everyone below
SEEN = {
    "admin": EVERYONE,
    "integrator": EVERYONE,
    "operator": TEAM,  # Dinas Kesehatan: the Dinkes people with a plan
    "supervisor": TEAM,
    "employee": {"epid1"},
}


@pytest.fixture
def rated(org: Org, planning: Planning, reporting: Reporting) -> RatingRecords:
    return build_ratings(org, planning, build_records(org, planning, reporting))


def _names(rated: RatingRecords, ids: set[int]) -> set[str]:
    return {name for name, row in vars(rated.ratings).items() if row.id in ids}


def _listed(client: FlaskClient, query: str = "") -> set[int]:
    page = client.get(f"/ratings/list/?psize_RatingView=100{query}")
    assert page.status_code == 200
    return {int(i) for i in re.findall(r'href="/ratings/show/(\d+)"', page.get_data(as_text=True))}


def _exported(client: FlaskClient, query: str = "") -> list[list[str]]:
    export = client.get(f"/ratings/export/?{query.lstrip('&')}")
    assert export.status_code == 200
    assert export.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))


@pytest.mark.parametrize("role", list(SEEN))
def test_each_role_sees_exactly_its_ratings_in_list_csv_and_api(
    client: FlaskClient, org: Org, rated: RatingRecords, role: str
) -> None:
    expected = SEEN[role]
    login(client, role)
    assert _names(rated, _listed(client)) == expected

    table = _exported(client)
    nips = {getattr(org.employees, name).nip: name for name in EVERYONE}
    assert {nips[line[0]] for line in table[1:]} == expected
    assert all(line[1] == getattr(org.employees, nips[line[0]]).name for line in table[1:])

    headers = api_token(client, role)
    body = client.get("/api/v1/rating/?q=(page_size:100)", headers=headers).get_json()
    assert _names(rated, {row["id"] for row in body["result"]}) == expected
    assert body["count"] == len(expected)
    outside = rated.ratings.penguji.id
    status = 200 if "penguji" in expected else 404
    assert client.get(f"/ratings/show/{outside}").status_code == status
    assert client.get(f"/api/v1/rating/{outside}", headers=headers).status_code == status


def test_the_csv_names_nip_and_name_first_with_translated_values(
    client: FlaskClient, org: Org, rated: RatingRecords
) -> None:
    login(client, "employee")
    header, row = _exported(client, "_l_=en")
    assert header[:2] == ["NIP", "Name"]
    assert row[:2] == [org.employees.epid1.nip, "Epidemiolog Satu"]
    assert "Good" in row and "Final" in row
    _header, row = _exported(client, "_l_=id")
    assert "Baik" in row


def test_the_list_filters_by_period_unit_with_sub_units_predikat_and_state(
    client: FlaskClient, org: Org, planning: Planning, rated: RatingRecords
) -> None:
    login(client, "admin")
    period = planning.period.id
    assert _names(rated, _listed(client, f"&_flt_0_period={period}")) == EVERYONE
    # Bidang P2P with its Seksi Surveilans, by code or by part of the name
    assert _names(rated, _listed(client, "&_flt_0_unit=DINKES.P2P")) == TEAM
    assert _names(rated, _listed(client, "&_flt_0_unit=surveilans")) == {
        "kasi_surv",
        "epid1",
        "epid2",
    }
    assert _names(rated, _listed(client, "&_flt_0_predikat=baik")) == {"kasi_surv", "epid1"}
    assert _names(rated, _listed(client, "&_flt_0_predikat=nonsense")) == set()
    assert _names(rated, _listed(client, "&_flt_0_final=final")) == {"epid1"}
    provisional = _listed(client, "&_flt_0_final=provisional")
    assert _names(rated, provisional) == EVERYONE - {"epid1"}
    assert _listed(client, "&_flt_0_final=maybe") == set()
    # the export follows the same filters
    table = _exported(client, "_flt_0_final=final")
    assert [line[0] for line in table[1:]] == [org.employees.epid1.nip]


def test_the_list_filters_stay_within_the_scope(client: FlaskClient, rated: RatingRecords) -> None:
    login(client, "employee")
    assert _names(rated, _listed(client, "&_flt_0_unit=DINKES")) == {"epid1"}
    assert _names(rated, _listed(client, "&_flt_0_final=provisional")) == set()


def test_the_api_filters_by_period_unit_tree_predikat_and_final(
    client: FlaskClient, org: Org, planning: Planning, rated: RatingRecords
) -> None:
    headers = api_token(client, "integrator")

    def found(*filters: dict[str, object]) -> set[str]:
        query = prison.dumps({"filters": list(filters), "page_size": 100})
        response = client.get(f"/api/v1/rating/?q={query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return _names(rated, {row["id"] for row in response.get_json()["result"]})

    assert found({"col": "period", "opr": "rel_o_m", "value": planning.period.id}) == EVERYONE
    assert found({"col": "unit", "opr": "in_unit_tree", "value": org.units.p2p.id}) == TEAM
    assert found({"col": "unit", "opr": "rel_o_m", "value": org.units.p2p.id}) == {"kabid_p2p"}
    assert found({"col": "predikat", "opr": "eq", "value": "baik"}) == {"kasi_surv", "epid1"}
    assert found({"col": "final", "opr": "eq", "value": True}) == {"epid1"}
    assert found({"col": "final", "opr": "eq", "value": False}) == EVERYONE - {"epid1"}


def test_the_api_names_the_employee_by_nip_and_name(
    client: FlaskClient, org: Org, rated: RatingRecords
) -> None:
    headers = api_token(client, "employee")
    body = client.get(f"/api/v1/rating/{rated.ratings.epid1.id}", headers=headers).get_json()
    result = body["result"]
    assert result["employee"] == {"nip": org.employees.epid1.nip, "name": "Epidemiolog Satu"}
    assert result["predikat"] == "baik"
    assert result["final"] is True


def test_my_rating_opens_ones_latest_rating(
    client: FlaskClient, org: Org, planning: Planning, rated: RatingRecords
) -> None:
    login(client, "employee")
    home = client.get("/").get_data(as_text=True)
    assert 'id="home-my-rating"' in home
    mine = client.get("/ratings/mine/")
    assert mine.status_code == 302
    assert mine.headers["Location"].endswith(f"/ratings/show/{rated.ratings.epid1.id}")
    # the supervisor's own, not one of their team's
    login(client, "supervisor")
    mine = client.get("/ratings/mine/")
    assert mine.headers["Location"].endswith(f"/ratings/show/{rated.ratings.kabid_p2p.id}")


def test_without_a_rating_my_rating_says_so(client: FlaskClient, org: Org) -> None:
    login(client, "employee")
    answer = client.get("/ratings/mine/?_l_=en", follow_redirects=True)
    assert answer.status_code == 200
    assert "You have no performance rating yet." in answer.get_data(as_text=True)


def test_the_operator_without_an_employee_record_has_no_rating_of_their_own(
    client: FlaskClient, org: Org, rated: RatingRecords
) -> None:
    login(client, "operator")
    assert 'id="home-my-rating"' not in client.get("/").get_data(as_text=True)
    assert client.get("/ratings/mine/").headers["Location"].endswith("/ratings/list/")


def test_my_rating_is_that_of_the_latest_period(
    client: FlaskClient, org: Org, planning: Planning, reporting: Reporting
) -> None:
    earlier = Period(year=2025, cadence="quarterly")
    save_period(earlier, SYSTEM)
    old_plan = approved_plan(org.employees.epid1, earlier, ["Laporan tahun lalu"])
    make_rating(old_plan, "sangat_baik", final=True)
    current = make_rating(reporting.plan, "baik")
    db.session.commit()
    login(client, "employee")
    assert client.get("/ratings/mine/").headers["Location"].endswith(f"/ratings/show/{current.id}")
