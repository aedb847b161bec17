"""Permission look-ups kept in memory still follow a change of a role's rights at once."""

from __future__ import annotations

from kinerja.security import roles
from tests.factories import Org


def test_a_right_given_to_the_public_or_taken_back_counts_at_once(client, app, org: Org) -> None:
    sm = app.appbuilder.sm
    assert client.get("/api/v1/rank/").status_code == 401  # asked (and kept) once
    public = sm.find_role(roles.PUBLIC)
    right = sm.find_permission_view_menu("can_read", roles.RANK)
    sm.add_permission_role(public, right)
    try:
        assert client.get("/api/v1/rank/").status_code == 200
    finally:
        sm.del_permission_role(public, right)
    assert client.get("/api/v1/rank/").status_code == 401


def test_a_role_taken_from_a_login_counts_at_the_next_call(client, app, org: Org) -> None:
    from tests.factories import api_token

    headers = api_token(client, "integrator")
    assert client.get("/api/v1/rank/", headers=headers).status_code == 200
    user = org.users.integrator
    user.roles = []
    app.appbuilder.sm.session.commit()
    assert client.get("/api/v1/rank/", headers=headers).status_code in (401, 403)
