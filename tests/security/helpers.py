"""Helpers shared by the sign-in and session tests: the screens an Admin uses on a login."""

from __future__ import annotations

from typing import Any

from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import select

from kinerja.extensions import db
from kinerja.models.security import KinerjaUser

API_PROBE = "/api/v1/unit/"  # a resource every login of these tests may read


def edit_login(client: Any, user: KinerjaUser, **changes: Any) -> Any:
    """Save the Admin's edit form of ``user`` with ``changes`` (``roles`` by name)."""
    role_names = changes.pop("roles", None) or [role.name for role in user.roles]
    role_ids = [
        str(role_id)
        for role_id in db.session.scalars(select(Role.id).where(Role.name.in_(role_names)))
    ]
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "username": user.username,
        "email": user.email,
        "roles": role_ids,
        **({"active": "y"} if changes.pop("active", user.active) else {}),
        **changes,
    }
    return client.post(f"/users/edit/{user.id}", data=data)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def tokens(client: Any, username: str, password: str) -> dict[str, str]:
    """The access and refresh tokens of a sign-in over the API."""
    response = client.post(
        "/api/v1/security/login",
        json={"username": username, "password": password, "provider": "db", "refresh": True},
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()
