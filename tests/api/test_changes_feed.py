"""The change feed: every create, update and delete in commit order, with a cursor that
never skips nor repeats a change (even one committed late), tombstones for deletions (also
those of a foreign key's cascade and of set-based SQL), in the caller's scope."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import delete, select, text, update

from kinerja.extensions import db
from kinerja.models.changes import TRACKED, Change
from kinerja.models.org import Employee, Unit
from kinerja.models.planning import Indicator, Objective
from kinerja.security.policies import SYSTEM
from kinerja.services.org import delete_employee, save_employee
from tests.factories import Org, Planning, api_token, draft_plan, make_employee


def _read_all(client: FlaskClient, headers: dict[str, str], cursor: str = "0", **params: Any):
    """Every entry after ``cursor``, page by page; and the final cursor."""
    entries: list[dict[str, Any]] = []
    while True:
        answer = client.get(
            "/api/v1/changes", query_string={"cursor": cursor, **params}, headers=headers
        )
        assert answer.status_code == 200, answer.get_json()
        body = answer.get_json()
        entries += body["changes"]
        assert int(body["next_cursor"]) >= int(cursor)
        cursor = body["next_cursor"]
        if not body["has_more"]:
            return entries, cursor


def test_creates_updates_and_deletes_come_in_commit_order_with_tombstones(
    client: FlaskClient, org: Org
) -> None:
    headers = api_token(client, "integrator")
    _, cursor = _read_all(client, headers)
    employee = make_employee("Baru Sekali", org.positions.perawat)
    db.session.commit()
    employee.name = "Baru Diubah"
    save_employee(employee, SYSTEM)
    employee_id = employee.id

    entries, cursor = _read_all(client, headers, cursor, resources="employee")
    assert [(e["id"], e["op"]) for e in entries] == [
        (employee_id, "create"),
        (employee_id, "update"),
    ]
    assert entries[0]["seq"] < entries[1]["seq"]
    assert entries[0]["data"]["name"] == "Baru Diubah"  # every entry shows the row as it is
    delete_employee(employee, SYSTEM)
    entries, _ = _read_all(client, headers, cursor, resources="employee")
    assert entries == [
        {
            "seq": entries[0]["seq"],
            "resource": "employee",
            "id": employee_id,
            "op": "delete",
            "changed_at": entries[0]["changed_at"],
            "data": None,
        }
    ]


def test_changes_of_a_row_since_deleted_are_left_out_before_its_tombstone(
    client: FlaskClient, org: Org
) -> None:
    headers = api_token(client, "integrator")
    _, cursor = _read_all(client, headers)
    employee = make_employee("Sebentar", org.positions.perawat)
    db.session.commit()
    employee_id = employee.id
    delete_employee(employee, SYSTEM)
    entries, _ = _read_all(client, headers, cursor)
    assert [(e["id"], e["op"]) for e in entries] == [(employee_id, "delete")]


def test_an_entry_carries_the_row_as_its_resource_shows_it(client: FlaskClient, org: Org) -> None:
    headers = api_token(client, "integrator")
    _, cursor = _read_all(client, headers)
    org.employees.epid2.name = "Epidemiolog Kedua"
    save_employee(org.employees.epid2, SYSTEM)

    (entry,), _ = _read_all(client, headers, cursor)
    shown = client.get(f"/api/v1/employee/{org.employees.epid2.id}", headers=headers)
    assert (entry["resource"], entry["id"], entry["op"]) == (
        "employee",
        org.employees.epid2.id,
        "update",
    )
    assert entry["data"] == shown.get_json()["result"]
    assert entry["data"]["name"] == "Epidemiolog Kedua"


def test_a_change_committed_late_comes_after_the_cursor_and_is_never_skipped(
    app, client: FlaskClient, org: Org
) -> None:
    """Transaction A writes first and commits last: its change is numbered after B's, so
    a reader who already went past B's still receives it."""
    headers = api_token(client, "integrator")
    _, cursor = _read_all(client, headers)
    late = db.engine.connect()
    transaction = late.begin()
    late.execute(update(Unit).where(Unit.id == org.units.dishub.id).values(name="Dishub Baru"))
    org.units.yankes.name = "Yankes Baru"
    db.session.commit()

    first, cursor = _read_all(client, headers, cursor)
    assert [(e["resource"], e["id"]) for e in first] == [("unit", org.units.yankes.id)]
    transaction.commit()
    late.close()
    second, _ = _read_all(client, headers, cursor)
    assert [(e["resource"], e["id"]) for e in second] == [("unit", org.units.dishub.id)]
    assert second[0]["seq"] > first[0]["seq"]
    assert second[0]["data"]["name"] == "Dishub Baru"


