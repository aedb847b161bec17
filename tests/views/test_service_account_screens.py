"""The Admin's service-account screens: create, issue a key shown once, revoke, disable."""

from __future__ import annotations

import re
from typing import Any

from flask_appbuilder.security.sqla.models import ApiKey

from kinerja.extensions import db
from kinerja.models.service_accounts import ServiceAccount
from tests.factories import Org, login


def _create(client: Any, username: str = "payroll") -> Any:
    return client.post(
        "/service-accounts/?_l_=en",
        data={"username": username, "name": "Payroll TPP", "role": "Integrator", "note": "BPKAD"},
    )


def _issue(client: Any, account_id: int) -> str:
    page = client.post(f"/service-accounts/{account_id}/keys", data={"name": "prod"})
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    found = re.search(r'id="issued-key">(knj_[^<]+)<', page.get_data(as_text=True))
    assert found is not None
    return found.group(1)


def _api(client: Any, key: str) -> int:
    return int(client.get("/api/v1/unit/", headers={"Authorization": f"Bearer {key}"}).status_code)


def test_the_admin_creates_an_account_and_issues_a_key_shown_once(client, org: Org) -> None:
    login(client, "admin")
    created = _create(client)
    assert created.status_code == 302
    account = db.session.query(ServiceAccount).one()
    assert created.headers["Location"].endswith(f"/service-accounts/{account.id}")
    key = _issue(client, account.id)
    assert _api(client, key) == 200
    detail = client.get(f"/service-accounts/{account.id}?_l_=en").get_data(as_text=True)
    assert key not in detail and "prod" in detail
    listing = client.get("/service-accounts/?_l_=en").get_data(as_text=True)
    assert "payroll" in listing and "BPKAD" in listing


def test_a_bad_username_is_said_beside_the_field(client, org: Org) -> None:
    login(client, "admin")
    refused = _create(client, "a b")
    assert refused.status_code == 422
    assert "help-block" in refused.get_data(as_text=True)
    assert db.session.query(ServiceAccount).count() == 0


def test_revoking_and_disabling_on_screen_stop_the_key(client, org: Org) -> None:
    login(client, "admin")
    _create(client)
    account = db.session.query(ServiceAccount).one()
    first = _issue(client, account.id)
    second = _issue(client, account.id)
    first_id = db.session.query(ApiKey.id).order_by(ApiKey.id).limit(1).scalar()
    client.post(f"/service-accounts/{account.id}/keys/{first_id}/revoke")
    assert (_api(client, first), _api(client, second)) == (401, 200)
    client.post(f"/service-accounts/{account.id}/active", data={"active": "0"})
    assert _api(client, second) == 401
    client.post(f"/service-accounts/{account.id}/active", data={"active": "1"})
    assert _api(client, second) == 200


def test_rotating_on_screen_leaves_only_the_new_key(client, org: Org) -> None:
    login(client, "admin")
    _create(client)
    account = db.session.query(ServiceAccount).one()
    old = _issue(client, account.id)
    page = client.post(f"/service-accounts/{account.id}/rotate", data={"name": "rotated"})
    new = re.search(r'id="issued-key">(knj_[^<]+)<', page.get_data(as_text=True)).group(1)
    assert (_api(client, old), _api(client, new)) == (401, 200)


def test_nobody_but_the_admin_reaches_the_screens(client, org: Org) -> None:
    login(client, "operator")
    assert client.get("/service-accounts/").status_code in (302, 403)
    assert _create(client).status_code in (302, 403)
    assert db.session.query(ServiceAccount).count() == 0
