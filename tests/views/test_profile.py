"""Every signed-in person reads and edits their own profile, and nobody else's."""

from __future__ import annotations

import pytest

from tests.factories import Org, login


@pytest.mark.parametrize("role", ["operator", "supervisor", "employee", "integrator"])
def test_everyone_opens_their_own_profile(client, org: Org, role: str) -> None:
    login(client, role)
    page = client.get("/users/userinfo/?_l_=en")
    assert page.status_code == 200
    assert getattr(org.users, role).username in page.get_data(as_text=True)


def test_only_the_admin_lists_the_users(client, org: Org) -> None:
    login(client, "employee")
    assert client.get("/users/list/").status_code in (302, 403)
    login(client, "admin")
    assert client.get("/users/list/").status_code == 200
