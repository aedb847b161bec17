"""Roles that follow from the organisation: holders of supervising positions are Supervisors."""

from __future__ import annotations

from flask_appbuilder.security.sqla.models import Role, assoc_user_role
from sqlalchemy import CursorResult, Select, and_, delete, exists, insert, select
from sqlalchemy.orm import aliased

from kinerja.extensions import db
from kinerja.models.org import Employee, Position
from kinerja.security import roles


def supervising_user_ids() -> Select[tuple[int | None]]:
    """Logins of active employees whose position supervises at least one active position."""
    subordinate = aliased(Position)
    return (
        select(Employee.user_id)
        .join(Position, Position.id == Employee.position_id)
        .where(
            Employee.user_id.is_not(None),
            Employee.active.is_(True),
            exists().where(subordinate.supervisor_id == Position.id, subordinate.active.is_(True)),
        )
    )


def sync_supervisor_roles() -> tuple[int, int]:
    """Grant and withdraw the Supervisor role so it mirrors the position tree, set-based.

    Runs inside the caller's transaction (no commit); returns (granted, withdrawn).
    """
    role_id = db.session.scalar(select(Role.id).where(Role.name == roles.SUPERVISOR))
    if role_id is None:
        return (0, 0)
    should = supervising_user_ids().subquery()
    has = select(assoc_user_role.c.user_id).where(assoc_user_role.c.role_id == role_id)
    missing = select(should.c.user_id, role_id).where(should.c.user_id.not_in(has)).distinct()
    granted = _rowcount(
        db.session.execute(insert(assoc_user_role).from_select(["user_id", "role_id"], missing))
    )
    withdrawn = _rowcount(
        db.session.execute(
            delete(assoc_user_role).where(
                and_(
                    assoc_user_role.c.role_id == role_id,
                    assoc_user_role.c.user_id.not_in(select(should.c.user_id)),
                )
            )
        )
    )
    if granted or withdrawn:
        db.session.expire_all()
    return (granted, withdrawn)


def _rowcount(result: object) -> int:
    return result.rowcount if isinstance(result, CursorResult) else 0
