"""The optimistic version check: a second editor of an employee, a plan, a report or an
evaluation gets a conflict, on the screens and over the API, and nothing is overwritten."""

from __future__ import annotations

import re

from sqlalchemy import select

from kinerja.domain.planning import PlanStatus
from kinerja.domain.ratings import Level
from kinerja.extensions import db
from kinerja.models.org import Employee
from kinerja.models.planning import WorkPlan
from kinerja.models.reports import Evaluation, Report
from kinerja.security.policies import SYSTEM, scope_for_user
from kinerja.services import org as org_service
from kinerja.services.reports import evaluations
from kinerja.services.reports import reports as reporting_service
from tests.factories import Org, Planning, Reporting, api_token, login, submitted_report

CONFLICT = "Someone else changed this record while you were editing it"


def fresh(model: type, row_id: int) -> object:
    db.session.expire_all()
    return db.session.get(model, row_id)


def shown_version(page: str, name: str = "row_version") -> str:
    match = re.search(rf'name="{name}"[^>]*value="(\d+)"', page) or re.search(
        rf'id="{name}"[^>]*value="(\d+)"', page
    )
    assert match, f"no {name} in the page"
    return match.group(1)


def rename(employee_id: int, name: str) -> None:
    employee = db.session.get(Employee, employee_id)
    employee.name = name
    org_service.save_employee(employee, SYSTEM)


# --- screens ---------------------------------------------------------------------------


def _employee_form(employee: Employee, name: str, seen: str) -> dict[str, object]:
    return {
        "nip": employee.nip,
        "name": name,
        "employment_type": "pns",
        "unit": employee.unit_id,
        "position": employee.position_id,
        "active": "y",
        "seen_version": seen,
    }


def test_the_second_editor_of_an_employee_gets_a_conflict_in_the_form(client, org: Org) -> None:
    employee = org.employees.perawat
    login(client, "operator")
    seen = shown_version(
        client.get(f"/employees/edit/{employee.id}").get_data(as_text=True), "seen_version"
    )
    assert seen == "1"
    first = client.post(
        f"/employees/edit/{employee.id}", data=_employee_form(employee, "Editor Pertama", seen)
    )
    assert first.status_code == 302
    second = client.post(
        f"/employees/edit/{employee.id}?_l_=en",
        data=_employee_form(employee, "Editor Kedua", seen),
    )
    page = second.get_data(as_text=True)
    assert second.status_code == 200  # the form again, with the input kept
    assert CONFLICT in page and "Editor Kedua" in page
    saved = fresh(Employee, employee.id)
    assert saved.name == "Editor Pertama" and saved.row_version == 2


def test_a_stale_plan_step_is_refused_and_the_plan_left_alone(
    client, org: Org, reporting: Reporting
) -> None:
    plan_id = reporting.plan.id
    login(client, "employee")
    seen = shown_version(client.get(f"/plans/{plan_id}/").get_data(as_text=True))
    plan = db.session.get(WorkPlan, plan_id)
    plan.return_reason = "changed by someone else"  # any change moves the version on
    db.session.commit()
    response = client.post(
        f"/plans/{plan_id}/revise?_l_=en",
        data={"reason": "Target berubah", "row_version": seen},
        follow_redirects=True,
    )
    assert CONFLICT in response.get_data(as_text=True)
    assert fresh(WorkPlan, plan_id).status == PlanStatus.APPROVED


def test_a_stale_report_save_overwrites_nothing(client, org: Org, reporting: Reporting) -> None:
    report = reporting_service.start_report(
        reporting.plan.id, reporting.q1.id, scope_for_user(org.users.employee)
    )
    report_id = report.id
    login(client, "employee")
    seen = shown_version(client.get(f"/report/{report_id}/").get_data(as_text=True))
    report = db.session.get(Report, report_id)
    reporting_service.save_report(report, {}, SYSTEM, note="Catatan tab lain")
    response = client.post(
        f"/report/{report_id}/save?_l_=en",
        data={"note": "Catatan tab ini", "row_version": seen},
        follow_redirects=True,
    )
    assert CONFLICT in response.get_data(as_text=True)
    assert fresh(Report, report_id).note == "Catatan tab lain"


