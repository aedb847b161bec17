"""The audit trail: every change of an audited row leaves one entry with the values before
and after, in the same transaction; entries cannot be changed; only the Admin reads them."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from kinerja.domain.ratings import Level
from kinerja.domain.reporting import ReportStatus
from kinerja.extensions import db
from kinerja.models.audit import AuditEntry
from kinerja.models.jobs import JobRun
from kinerja.models.org import Employee
from kinerja.security.policies import SYSTEM, scope_for_user
from kinerja.services import audit
from kinerja.services import org as org_service
from kinerja.services.boundary import transaction
from kinerja.services.logins import create_logins
from kinerja.services.plans import lifecycle
from kinerja.services.reports import evaluations
from tests.factories import Org, Planning, Reporting, login, make_nip, submitted_report


def entries(table: str, row_id: int | None = None) -> list[AuditEntry]:
    db.session.expire_all()
    query = select(AuditEntry).where(AuditEntry.table_name == table).order_by(AuditEntry.id)
    if row_id is not None:
        query = query.where(AuditEntry.row_id == row_id)
    return list(db.session.scalars(query))


def test_creating_changing_and_deleting_an_employee_records_before_and_after(org: Org) -> None:
    actor = org.users.operator
    with audit.acting_as(actor.id, "test"):
        employee = Employee(
            nip=make_nip(), name="Rina Baru", unit=org.units.surv, position=org.positions.epid
        )
        org_service.save_employee(employee, SYSTEM)
        employee_id = employee.id
        employee.name = "Rina Marpaung"
        employee.email = "rina@uji.example"
        org_service.save_employee(employee, SYSTEM)
        org_service.delete_employee(employee, SYSTEM)

    created, changed, deleted = entries("employee", employee_id)
    assert created.action == "create" and created.changes["name"] == [None, "Rina Baru"]
    assert created.actor_id == actor.id and created.actor_name == "operator"
    assert created.via == "test"
    assert changed.action == "update"
    assert changed.changes == {
        "name": ["Rina Baru", "Rina Marpaung"],
        "email": [None, "rina@uji.example"],
    }
    assert deleted.action == "delete"
    assert deleted.changes["name"] == ["Rina Marpaung", None]
    assert deleted.changes["unit_id"] == [org.units.surv.id, None]
    assert "updated_at" not in changed.changes and "row_version" not in changed.changes


def test_creating_and_deleting_a_plan_records_the_plan_and_its_content(
    org: Org, planning: Planning
) -> None:
    with audit.acting_as(org.users.admin.id, "test"):
        plan = lifecycle.create_plan(org.employees.perawat.id, planning.period.id, SYSTEM)
        plan_id = plan.id
    (created,) = entries("work_plan", plan_id)
    assert created.action == "create"
    assert created.changes["employee_id"] == [None, org.employees.perawat.id]
    assert created.changes["status"] == [None, "draft"]
    with audit.acting_as(org.users.admin.id, "test"):
        lifecycle.delete_plan(db.session.get(type(plan), plan_id), SYSTEM)
    deleted = entries("work_plan", plan_id)[-1]
    assert deleted.action == "delete" and deleted.changes["status"] == ["draft", None]
    assert deleted.actor_name == "admin"


def test_an_evaluation_records_the_levels_before_and_after(
    org: Org, planning: Planning, reporting: Reporting
) -> None:
    report = submitted_report(reporting)
    assert report.status == ReportStatus.SUBMITTED
    scope = scope_for_user(planning.kasi)
    with audit.acting_as(planning.kasi.id, "test"):
        evaluations.save_evaluation(report, evaluations.Ratings(results=Level.AS_EXPECTED), scope)
        evaluations.save_evaluation(report, evaluations.Ratings(results=Level.ABOVE), scope)
    changes = [e.changes.get("results") for e in entries("evaluation") if e.action == "update"]
    assert changes[-1] == ["as_expected", "above"]
    assert entries("evaluation")[-1].actor_name == "kasi"


def test_a_rolled_back_change_leaves_no_entry(org: Org) -> None:
    before = len(entries("employee"))
    with pytest.raises(RuntimeError), transaction():
        org.employees.perawat.name = "Tidak Jadi"
        db.session.flush()
        assert len(entries("employee")) == before + 1  # written in the transaction…
        raise RuntimeError("refused")
    assert len(entries("employee")) == before  # …and gone with it
    assert db.session.get(Employee, org.employees.perawat.id).name != "Tidak Jadi"


def test_last_login_stamps_leave_no_entry(client, org: Org) -> None:
    before = len(entries("ab_user"))
    login(client, "employee")
    assert len(entries("ab_user")) == before


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_entry SET actor_name = 'someone'", "DELETE FROM audit_entry"]
)
def test_the_database_refuses_to_change_or_delete_entries(org: Org, statement: str) -> None:
    with audit.acting_as(None, "test"):
        org_service.save_employee(org.employees.perawat, SYSTEM)
        org.employees.perawat.name = "Perawat Diubah"
        org_service.save_employee(org.employees.perawat, SYSTEM)
    count = len(entries("employee"))
    assert count > 0
    with pytest.raises(DBAPIError, match="cannot be changed or deleted"):
        db.session.execute(text(statement))
    db.session.rollback()
    assert len(entries("employee")) == count
    assert all(e.actor_name != "someone" for e in entries("employee"))


def test_a_change_on_a_screen_names_its_actor(client, org: Org) -> None:
    login(client, "operator")
    employee = org.employees.perawat
    old_name = employee.name
    form = {
        "nip": employee.nip,
        "name": "Perawat Ganti Nama",
        "employment_type": "pns",
        "unit": employee.unit_id,
        "position": employee.position_id,
        "active": "y",
        "seen_version": str(employee.row_version),
    }
    response = client.post(
        f"/employees/edit/{employee.id}", data=form, headers={"X-Request-Id": "req-42"}
    )
    assert response.status_code == 302
    entry = entries("employee", employee.id)[-1]
    assert entry.actor_name == "operator" and entry.via == "screen"
    assert entry.request_id == "req-42"
    assert entry.changes["name"] == [old_name, "Perawat Ganti Nama"]


def test_only_the_admin_sees_the_audit_screen(client, org: Org) -> None:
    with audit.acting_as(org.users.admin.id, "test"):
        org.employees.perawat.name = "Perawat Teraudit"
        org_service.save_employee(org.employees.perawat, SYSTEM)
    entry_id = entries("employee")[-1].id
    login(client, "admin")
    page = client.get("/audit/list/?_l_=en")
    assert page.status_code == 200 and "Perawat Teraudit" in page.get_data(as_text=True)
    assert client.get(f"/audit/show/{entry_id}").status_code == 200
    assert client.get(f"/audit/edit/{entry_id}").status_code in (403, 404)
    assert client.post(f"/audit/delete/{entry_id}").status_code in (403, 404)
    for username in ("operator", "supervisor", "employee", "integrator"):
        login(client, username)
        assert client.get("/audit/list/").status_code == 403
        assert client.get(f"/audit/show/{entry_id}").status_code == 403
    assert len(entries("employee")) >= 1


def test_the_screen_searches_by_actor_record_and_date(client, org: Org) -> None:
    with audit.acting_as(org.users.operator.id, "test"):
        org.employees.perawat.name = "Dicari Operator"
        org_service.save_employee(org.employees.perawat, SYSTEM)
    with audit.acting_as(org.users.admin.id, "test"):
        org.employees.epid2.name = "Dicari Admin"
        org_service.save_employee(org.employees.epid2, SYSTEM)
    login(client, "admin")
    by_actor = client.get("/audit/list/?_flt_0_actor_name=operator").get_data(as_text=True)
    assert "Dicari Operator" in by_actor and "Dicari Admin" not in by_actor
    record = f"/audit/list/?_flt_0_table_name=employee&_flt_0_row_id={org.employees.epid2.id}"
    by_record = client.get(record).get_data(as_text=True)
    assert "Dicari Admin" in by_record and "Dicari Operator" not in by_record
    future = client.get("/audit/list/?_flt_1_at=2999-01-01 00:00:00").get_data(as_text=True)
    assert "Dicari Admin" not in future


def test_a_jobs_changes_are_recorded_as_made_by_its_starter(org: Org, run_jobs, mailbox) -> None:
    operator = scope_for_user(org.users.operator)
    batch = create_logins([org.employees.epid2.id], operator, "email")
    created = [e for e in entries("ab_user") if e.action == "create"][-1]
    assert created.changes["password"] == [None, "***"]  # a secret: never its value
    run = db.session.get(JobRun, batch.job_run_id)
    run.requested_by_id = org.users.operator.id  # as when started from the screen
    db.session.commit()
    run_jobs()
    by_job = [e for e in entries("ab_user") if (e.via or "").startswith("job:")]
    assert by_job, "the job changed the login (its new one-time password)"
    assert {e.actor_name for e in by_job} == {"operator"}
    assert all(e.changes.get("password") in (None, ["***", "***"]) for e in by_job)
