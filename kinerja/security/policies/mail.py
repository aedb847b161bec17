"""Access to the outgoing email: the Admin reads and sends again every email; an Operator
the emails to the logins of the people of their units (with every unit below them);
nobody else any (the Integrator neither: emails are personal)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, select, true

from kinerja.models.mail import OutgoingEmail
from kinerja.models.org import Employee
from kinerja.models.trees import unit_subtree_ids
from kinerja.security.policies.base import Policy
from kinerja.security.policies.scope import Scope


class OutgoingEmailPolicy(Policy[OutgoingEmail]):
    model = OutgoingEmail

    def read(self, scope: Scope) -> ColumnElement[bool]:
        if scope.manages_all:
            return true()
        if not scope.is_operator:
            return false()
        return OutgoingEmail.recipient_id.in_(
            select(Employee.user_id).where(
                Employee.user_id.is_not(None),
                Employee.unit_id.in_(unit_subtree_ids(scope.operator_unit_id or 0)),
            )
        )

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        """Sending an email again (*Kirim ulang*): whoever may read it."""
        return self.read(scope)


outgoing_emails = OutgoingEmailPolicy()


def may_set_email_settings(scope: Scope, user_id: int) -> bool:
    """Whether one may change a login's email settings: one's own only (the Admin too
    changes someone else's language or opt-outs only by signing in as them: never)."""
    return scope.user_id is not None and scope.user_id == user_id