def test_a_second_evaluation_of_the_same_report_is_refused(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    report = submitted_report(reporting)
    report_id = report.id
    login(client, "kasi")
    page = client.get(f"/report/{report_id}/").get_data(as_text=True)
    seen_report = shown_version(page)
    seen_evaluation = shown_version(page, "evaluation_version")
    evaluations.save_evaluation(
        db.session.get(Report, report_id),
        evaluations.Ratings(results=Level.BELOW, feedback="Penilaian tab lain"),
        scope_for_user(planning.kasi),
    )
    response = client.post(
        f"/report/{report_id}/evaluate?_l_=en",
        data={
            "results": "above",
            "feedback": "Penilaian tab ini",
            "row_version": seen_report,
            "evaluation_version": seen_evaluation,
        },
        follow_redirects=True,
    )
    assert CONFLICT in response.get_data(as_text=True)
    db.session.expire_all()
    evaluation = db.session.scalar(select(Evaluation).where(Evaluation.report_id == report_id))
    assert evaluation.results == Level.BELOW and evaluation.feedback == "Penilaian tab lain"


# --- API -------------------------------------------------------------------------------


def _put(client, employee_id: int, headers: dict[str, str], name: str, **extra: str):
    return client.put(
        f"/api/v1/employee/{employee_id}",
        json={"name": name},
        headers={**headers, **extra},
    )


def test_the_api_answers_an_etag_and_refuses_a_stale_if_match(client, org: Org) -> None:
    employee_id = org.employees.perawat.id
    headers = api_token(client, "operator")
    shown = client.get(f"/api/v1/employee/{employee_id}", headers=headers)
    assert shown.status_code == 200 and shown.headers["ETag"] == '"1"'
    first = _put(client, employee_id, headers, "Lewat API", **{"If-Match": '"1"'})
    assert first.status_code == 200 and first.headers["ETag"] == '"2"'
    stale = _put(client, employee_id, headers, "Lewat API Basi", **{"If-Match": '"1"'})
    assert stale.status_code == 409
    body = stale.get_json()
    assert body["status"] == 409 and body["error"] == "conflict" and body["fields"] == {}
    assert fresh(Employee, employee_id).name == "Lewat API"
    assert (
        client.delete(
            f"/api/v1/employee/{employee_id}", headers={**headers, "If-Match": '"1"'}
        ).status_code
        == 409
    )
    assert fresh(Employee, employee_id) is not None


def test_a_put_without_if_match_is_still_accepted(client, org: Org) -> None:
    employee_id = org.employees.perawat.id
    rename(employee_id, "Diubah Orang Lain")
    headers = api_token(client, "operator")
    answer = _put(client, employee_id, headers, "Klien Lama")
    assert answer.status_code == 200
    assert fresh(Employee, employee_id).name == "Klien Lama"
    star = _put(client, employee_id, headers, "Klien Bintang", **{"If-Match": "*"})
    assert star.status_code == 200


def test_reports_plans_and_evaluations_carry_their_version(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    report = submitted_report(reporting)
    report_id, plan_id = report.id, reporting.plan.id
    evaluation_id = db.session.scalar(
        select(Evaluation.id).where(Evaluation.report_id == report_id)
    )
    admin = api_token(client, "admin")
    for path, row_id in (("report", report_id), ("work_plan", plan_id)):
        answer = client.get(f"/api/v1/{path}/{row_id}", headers=admin)
        assert (
            answer.headers["ETag"]
            == f'"{fresh(Report if path == "report" else WorkPlan, row_id).row_version}"'
        )
    assert evaluation_id is not None
    if evaluation_id:
        assert "ETag" in client.get(f"/api/v1/evaluation/{evaluation_id}", headers=admin).headers
    kasi = api_token(client, "kasi")
    stale = client.post(
        f"/api/v1/report/{report_id}/return",
        json={"reason": "Lengkapi bukti"},
        headers={**kasi, "If-Match": '"999"'},
    )
    assert stale.status_code == 409 and stale.get_json()["error"] == "conflict"
    assert fresh(Report, report_id).status.value == "submitted"
    current = client.get(f"/api/v1/report/{report_id}", headers=kasi).headers["ETag"]
    returned = client.post(
        f"/api/v1/report/{report_id}/return",
        json={"reason": "Lengkapi bukti"},
        headers={**kasi, "If-Match": current},
    )
    assert returned.status_code == 200 and returned.headers["ETag"] != current


def test_set_based_updates_bump_the_version(org: Org) -> None:
    employee_id = org.employees.perawat.id
    db.session.execute(Employee.update_by_id(), [{"row_id": employee_id, "phone": "0812"}])
    db.session.commit()
    assert fresh(Employee, employee_id).row_version == 2
