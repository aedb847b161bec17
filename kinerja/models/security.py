"""The login account: FAB's user with the operator's unit, a forced password change and the
version that ends its sessions and tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import Boolean, ForeignKey, Integer, String, event, false, inspect, text, true
from sqlalchemy.orm import InstanceState, Mapped, mapped_column, relationship

from kinerja.models.base import UTCDateTime
from kinerja.models.org import Unit

# Changing one of these ends every session and token of the login issued before.
ENDS_SESSIONS = ("password", "active", "roles")


class KinerjaUser(User):
    """Adds columns to ``ab_user`` (single-table): the unit an Operator manages, whether the
    password is a one-time password that must be changed at the next login, and the token
    version.

    Every session and JWT carries the token version it was issued with and is refused once
    the login's version has moved on (``kinerja.security.sessions``). Saving a new password,
    another set of roles or a deactivation bumps it (below, whoever makes the change); so
    does signing out."""

    operator_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit.id", ondelete="SET NULL"), index=True
    )
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )

    credentials_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    token_version: Mapped[int] = mapped_column(
        Integer, nullable=False, default=0, server_default=text("0")
    )

    # The person's own settings: the language of their emails (None: the instance's
    # default) and whether they receive digests and reminders (formal feedback always).
    locale: Mapped[str | None] = mapped_column(String(5))
    email_digests: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=True, server_default=true()
    )
    email_reminders: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=True, server_default=true()
    )

    operator_unit: Mapped[Unit | None] = relationship(foreign_keys=[operator_unit_id])

    def get_id(self) -> str:
        """Flask-Login's id, kept in the session: the user id with the token version."""
        return f"{self.id}:{self.token_version}"

    def end_sessions(self) -> None:
        """Bump the token version (in SQL: two bumps at once are two bumps)."""
        self.token_version = KinerjaUser.token_version + 1


@event.listens_for(KinerjaUser, "before_update")
def _end_sessions_on_account_change(_mapper: Any, _connection: Any, user: KinerjaUser) -> None:
    state: InstanceState[KinerjaUser] = inspect(user)
    if any(state.attrs[name].history.has_changes() for name in ENDS_SESSIONS):
        user.end_sessions()
