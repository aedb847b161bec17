"""Installing and upgrading an instance: schema, roles and permissions, reference data."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import select

from kinerja.extensions import db
from kinerja.security import roles
from kinerja.services.boundary import transaction
from kinerja.services.reference import seed_behaviour_values, seed_competencies, seed_ranks


@dataclass
class SetupReport:
    roles: list[str]
    permissions: int
    ranks_added: int


def initialise() -> SetupReport:
    """Upgrade the schema, then create roles and permissions and reference data. Idempotent."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    appbuilder = current_app.appbuilder  # type: ignore[attr-defined]
    sm = appbuilder.sm
    for name in roles.ALL_ROLES:
        if sm.find_role(name) is None:
            sm.add_role(name)
    appbuilder.add_permissions(update_perms=True)
    with transaction():
        permissions = _mirror_role_permissions()
        ranks_added = seed_ranks()
        seed_behaviour_values()
        seed_competencies()
    return SetupReport(
        roles=list(roles.ALL_ROLES), permissions=permissions, ranks_added=ranks_added
    )


def _mirror_role_permissions() -> int:
    """Write each builtin role's rights into the role tables too, so the Roles screen shows
    them. Access checks use the definitions in code (``FAB_ROLES``), not these rows."""
    sm = current_app.appbuilder.sm  # type: ignore[attr-defined]
    pvms = list(db.session.scalars(select(sm.permissionview_model)))
    definitions = current_app.config["FAB_ROLES"]
    for role_name, patterns in definitions.items():
        role = sm.find_role(role_name)
        if role is None:
            continue
        compiled = [(re.compile(view), re.compile(perm)) for view, perm in patterns]
        role.permissions = [
            pvm
            for pvm in pvms
            if pvm.view_menu
            and pvm.permission
            and any(
                v.match(pvm.view_menu.name) and p.match(pvm.permission.name) for v, p in compiled
            )
        ]
    return len(pvms)
