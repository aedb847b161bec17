"""The login account: FAB's user with the operator's unit and a forced password change."""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import Boolean, ForeignKey, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja.models.base import UTCDateTime
from kinerja.models.org import Unit


class KinerjaUser(User):
    """Adds two columns to ``ab_user`` (single-table): the unit an Operator manages, and
    whether the password is a one-time password that must be changed at the next login."""

    operator_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit.id", ondelete="SET NULL"), index=True
    )
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )

    credentials_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    operator_unit: Mapped[Unit | None] = relationship(foreign_keys=[operator_unit_id])
