"""Every role on every resource and verb, in the screens and the API alike.

The same rows must be visible in the list, the CSV export and the API; a row outside the
person's scope answers 404 (never 403), so ids cannot be probed; writes need the manage scope.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

from tests.factories import Org, api_token, login

RESOURCES = {
    # resource: (screen route, api name, attribute of Org, key column in CSV/API)
    "unit": ("/units", "unit", "units", "code"),
    "position": ("/positions", "position", "positions", "code"),
    "employee": ("/employees", "employee", "employees", "nip"),
}

VISIBLE: dict[str, dict[str, set[str] | None]] = {
    # None means: every row.
    "admin": {"unit": None, "position": None, "employee": None},
    "integrator": {"unit": None, "position": None, "employee": None},
    "operator": {
        "unit": {"dinkes", "p2p", "surv", "yankes"},
        "position": {"kadinkes", "kabid_p2p", "kasi_surv", "epid", "kabid_yankes", "perawat"},
        "employee": {
            "kadinkes",
            "kabid_p2p",
            "kasi_surv",
            "epid1",
            "epid2",
            "kabid_yankes",
            "perawat",
        },
    },
    "supervisor": {
        "unit": {"p2p", "surv"},
        "position": {"kabid_p2p", "kasi_surv", "epid"},
        "employee": {"kabid_p2p", "kasi_surv", "epid1", "epid2"},
    },
    "employee": {
        "unit": {"surv"},
        "position": {"kasi_surv", "epid"},
        "employee": {"epid1"},
    },
}
# A row each role may change (None: none), and one outside everybody's reach but the admin's.
MANAGEABLE = {
    "admin": {"unit": "yankes", "position": "perawat", "employee": "perawat"},
    "operator": {"unit": "yankes", "position": "perawat", "employee": "perawat"},
}
OUTSIDE = {"unit": "dishub", "position": "penguji", "employee": "penguji"}
ROLES = ["admin", "integrator", "operator", "supervisor", "employee"]


def _rows(org: Org, resource: str) -> dict[str, Any]:
    return vars(getattr(org, RESOURCES[resource][2]))


def _keys(org: Org, resource: str, names: set[str] | None) -> set[str]:
    rows = _rows(org, resource)
    column = RESOURCES[resource][3]
    chosen = rows.values() if names is None else [rows[n] for n in names]
    return {getattr(row, column) for row in chosen}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", list(RESOURCES))
def test_screens_show_exactly_the_rows_in_scope(client, org: Org, role: str, resource: str) -> None:
    route, _api, _attr, key = RESOURCES[resource]
    expected = _keys(org, resource, VISIBLE[role][resource])
    login(client, role)

    listing = client.get(f"{route}/list/?psize_{resource.title()}View=100")
    assert listing.status_code == 200
    shown_ids = {
        int(i) for i in re.findall(rf'href="{route}/show/(\d+)"', listing.get_data(as_text=True))
    }
    by_id = {row.id: getattr(row, key) for row in _rows(org, resource).values()}
    assert {by_id[i] for i in shown_ids} == expected

    export = client.get(f"{route}/export/")
    assert export.status_code == 200
    table = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    exported = {line[0] for line in table[1:]}
    assert exported == expected

    inside = next(
        iter(VISIBLE[role][resource] or {"dinkes": None, "kadinkes": None, "epid1": None})
    )
    if resource == "unit" and VISIBLE[role][resource] is None:
        inside = "dinkes"
    elif resource == "position" and VISIBLE[role][resource] is None:
        inside = "kadinkes"
    elif resource == "employee" and VISIBLE[role][resource] is None:
        inside = "epid1"
    assert client.get(f"{route}/show/{_rows(org, resource)[inside].id}").status_code == 200
    outside_id = _rows(org, resource)[OUTSIDE[resource]].id
    expected_outside = 200 if VISIBLE[role][resource] is None else 404
    assert client.get(f"{route}/show/{outside_id}").status_code == expected_outside


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", list(RESOURCES))
def test_screens_allow_changes_only_within_the_manage_scope(
    client, org: Org, role: str, resource: str
) -> None:
    route = RESOURCES[resource][0]
    login(client, role)
    outside_id = _rows(org, resource)[OUTSIDE[resource]].id
    if role not in MANAGEABLE:
        assert client.get(f"{route}/add").status_code == 403
        assert client.get(f"{route}/edit/{outside_id}").status_code == 403
        assert client.post(f"{route}/delete/{outside_id}").status_code == 403
        return
    mine = _rows(org, resource)[MANAGEABLE[role][resource]].id
    assert client.get(f"{route}/add").status_code == 200
    assert client.get(f"{route}/edit/{mine}").status_code == 200
    expected = 200 if role == "admin" else 404
    assert client.get(f"{route}/edit/{outside_id}").status_code == expected
    if role == "operator":
        assert client.post(f"{route}/delete/{outside_id}").status_code == 404


def test_operator_cannot_edit_or_delete_their_own_top_unit(client, org: Org) -> None:
    login(client, "operator")
    assert client.get(f"/units/show/{org.units.dinkes.id}").status_code == 200
    assert client.get(f"/units/edit/{org.units.dinkes.id}").status_code == 404
    assert client.post(f"/units/delete/{org.units.dinkes.id}").status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", list(RESOURCES))
def test_api_shows_exactly_the_rows_in_scope(client, org: Org, role: str, resource: str) -> None:
    _route, api, _attr, key = RESOURCES[resource]
    headers = api_token(client, role)
    expected = _keys(org, resource, VISIBLE[role][resource])

    listing = client.get(f"/api/v1/{api}/?q=(page_size:100)", headers=headers)
    assert listing.status_code == 200
    assert {row[key] for row in listing.get_json()["result"]} == expected
    assert listing.get_json()["count"] == len(expected)

    outside_id = _rows(org, resource)[OUTSIDE[resource]].id
    expected_outside = 200 if VISIBLE[role][resource] is None else 404
    assert (
        client.get(f"/api/v1/{api}/{outside_id}", headers=headers).status_code == expected_outside
    )
    assert client.get(f"/api/v1/{api}/_info", headers=headers).status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", list(RESOURCES))
def test_api_allows_changes_only_within_the_manage_scope(
    client, org: Org, role: str, resource: str
) -> None:
    api = RESOURCES[resource][1]
    headers = api_token(client, role)
    outside_id = _rows(org, resource)[OUTSIDE[resource]].id
    if role not in MANAGEABLE:
        assert client.post(f"/api/v1/{api}/", json={}, headers=headers).status_code == 403
        assert (
            client.put(f"/api/v1/{api}/{outside_id}", json={}, headers=headers).status_code == 403
        )
        assert client.delete(f"/api/v1/{api}/{outside_id}", headers=headers).status_code == 403
        return
    mine = _rows(org, resource)[MANAGEABLE[role][resource]]
    changed = client.put(f"/api/v1/{api}/{mine.id}", json={"name": "Nama Baru"}, headers=headers)
    assert changed.status_code == 200, changed.get_json()
    expected = 200 if role == "admin" else 404
    response = client.put(f"/api/v1/{api}/{outside_id}", json={"name": "X"}, headers=headers)
    assert response.status_code == expected
    if role == "operator":
        assert client.delete(f"/api/v1/{api}/{outside_id}", headers=headers).status_code == 404


@pytest.mark.parametrize("resource", list(RESOURCES))
def test_anonymous_reaches_nothing(client, org: Org, resource: str) -> None:
    route, api, _attr, _key = RESOURCES[resource]
    assert client.get(f"{route}/list/").status_code == 302  # to the login page
    assert client.get(f"{route}/export/").status_code == 302
    assert client.get(f"/api/v1/{api}/").status_code == 401
    assert client.get(f"/api/v1/{api}/_info").status_code == 401


def test_related_choices_offer_only_the_operators_units(client, org: Org) -> None:
    login(client, "operator")
    for route in ("/employees/choices/unit/", "/positions/choices/unit/", "/units/choices/parent/"):
        offered = {row["text"] for row in client.get(route).get_json()["results"]}
        assert offered, route
        assert all("DINKES" in text for text in offered), (route, offered)


def test_api_info_offers_only_the_operators_units(client, org: Org) -> None:
    headers = api_token(client, "operator")
    info = client.get("/api/v1/employee/_info?q=(keys:!(add_columns))", headers=headers).get_json()
    unit_field = next(f for f in info["add_columns"] if f["name"] == "unit")
    offered = {value["value"] for value in unit_field["values"]}
    assert offered == {
        str(u) for u in (org.units.dinkes, org.units.p2p, org.units.surv, org.units.yankes)
    }
