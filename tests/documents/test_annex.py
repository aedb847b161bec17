"""The lampiran of a plan: written on its screen and over the API by whoever may write the
plan, while it is editable; numbering typed by the owner is dropped; a part too long or
with too many items is refused with a message naming it, and nothing is kept."""

from __future__ import annotations

from kinerja.domain.annex import MAX_ITEMS
from kinerja.extensions import db
from kinerja.models.planning import WorkPlan
from tests.factories import Org, Planning, api_token, draft_plan, login


def _plan(plan_id: int) -> WorkPlan:
    db.session.expire_all()
    return db.session.get(WorkPlan, plan_id)


def _draft(org: Org, planning: Planning) -> WorkPlan:
    plan = draft_plan(org.employees.epid1, planning.period, ["Laporan surveilans mingguan"])
    db.session.commit()
    return plan


def test_the_owner_writes_the_lampiran_on_its_screen(client, org: Org, planning: Planning) -> None:
    plan = _draft(org, planning)
    login(client, "employee")
    page = client.get(f"/plans/{plan.id}/").get_data(as_text=True)
    assert f"/plans/{plan.id}/annex" in page
    saved = client.post(
        f"/plans/{plan.id}/annex",
        data={
            "resource_support": "1. Laptop\n\n2)  Akses   internet\n",
            "accountability": "- Laporan triwulan",
            "consequences": "",
        },
    )
    assert saved.status_code == 302
    kept = _plan(plan.id)
    assert (kept.resource_support, kept.accountability, kept.consequences) == (
        "Laptop\nAkses internet",
        "Laporan triwulan",
        None,
    )
    shown = client.get(f"/plans/{plan.id}/").get_data(as_text=True)
    assert "<li>Akses internet</li>" in shown


def test_a_lampiran_too_long_is_refused_beside_its_field(
    client, org: Org, planning: Planning
) -> None:
    plan = _draft(org, planning)
    login(client, "employee")
    many = "\n".join(f"Butir {n}" for n in range(MAX_ITEMS + 1))
    answer = client.post(
        f"/plans/{plan.id}/annex?_l_=id",
        data={"resource_support": many, "accountability": "x" * 501, "consequences": "Baik"},
    )
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    english = "At most 20 items, one a line (21 given)." in page
    assert english or "Paling banyak 20 butir" in page
    long_item = "Item 1 is longer than 500 characters."
    assert long_item in page or "Butir 1 lebih dari 500 karakter." in page
    assert "Butir 20" in page  # what was typed stays in the form
    kept = _plan(plan.id)
    assert (kept.resource_support, kept.accountability, kept.consequences) == (None, None, None)


def test_only_who_may_write_an_editable_plan_reaches_the_lampiran(
    client, org: Org, planning: Planning
) -> None:
    plan = _draft(org, planning)
    login(client, "other")  # another OPD's employee: the plan is out of reach
    assert client.get(f"/plans/{plan.id}/annex").status_code == 404
    assert client.post(f"/plans/{plan.id}/annex", data={"consequences": "x"}).status_code == 404
    login(client, "kasi")  # the supervisor reads the plan but does not write it
    assert client.get(f"/plans/{plan.id}/annex").status_code == 403
    login(client, "supervisor")
    approved = planning.kabid_plan  # one's own, but approved: locked until a revision
    assert client.get(f"/plans/{approved.id}/annex").status_code == 403
    assert _plan(plan.id).consequences is None


def test_the_api_shows_and_writes_the_lampiran(client, org: Org, planning: Planning) -> None:
    plan = _draft(org, planning)
    headers = api_token(client, "employee")
    url = f"/api/v1/work_plan/{plan.id}/annex"
    written = client.put(url, json={"consequences": "1. Tunjangan sesuai capaian"}, headers=headers)
    assert written.status_code == 200, written.get_json()
    assert written.get_json()["result"]["consequences"] == "Tunjangan sesuai capaian"
    shown = client.get(f"/api/v1/work_plan/{plan.id}", headers=headers).get_json()["result"]
    assert shown["consequences"] == "Tunjangan sesuai capaian"
    assert shown["resource_support"] is None  # a part left out is not changed

    too_long = client.put(url, json={"accountability": "x" * 501}, headers=headers)
    assert too_long.status_code == 422
    assert "accountability" in str(too_long.get_json())
    unknown = client.put(url, json={"lampiran": "x"}, headers=headers)
    assert unknown.status_code == 422 and "lampiran" in str(unknown.get_json())
    wrong_type = client.put(url, json={"consequences": 5}, headers=headers)
    assert wrong_type.status_code == 422 and "consequences" in str(wrong_type.get_json())

    locked = f"/api/v1/work_plan/{planning.kasi_plan.id}/annex"
    kasi = api_token(client, "kasi")
    assert client.put(locked, json={"consequences": "x"}, headers=kasi).status_code == 409
    other = api_token(client, "other")
    assert client.put(url, json={"consequences": "x"}, headers=other).status_code == 404
    assert _plan(plan.id).consequences == "Tunjangan sesuai capaian"
