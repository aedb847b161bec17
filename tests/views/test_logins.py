"""Logins in bulk, the first-login password change, and the Supervisor role kept in step."""

from __future__ import annotations

import re

from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import select

from kinerja.extensions import db
from kinerja.models.jobs import JobRun, JobStatus
from kinerja.models.org import Employee
from kinerja.models.security import KinerjaUser
from kinerja.security import roles
from tests.factories import Org, api_token, login


def _role_names(username: str) -> set[str]:
    db.session.expire_all()
    user = db.session.scalar(select(KinerjaUser).where(KinerjaUser.username == username))
    return {role.name for role in user.roles}


def test_create_logins_shows_one_time_passwords_once(client, org: Org) -> None:
    login(client, "operator")
    chosen = [org.employees.kasi_surv.id, org.employees.epid2.id, org.employees.kadishub.id]
    confirm = client.post(
        "/employees/action_post",
        data={"action": "create_logins", "rowid": [str(i) for i in chosen]},
    )
    assert confirm.status_code == 200
    page = confirm.get_data(as_text=True)
    assert org.employees.kasi_surv.nip not in page or "Kasi Surveilans Uji" in page
    assert "Kadishub Uji" not in page  # outside the operator's units: not even listed
    created = client.post(
        "/logins/create", data={"delivery": "show", "employee_id": [str(i) for i in chosen]}
    )
    assert created.status_code == 200
    assert created.headers["Cache-Control"] == "no-store"
    table = created.get_data(as_text=True)
    passwords = dict(re.findall(r"<td><code>(\d{18})</code></td><td><code>([^<]+)</code>", table))
    assert set(passwords) == {org.employees.kasi_surv.nip, org.employees.epid2.nip}
    db.session.expire_all()
    assert db.session.get(Employee, org.employees.kadishub.id).user_id is None

    # The one-time password works once: it must be changed at the first sign-in.
    nip = org.employees.kasi_surv.nip
    login(client, nip, passwords[nip])
    forced = client.get("/employees/list/")
    assert forced.status_code == 302 and "/resetmypassword/form" in forced.headers["Location"]
    changed = client.post(
        "/resetmypassword/form",
        data={
            "current_password": passwords[nip],
            "password": "Sandi-Baru-2026!",
            "conf_password": "Sandi-Baru-2026!",
        },
    )
    assert changed.status_code == 302
    assert client.get("/employees/list/").status_code == 200
    assert _role_names(nip) == {roles.EMPLOYEE, roles.SUPERVISOR}  # kasi supervises epid


def test_logins_emailed_by_the_background_job(client, org: Org, run_jobs, mailbox) -> None:
    login(client, "operator")
    chosen = [org.employees.epid2.id, org.employees.kadinkes.id]  # kadinkes has no email
    response = client.post(
        "/logins/create", data={"delivery": "email", "employee_id": [str(i) for i in chosen]}
    )
    assert response.status_code == 302
    run_jobs()
    assert [m["To"] for m in mailbox.messages] == ["epid2@uji.example"]
    body = mailbox.messages[0].get_content()
    assert f": {org.employees.epid2.nip}" in body  # the username is the NIP
    password = re.search(r"^Kata sandi sekali pakai: (\S+)\s*$", body, re.MULTILINE).group(1)
    run = db.session.scalar(select(JobRun).order_by(JobRun.id.desc()))
    assert run.status == JobStatus.SUCCEEDED and run.done == 1
    login(client, org.employees.epid2.nip, password)  # the mailed password signs in
    login(client, "operator")
    # A retry of the same run mails nobody twice.
    run.status = JobStatus.FAILED
    db.session.commit()
    assert client.post(f"/jobs/action/retry/{run.id}").status_code == 302
    run_jobs()
    db.session.expire_all()
    assert (run.status, run.attempts) == (JobStatus.SUCCEEDED, 2)
    assert len(mailbox.messages) == 1


def test_admin_reset_password_forces_a_change(client, org: Org) -> None:
    login(client, "admin")
    response = client.post(
        f"/resetpassword/form?pk={org.users.employee.id}",
        data={"password": "Sementara-123!", "conf_password": "Sementara-123!"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(KinerjaUser, org.users.employee.id).must_change_password


def test_supervisor_role_follows_the_position_tree(client, org: Org) -> None:
    headers = api_token(client, "admin")
    # The employee's position starts supervising the other epidemiologist's new position.
    created = client.post(
        "/api/v1/position/",
        headers=headers,
        json={
            "code": "EPID.ASISTEN",
            "name": "Asisten",
            "kind": "pelaksana",
            "unit": org.units.surv.id,
            "supervisor": org.positions.epid.id,
        },
    )
    assert created.status_code == 201, created.get_json()
    assert roles.SUPERVISOR in _role_names("employee")
    # Moving the employee to a position that supervises nobody withdraws the role.
    moved = client.put(
        f"/api/v1/employee/{org.employees.epid1.id}",
        headers=headers,
        json={"unit": org.units.yankes.id, "position": org.positions.perawat.id},
    )
    assert moved.status_code == 200, moved.get_json()
    assert roles.SUPERVISOR not in _role_names("employee")


def test_supervisor_role_is_granted_on_import(client, org: Org, tmp_path) -> None:
    from kinerja.security.policies import SYSTEM
    from kinerja.services.imports import ImportKind, ImportMode, import_file

    supervisor_role = db.session.scalar(select(Role).where(Role.name == roles.SUPERVISOR))
    org.users.supervisor.roles.remove(supervisor_role)
    db.session.commit()
    path = tmp_path / "p.csv"
    path.write_text(
        "kode,nama,jenis,kode_unit,kode_atasan\nP.BARU,Baru,pelaksana,DINKES.P2P,KABID.P2P\n"
    )
    import_file(path, "p.csv", ImportKind.POSITIONS, ImportMode.ALL_OR_NOTHING, SYSTEM)
    assert roles.SUPERVISOR in _role_names("supervisor")
