"""Access to service accounts and their API keys: the Admin's alone, to see and to manage
(a key is a login: whoever issues one could act as its account).

A service account may hold only roles that read no more than the Integrator:
:func:`allowed_roles` (today the Integrator itself), never the Admin's.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true

from kinerja.models.service_accounts import ServiceAccount
from kinerja.security import roles
from kinerja.security.policies.base import Policy
from kinerja.security.policies.scope import Scope


class ServiceAccountPolicy(Policy[ServiceAccount]):
    model = ServiceAccount

    def read(self, scope: Scope) -> ColumnElement[bool]:
        return true() if scope.manages_all else false()

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        return self.read(scope)


def allowed_roles() -> tuple[str, ...]:
    """Roles whose every right the Integrator (read-only everywhere) holds too."""
    integrator = set(roles.ROLE_PERMISSIONS[roles.INTEGRATOR])
    return tuple(
        name
        for name, grants in roles.ROLE_PERMISSIONS.items()
        if grants and set(grants) <= integrator
    )


service_accounts = ServiceAccountPolicy()