def test_a_rolled_back_change_leaves_no_entry(client: FlaskClient, org: Org) -> None:
    headers = api_token(client, "integrator")
    _, cursor = _read_all(client, headers)
    org.units.yankes.name = "Tidak Jadi"
    db.session.flush()
    db.session.rollback()
    entries, after = _read_all(client, headers, cursor)
    assert entries == [] and after == cursor


def test_rows_removed_by_a_cascade_and_by_set_based_sql_get_tombstones(
    client: FlaskClient, org: Org, planning: Planning
) -> None:
    plan_id = draft_plan(org.employees.epid2, planning.period, ["Satu", "Dua"]).id
    db.session.commit()
    objective_ids = set(
        db.session.scalars(select(Objective.id).where(Objective.work_plan_id == plan_id))
    )
    indicator_ids = set(
        db.session.scalars(select(Indicator.id).where(Indicator.objective_id.in_(objective_ids)))
    )
    headers = api_token(client, "integrator")
    _, cursor = _read_all(client, headers)
    db.session.execute(text("DELETE FROM work_plan WHERE id = :id"), {"id": plan_id})
    db.session.commit()

    entries, _ = _read_all(client, headers, cursor)
    deleted = {(e["resource"], e["id"]) for e in entries if e["op"] == "delete"}
    assert deleted == {
        ("work_plan", plan_id),
        *(("objective", i) for i in objective_ids),
        *(("indicator", i) for i in indicator_ids),
    }
    # the scope keys survive the cascade: the owner's supervisor still sees the tombstones
    supervisor = api_token(client, "supervisor")
    seen, _ = _read_all(client, supervisor, cursor)
    assert {(e["resource"], e["id"]) for e in seen} == deleted


def test_each_person_sees_the_changes_of_the_rows_they_may_read(
    client: FlaskClient, org: Org
) -> None:
    tokens = {name: api_token(client, name) for name in ("employee", "operator", "other")}
    cursors = {name: _read_all(client, token)[1] for name, token in tokens.items()}
    org.employees.epid1.phone = "0811"  # the employee's own record, in Dinkes
    org.employees.penguji.phone = "0812"  # Dishub
    gone = make_employee("Pindahan", org.positions.perawat)  # Dinkes, then deleted
    db.session.commit()
    gone_id = gone.id
    db.session.execute(delete(Employee).where(Employee.id == gone_id))
    db.session.commit()

    def seen(name: str) -> set[tuple[int, str]]:
        entries, _ = _read_all(client, tokens[name], cursors[name], resources="employee")
        return {(e["id"], e["op"]) for e in entries}

    epid1, penguji = org.employees.epid1.id, org.employees.penguji.id
    assert seen("employee") == {(epid1, "update")}
    assert seen("other") == {(penguji, "update")}
    assert seen("operator") == {(epid1, "update"), (gone_id, "delete")}


def test_bad_parameters_are_named(client: FlaskClient, org: Org) -> None:
    headers = api_token(client, "integrator")
    answer = client.get(
        "/api/v1/changes?cursor=abc&limit=5000&resources=employee,nope&colour=red",
        headers=headers,
    )
    assert answer.status_code == 422
    assert set(answer.get_json()["fields"]) == {"cursor", "limit", "resources", "colour"}
    assert client.get("/api/v1/changes").status_code == 401


def test_a_page_never_repeats_and_the_cursor_moves_past_unseen_changes(
    client: FlaskClient, org: Org
) -> None:
    headers = api_token(client, "integrator")
    everything, _ = _read_all(client, headers)
    paged, _ = _read_all(client, headers, limit=3)
    assert [e["seq"] for e in paged] == [e["seq"] for e in everything]
    assert len({e["seq"] for e in paged}) == len(paged)
    employee = api_token(client, "employee")
    first = client.get("/api/v1/changes?limit=1", headers=employee).get_json()
    assert first["next_cursor"] == str(everything[0]["seq"])  # moved although unseen


def test_every_tracked_table_has_its_triggers(app) -> None:
    names = set(
        db.session.scalars(
            text("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'record_change_%'")
        )
    )
    for tracked in TRACKED:
        for event in ("insert", "update", "delete"):
            assert f"record_change_{tracked.table}_{event}" in names
    assert db.session.scalar(select(Change.id).where(Change.seq.is_(None))) is None
