"""Service accounts: logins of programs (payroll, national sync, dashboards), not people.

A service account is an ordinary FAB user (``ab_user``) with a role, marked by a row here;
it signs in with API keys only (FAB's ``ab_api_key``, issued by the Admin), never with a
password. Disabling the user or revoking its key ends its access at once.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja.extensions import BaseModel, db
from kinerja.models.base import TimestampMixin
from kinerja.models.security import KinerjaUser


class ServiceAccount(TimestampMixin, BaseModel):
    __tablename__ = "service_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("ab_user.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    # What the account is for and who to ask about it (shown to the Admin).
    note: Mapped[str | None] = mapped_column(String(500))

    user: Mapped[KinerjaUser] = relationship(lazy="joined")


def service_account_of(user_id: int) -> ServiceAccount | None:
    """The service account of a login, or None for a person's login."""
    return db.session.scalars(
        select(ServiceAccount).where(ServiceAccount.user_id == user_id)
    ).one_or_none()
