"""A one-time password opens the screens only, to be changed there: the API refuses it, for
signing in and for every call, until it is changed."""

from __future__ import annotations

from kinerja.extensions import db
from kinerja.models.security import KinerjaUser
from tests.factories import PASSWORD, Org, api_token, login, make_user
from tests.security.helpers import API_PROBE, edit_login

NEW_PASSWORD = "kopi tubruk di pagi hari"


def _one_time_login() -> KinerjaUser:
    user = make_user("baru", "Integrator", must_change_password=True)
    db.session.commit()
    return user


def test_api_sign_in_is_refused_until_the_password_is_changed(client, org: Org) -> None:
    _one_time_login()
    refused = client.post(
        "/api/v1/security/login?_l_=en",
        json={"username": "baru", "password": PASSWORD, "provider": "db", "refresh": True},
    )
    assert refused.status_code == 403
    body = refused.get_json()
    assert "access_token" not in body and "refresh_token" not in body
    assert "password must be changed" in body["message"]

    login(client, "baru")
    changed = client.post(
        "/resetmypassword/form",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "conf_password": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302
    headers = api_token(client, "baru", NEW_PASSWORD)
    assert client.get(API_PROBE, headers=headers).status_code == 200


def test_api_calls_are_refused_once_a_change_is_required(client, org: Org) -> None:
    """A token issued before the Admin asked for a new password stops at the next call."""
    headers = api_token(client, "integrator")
    assert client.get(API_PROBE, headers=headers).status_code == 200
    login(client, "admin")
    assert edit_login(client, org.users.integrator, must_change_password="y").status_code == 302
    response = client.get(f"{API_PROBE}?_l_=en", headers=headers)
    assert response.status_code == 403
    assert "password must be changed" in response.get_json()["message"]


def test_api_calls_with_the_session_are_refused_while_the_change_is_pending(
    client, org: Org
) -> None:
    _one_time_login()
    login(client, "baru")
    response = client.get("/api/v1/menu/?_l_=en")  # FAB's menu API accepts the session
    assert response.status_code == 403
    assert "password must be changed" in response.get_json()["message"]
