"""Access to the audit trail: the Admin reads every entry; nobody changes or deletes one
(no role manages them, and the database refuses it on PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true

from kinerja.models.audit import AuditEntry
from kinerja.security.policies.base import Policy
from kinerja.security.policies.scope import Scope


class AuditEntryPolicy(Policy[AuditEntry]):
    model = AuditEntry

    def read(self, scope: Scope) -> ColumnElement[bool]:
        return true() if scope.manages_all else false()

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        return false()


audit_entries = AuditEntryPolicy()
