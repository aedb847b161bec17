"""Sessions and tokens end with what ended them: signing out, a password change (one's own
or by an Admin), a role change and a deactivation end every session and token issued before."""

from __future__ import annotations

from typing import Any

from kinerja.extensions import db
from kinerja.models.security import KinerjaUser
from kinerja.security import roles
from tests.factories import PASSWORD, Org, api_token, login
from tests.security.helpers import API_PROBE, bearer, edit_login, tokens

NEW_PASSWORD = "sepeda ontel kakek 1975"


def _refresh(client: Any, refresh_token: str) -> Any:
    return client.post("/api/v1/security/refresh", headers=bearer(refresh_token))


def _change_own_password(client: Any, current: str, new: str) -> Any:
    return client.post(
        "/resetmypassword/form",
        data={"current_password": current, "password": new, "conf_password": new},
    )


def test_token_issued_before_an_own_password_change_is_refused(client, org: Org) -> None:
    headers = api_token(client, "integrator")
    assert client.get(API_PROBE, headers=headers).status_code == 200
    login(client, "integrator")
    assert _change_own_password(client, PASSWORD, NEW_PASSWORD).status_code == 302
    response = client.get(f"{API_PROBE}?_l_=en", headers=headers)
    assert response.status_code == 401
    assert "sign in again" in response.get_json()["message"]


def test_refresh_token_is_refused_after_a_password_change(client, org: Org) -> None:
    issued = tokens(client, "integrator", PASSWORD)
    assert _refresh(client, issued["refresh_token"]).status_code == 200
    login(client, "integrator")
    assert _change_own_password(client, PASSWORD, NEW_PASSWORD).status_code == 302
    assert _refresh(client, issued["refresh_token"]).status_code == 401
    renewed = tokens(client, "integrator", NEW_PASSWORD)
    fresh = _refresh(client, renewed["refresh_token"])
    assert fresh.status_code == 200
    assert (
        client.get(API_PROBE, headers=bearer(fresh.get_json()["access_token"])).status_code == 200
    )


def test_password_set_by_an_admin_ends_the_owners_tokens(client, org: Org) -> None:
    issued = tokens(client, "integrator", PASSWORD)
    login(client, "admin")
    response = client.post(
        f"/resetpassword/form?pk={org.users.integrator.id}",
        data={"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(API_PROBE, headers=bearer(issued["access_token"])).status_code == 401
    assert _refresh(client, issued["refresh_token"]).status_code == 401


def test_own_password_change_keeps_this_session_and_ends_the_others(
    client, other_device, org: Org
) -> None:
    login(other_device, "employee")
    login(client, "employee")
    assert _change_own_password(client, PASSWORD, NEW_PASSWORD).status_code == 302
    assert client.get("/users/userinfo/").status_code == 200
    assert "/login/" in other_device.get("/users/userinfo/").headers.get("Location", "")


def test_session_cookie_replayed_after_logout_is_refused(client, org: Org) -> None:
    login(client, "employee")
    assert client.get("/users/userinfo/").status_code == 200
    saved = client.get_cookie("session").value
    client.get("/logout/")
    client.set_cookie("session", saved)
    replayed = client.get("/users/userinfo/")
    assert replayed.status_code == 302 and "/login/" in replayed.headers["Location"]


def test_logout_ends_the_tokens_too(client, org: Org) -> None:
    headers = api_token(client, "integrator")
    login(client, "integrator")
    client.get("/logout/")
    assert client.get(API_PROBE, headers=headers).status_code == 401


def test_role_change_ends_the_tokens(client, org: Org) -> None:
    issued = tokens(client, "integrator", PASSWORD)
    login(client, "admin")
    changed = edit_login(client, org.users.integrator, roles=[roles.INTEGRATOR, roles.EMPLOYEE])
    assert changed.status_code == 302
    assert client.get(API_PROBE, headers=bearer(issued["access_token"])).status_code == 401
    assert _refresh(client, issued["refresh_token"]).status_code == 401


def test_admin_changing_their_own_roles_stays_signed_in(client, other_device, org: Org) -> None:
    login(other_device, "admin")
    login(client, "admin")
    changed = edit_login(client, org.users.admin, roles=[roles.ADMIN, roles.EMPLOYEE])
    assert changed.status_code == 302
    assert client.get("/users/list/").status_code == 200
    assert "/login/" in other_device.get("/users/list/").headers.get("Location", "")


def test_saving_a_login_unchanged_keeps_its_tokens(client, org: Org) -> None:
    headers = api_token(client, "integrator")
    login(client, "admin")
    assert edit_login(client, org.users.integrator).status_code == 302
    assert client.get(API_PROBE, headers=headers).status_code == 200


def test_deactivation_ends_the_tokens_for_good(client, org: Org) -> None:
    """Reactivating the login does not bring back what was issued before."""
    issued = tokens(client, "integrator", PASSWORD)
    login(client, "admin")
    assert edit_login(client, org.users.integrator, active=False).status_code == 302
    db.session.expire_all()
    integrator = db.session.get(KinerjaUser, org.users.integrator.id)
    assert integrator is not None and not integrator.active
    assert edit_login(client, integrator, active=True).status_code == 302
    assert client.get(API_PROBE, headers=bearer(issued["access_token"])).status_code == 401
    assert _refresh(client, issued["refresh_token"]).status_code == 401
