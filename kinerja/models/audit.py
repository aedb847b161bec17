"""The audit trail: who created, changed or deleted which row, when, with the values before
and after.

One :class:`AuditEntry` per changed row, written in the same transaction as the change by a
session listener (:mod:`kinerja.services.audit`): a rolled-back change leaves no entry, a
committed one always has its entry. Entries are never changed: the app offers no edit or
delete, and on PostgreSQL a trigger (see the migration) refuses ``UPDATE`` and ``DELETE`` of
the table whoever asks.

The actor is kept as an id *and* a name (no foreign key): the trail must outlive the login
it names, and a foreign key's ``ON DELETE`` would have to change entries.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kinerja.extensions import BaseModel
from kinerja.models.base import UTCDateTime, utcnow

Id = BigInteger().with_variant(Integer(), "sqlite")


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class AuditEntry(BaseModel):
    """One created, changed or deleted row. ``changes`` maps each column to
    ``[before, after]`` (``before`` is null on create, ``after`` null on delete)."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        CheckConstraint("action IN ('create', 'update', 'delete')", name="action"),
        Index("ix_audit_entry_record", "table_name", "row_id"),
        Index("ix_audit_entry_actor_at", "actor_id", "at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str | None] = mapped_column(String(200))
    via: Mapped[str | None] = mapped_column(String(80))
    request_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(10), nullable=False)
    table_name: Mapped[str] = mapped_column(String(64), nullable=False)
    row_id: Mapped[int | None] = mapped_column(BigInteger)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)

    def __repr__(self) -> str:
        return f"{self.action} {self.table_name} #{self.row_id}"


# The trigger that makes entries unchangeable on PostgreSQL (installed by the migration; a
# ``TRUNCATE`` by the database owner, as the test suite does between tests, is not refused).
REFUSE_CHANGES_FUNCTION = (
    "CREATE OR REPLACE FUNCTION refuse_audit_entry_change() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    "RAISE EXCEPTION 'audit entries cannot be changed or deleted' "
    "USING ERRCODE = 'insufficient_privilege'; END $$"
)
REFUSE_CHANGES_TRIGGER = (
    "CREATE TRIGGER audit_entry_unchangeable BEFORE UPDATE OR DELETE ON audit_entry "
    "FOR EACH ROW EXECUTE FUNCTION refuse_audit_entry_change()"
)
DROP_REFUSAL = (
    "DROP TRIGGER IF EXISTS audit_entry_unchangeable ON audit_entry",
    "DROP FUNCTION IF EXISTS refuse_audit_entry_change()",
)
