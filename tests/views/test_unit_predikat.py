"""A unit's own predikat: set per period by the supervisor of the unit's head or an Admin
(screen, API, use case), read by those following the unit; the suggested results of the
unit's head follow it, explained on the review page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from kinerja.domain.errors import ConflictError, FieldErrors
from kinerja.domain.planning import PeriodStatus
from kinerja.extensions import db
from kinerja.models.ratings import UnitRating
from kinerja.security.policies import SYSTEM, scope_for_user
from kinerja.services.ratings.units import set_unit_rating
from kinerja.services.reports import reports as service
from tests.factories import Org, Planning, Reporting, api_token, login, submitted_report


def _ratings() -> dict[str, str]:
    db.session.expire_all()
    return {r.unit.code: r.predikat.value for r in db.session.scalars(select(UnitRating))}


def test_only_the_heads_supervisor_or_an_admin_sets_a_units_predikat(
    org: Org, planning: Planning
) -> None:
    kabid = scope_for_user(org.users.supervisor)  # supervises the head of Seksi Surveilans
    rating, created = set_unit_rating(org.units.surv.id, planning.period.id, "baik", "", kabid)
    assert created and rating.set_by_id == org.users.supervisor.id and rating.note is None
    again, created = set_unit_rating(
        org.units.surv.id, planning.period.id, "istimewa", "PK tercapai", kabid
    )
    assert not created and again.id == rating.id
    for scope, unit in (
        (kabid, org.units.p2p),  # their own unit: the Kepala Dinas's to set
        (scope_for_user(org.users.operator), org.units.surv),
        (scope_for_user(org.users.employee), org.units.surv),
        (scope_for_user(planning.kasi), org.units.surv),  # the head does not rate their unit
    ):
        with pytest.raises(FieldErrors) as refused:
            set_unit_rating(unit.id, planning.period.id, "istimewa", None, scope)
        assert list(refused.value.errors) == ["unit"]
    set_unit_rating(org.units.dishub.id, planning.period.id, "kurang", None, SYSTEM)
    assert _ratings() == {"DINKES.P2P.SURV": "istimewa", "DISHUB": "kurang"}
    with pytest.raises(FieldErrors) as bad:
        set_unit_rating(org.units.surv.id, planning.period.id, "luar_biasa", "x" * 2001, kabid)
    assert set(bad.value.errors) == {"predikat", "note"}
    planning.period.status = PeriodStatus.CLOSED
    db.session.commit()
    with pytest.raises(ConflictError):
        set_unit_rating(org.units.surv.id, planning.period.id, "baik", None, kabid)


def test_the_unit_rating_resource(client, org: Org, planning: Planning) -> None:
    kabid = api_token(client, "supervisor")
    body = {"unit": org.units.surv.id, "period": planning.period.id, "predikat": "baik"}
    created = client.post("/api/v1/unit_rating/", headers=kabid, json=body)
    assert created.status_code == 201, created.get_json()
    rating_id = created.get_json()["id"]
    assert created.get_json()["result"]["predikat"] == "baik"
    changed = client.post(
        "/api/v1/unit_rating/", headers=kabid, json={**body, "predikat": "istimewa"}
    )
    assert changed.status_code == 200 and changed.get_json()["id"] == rating_id
    put = client.put(
        f"/api/v1/unit_rating/{rating_id}", headers=kabid, json={"note": "Perjanjian kinerja"}
    )
    assert put.status_code == 200, put.get_json()
    assert _ratings() == {"DINKES.P2P.SURV": "istimewa"}
    own_unit = client.post(
        "/api/v1/unit_rating/", headers=kabid, json={**body, "unit": org.units.p2p.id}
    )
    assert own_unit.status_code == 422 and list(own_unit.get_json()["fields"]) == ["unit"]
    unknown = client.post(
        "/api/v1/unit_rating/", headers=kabid, json={**body, "predikat": "luar_biasa"}
    )
    assert unknown.status_code == 422 and list(unknown.get_json()["fields"]) == ["predikat"]
    extra = client.post("/api/v1/unit_rating/", headers=kabid, json={**body, "score": 1})
    assert extra.status_code == 422 and "score" in extra.get_json()["fields"]
    for login_name in ("operator", "employee", "integrator"):
        headers = api_token(client, login_name)
        assert client.post("/api/v1/unit_rating/", headers=headers, json=body).status_code == 403
    listed = {
        name: client.get("/api/v1/unit_rating/", headers=api_token(client, name)).get_json()[
            "count"
        ]
        for name in ("admin", "integrator", "operator", "supervisor", "employee", "other")
    }
    assert listed == {
        "admin": 1,
        "integrator": 1,
        "operator": 1,
        "supervisor": 1,
        "employee": 0,
        "other": 0,
    }
    by_unit = client.get(
        f"/api/v1/unit_rating/?q=(filters:!((col:unit,opr:in_unit_tree,value:{org.units.dinkes.id})))",
        headers=api_token(client, "admin"),
    )
    assert by_unit.get_json()["count"] == 1


def test_the_unit_predikat_screen(client, org: Org, planning: Planning) -> None:
    login(client, "supervisor")
    page = client.get("/unit-ratings/?_l_=en").get_data(as_text=True)
    assert "Unit predikat" in page and planning.period.name in page
    forms = re.findall(r'<tr class="unit-(\d+)">(.*?)</tr>', page, re.S)
    assert {int(unit) for unit, row in forms if "set-unit-rating" in row} == {org.units.surv.id}
    assert "Kasi Surveilans Uji" in page  # the head
    saved = client.post(
        "/unit-ratings/set",
        data={
            "unit": org.units.surv.id,
            "period": planning.period.id,
            "predikat": "butuh_perbaikan",
            "note": "Capaian PK 80 %",
        },
    )
    assert saved.status_code == 302
    assert _ratings() == {"DINKES.P2P.SURV": "butuh_perbaikan"}
    shown = client.get(saved.headers["Location"] + "&_l_=en").get_data(as_text=True)
    assert "Needs improvement" in shown and "Capaian PK 80 %" in shown
    refused = client.post(
        "/unit-ratings/set?_l_=en",
        data={"unit": org.units.p2p.id, "period": planning.period.id, "predikat": "baik"},
    )
    assert refused.status_code == 302
    assert _ratings() == {"DINKES.P2P.SURV": "butuh_perbaikan"}

    login(client, "operator")
    page = client.get("/unit-ratings/").get_data(as_text=True)
    assert "set-unit-rating" not in page and "Seksi Surveilans" in page
    assert "Dinas Perhubungan" not in page
    assert client.post("/unit-ratings/set", data={"unit": org.units.surv.id}).status_code == 403
    login(client, "admin")
    page = client.get("/unit-ratings/?q=DISHUB").get_data(as_text=True)
    assert "Dinas Perhubungan" in page and "set-unit-rating" in page
    assert "Seksi Surveilans" not in page
    assert db.session.scalar(select(func.count()).select_from(UnitRating)) == 1


def test_the_heads_suggested_results_follow_the_unit_predikat(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    """The Kepala Seksi heads Seksi Surveilans: 3 of 3 due on both indicators suggests as
    expected until the unit is rated Istimewa (above) or Kurang (below); the
    epidemiologists of the unit keep the suggestion from their achievements."""
    report = service.start_report(planning.kasi_plan.id, reporting.q1.id, SYSTEM)
    service.save_report(report, {r.indicator_id: 3 for r in report.realizations}, SYSTEM)
    service.submit_report(report, SYSTEM)
    assert report.evaluation.suggested_results.value == "as_expected"
    staff = submitted_report(reporting, values=(3, 3))
    kabid = scope_for_user(org.users.supervisor)
    set_unit_rating(org.units.surv.id, planning.period.id, "istimewa", None, kabid)

    login(client, "supervisor")  # the Kepala Seksi's direct supervisor
    page = client.get(f"/report/{report.id}/?_l_=en").get_data(as_text=True)
    reason = re.search(r'id="suggestion-reason">(.*?)</span>', page, re.S).group(1)
    assert "“Outstanding” of Seksi Surveilans" in reason
    preview = client.post(f"/report/{report.id}/preview?_l_=en").get_json()
    assert preview["suggested_results"] == "above"
    assert "Seksi Surveilans" in preview["suggested_results_reason"]
    client.post(f"/report/{report.id}/evaluate", data={"decision": "save"})
    db.session.expire_all()
    assert report.evaluation.suggested_results.value == "above"
    set_unit_rating(org.units.surv.id, planning.period.id, "kurang", None, kabid)
    assert client.post(f"/report/{report.id}/preview").get_json()["suggested_results"] == "below"

    login(client, "kasi")  # an epidemiologist is no head: their achievements decide
    preview = client.post(f"/report/{staff.id}/preview").get_json()
    assert preview["suggested_results"] == "as_expected"
    assert preview["suggested_results_reason"] == ""
