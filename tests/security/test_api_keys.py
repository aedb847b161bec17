"""Service accounts reach the API with their keys: scoped like their role, ended at once by
a revocation, a rotation or a deactivation, their last use noted cheaply."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask_appbuilder.security.sqla.models import ApiKey
from sqlalchemy import update

from kinerja.domain.errors import FieldErrors, NotFoundError
from kinerja.extensions import db
from kinerja.security import apikeys, roles
from kinerja.security.policies.scope import SYSTEM, scope_for_user
from kinerja.services import service_accounts as accounts
from tests.factories import Org, api_token


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _payroll() -> tuple[int, str]:
    account = accounts.create_service_account(SYSTEM, "payroll", roles.INTEGRATOR, "TPP")
    issued = accounts.issue_key(SYSTEM, account.id, "tpp-prod")
    return account.id, issued.key


def _status(client: Any, key: str, path: str = "/api/v1/employee/") -> int:
    return int(client.get(path, headers=_bearer(key)).status_code)


def test_a_key_reads_every_resource_like_its_role(client, org: Org) -> None:
    _, key = _payroll()
    assert key.startswith("knj_")
    employees = client.get("/api/v1/employee/?q=(page_size:100)", headers=_bearer(key))
    assert employees.status_code == 200
    assert employees.get_json()["count"] == len(vars(org.employees))
    for resource in ("unit", "position", "period", "report", "evaluation", "unit_rating"):
        assert _status(client, key, f"/api/v1/{resource}/") == 200, resource


def test_an_integrator_key_cannot_write(client, org: Org) -> None:
    _, key = _payroll()
    response = client.post(
        "/api/v1/unit/", headers=_bearer(key), json={"code": "X1", "name": "Unit X"}
    )
    body = response.get_json()
    assert response.status_code == 403
    assert (body["status"], body["error"], body["fields"]) == (403, "forbidden", {})
    removed = client.delete(f"/api/v1/unit/{org.units.yankes.id}", headers=_bearer(key))
    assert removed.status_code == 403


def test_an_unknown_key_answers_401_in_the_shape(client, org: Org) -> None:
    response = client.get("/api/v1/unit/", headers=_bearer("knj_" + "x" * 43))
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"


def test_revoking_a_key_stops_it_at_once(client, org: Org) -> None:
    account_id, key = _payroll()
    assert _status(client, key) == 200
    key_id = db.session.query(ApiKey.id).filter(ApiKey.name == "tpp-prod").scalar()
    accounts.revoke_key(SYSTEM, account_id, key_id)
    assert _status(client, key) == 401


def test_rotating_keys_stops_the_old_one_and_starts_the_new(client, org: Org) -> None:
    account_id, old = _payroll()
    assert _status(client, old) == 200
    new = accounts.rotate_keys(SYSTEM, account_id, "tpp-prod-2").key
    assert _status(client, old) == 401
    assert _status(client, new) == 200


def test_disabling_the_account_stops_its_keys_at_once(client, org: Org) -> None:
    account_id, key = _payroll()
    assert _status(client, key) == 200
    accounts.set_active(SYSTEM, account_id, False)
    assert _status(client, key) == 401
    accounts.set_active(SYSTEM, account_id, True)
    assert _status(client, key) == 200


def test_last_use_is_noted_at_most_once_a_minute(client, org: Org) -> None:
    _, key = _payroll()
    assert _status(client, key) == 200
    db.session.expire_all()
    first = db.session.query(ApiKey).filter(ApiKey.name == "tpp-prod").one().last_used_on
    assert first is not None
    assert _status(client, key) == 200
    db.session.expire_all()
    again = db.session.query(ApiKey).filter(ApiKey.name == "tpp-prod").one().last_used_on
    assert again == first  # within the minute: not written again
    an_hour_ago = first - timedelta(hours=1)
    with db.engine.begin() as connection:
        connection.execute(update(ApiKey.__table__).values(last_used_on=an_hour_ago))
    assert _status(client, key) == 200
    db.session.expire_all()
    later = db.session.query(ApiKey).filter(ApiKey.name == "tpp-prod").one().last_used_on
    assert later is not None and later > an_hour_ago + timedelta(minutes=59)


def test_a_service_account_cannot_sign_in_with_a_password(client, org: Org) -> None:
    _payroll()
    response = client.post(
        "/api/v1/security/login",
        json={"username": "payroll", "password": "anything", "provider": "db"},
    )
    assert response.status_code == 401


def test_only_the_admin_manages_service_accounts(client, org: Org) -> None:
    operator = scope_for_user(org.users.operator)
    with pytest.raises(NotFoundError):
        accounts.create_service_account(operator, "sneaky", roles.INTEGRATOR)
    account_id, _ = _payroll()
    with pytest.raises(NotFoundError):
        accounts.issue_key(operator, account_id)
    assert accounts.list_accounts(operator) == []
    assert [a.username for a in accounts.list_accounts(SYSTEM)] == ["payroll"]


def test_a_service_account_holds_no_writing_role(client, org: Org) -> None:
    for role in (roles.ADMIN, roles.OPERATOR, roles.EMPLOYEE):
        with pytest.raises(FieldErrors) as refused:
            accounts.create_service_account(SYSTEM, f"svc-{role.lower()}", role)
        assert list(refused.value.errors) == ["role"]


def test_the_username_must_be_new_and_plain(client, org: Org) -> None:
    _payroll()
    for name in ("payroll", "admin", "a b", ""):
        with pytest.raises(FieldErrors) as refused:
            accounts.create_service_account(SYSTEM, name, roles.INTEGRATOR)
        assert list(refused.value.errors) == ["username"]


def test_a_person_gets_no_key_from_the_cli(app, org: Org) -> None:
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["kinerja", "apikey", "create", "--user", "admin"])
    assert refused.exit_code != 0 and "not a service account" in refused.output


def test_the_cli_creates_the_account_and_prints_a_working_key(app, client, org: Org) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["kinerja", "apikey", "create", "--user", "dashboard"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert key.startswith("knj_")
    assert _status(client, key) == 200
    db.session.expire_all()
    stored = db.session.query(ApiKey).one()
    assert key not in (stored.key_hash, stored.lookup_hash)
    assert stored.lookup_hash == apikeys.lookup_hash(key)
    second = runner.invoke(args=["kinerja", "apikey", "create", "--user", "dashboard"])
    assert second.exit_code == 0 and second.output.strip().splitlines()[-1] != key


def test_a_jwt_still_works_beside_keys(client, org: Org) -> None:
    headers = api_token(client, "integrator")
    assert client.get("/api/v1/unit/", headers=headers).status_code == 200
