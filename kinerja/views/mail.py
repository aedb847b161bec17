"""*Email keluar*: every email the product recorded, what became of it, and *Kirim ulang* —
the screen and its read-only REST twin ``outgoing_email``, both scoped by the outgoing-email
policy (the Admin all, an Operator the emails to the people of their units)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for
from flask_appbuilder.actions import action
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from kinerja.domain.errors import ConflictError, DomainError
from kinerja.models.mail import OutgoingEmail
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.services.mail.resend import resend_email
from kinerja.views.exports import ExportMixin
from kinerja.views.jobs import or_blank
from kinerja.views.refusals import flash_refusal, tr
from kinerja.views.rest import API_METHOD_PERMISSIONS, KinerjaModelApi
from kinerja.views.screens import READ_ONLY_METHODS, KinerjaModelView

EMAIL_LABELS = {
    "key": _l("Key"),
    "kind": _l("Kind"),
    "recipient_id": _l("Recipient login"),
    "address": _l("Address"),
    "language": _l("Language"),
    "subject": _l("Subject"),
    "text_body": _l("Text"),
    "status": _l("Status"),
    "attempts": _l("Attempts"),
    "error": _l("Error"),
    "sent_at": _l("Sent"),
    "next_attempt_at": _l("Next attempt"),
    "message_id": _l("Message id"),
    "run_id": _l("Job run"),
    "created_at": _l("Created"),
    "updated_at": _l("Changed"),
}
LIST_COLUMNS = ["id", "created_at", "kind", "address", "subject", "status", "attempts", "sent_at"]
SHOW_COLUMNS = [
    "id",
    "kind",
    "address",
    "language",
    "subject",
    "status",
    "attempts",
    "error",
    "sent_at",
    "message_id",
    "next_attempt_at",
    "created_at",
    "key",
    "text_body",
]
SEARCH_COLUMNS = ["kind", "status", "address", "subject", "created_at", "sent_at"]
ORDER_COLUMNS = ["id", "created_at", "address", "attempts", "sent_at"]


class OutgoingEmailView(ExportMixin, KinerjaModelView):
    """Read-only but for *Kirim ulang*, which goes through :func:`resend_email`."""

    route_base = "/outgoing-email"
    datamodel = SQLAInterface(OutgoingEmail)
    class_permission_name = roles.OUTGOING_EMAIL
    method_permission_name = {
        **READ_ONLY_METHODS,
        "resend": "resend",
        "action": "read",
        "action_post": "read",
    }
    base_permissions = ["can_read", "can_resend"]
    base_order = ("id", "desc")
    list_title = _l("Outgoing email")
    show_title = _l("Outgoing email")
    list_columns = LIST_COLUMNS
    show_columns = SHOW_COLUMNS
    search_columns = SEARCH_COLUMNS
    order_columns = ORDER_COLUMNS
    label_columns = EMAIL_LABELS
    formatters_columns = {"error": or_blank, "message_id": or_blank}

    @action("resend", _l("Send again"), _l("Send this email again?"), "fa-repeat", multiple=False)
    def resend(self, item: Any) -> Any:
        try:
            resend_email(item.id, current_scope())
        except ConflictError as refusal:
            flash(tr(refusal), "warning")
        except DomainError as refusal:
            flash_refusal(refusal)
        else:
            flash(gettext("The email will be sent again."), "success")
        return redirect(url_for("OutgoingEmailView.show", pk=item.id))


class OutgoingEmailApi(KinerjaModelApi):
    """The outgoing email over REST, read only (sending again is the screen's)."""

    resource_name = "outgoing_email"
    datamodel = SQLAInterface(OutgoingEmail)
    class_permission_name = roles.OUTGOING_EMAIL
    method_permission_name = API_METHOD_PERMISSIONS
    base_permissions = ["can_read"]
    label_columns = EMAIL_LABELS
    list_columns = [
        "id",
        "key",
        "kind",
        "recipient_id",
        "address",
        "language",
        "subject",
        "status",
        "attempts",
        "error",
        "sent_at",
        "next_attempt_at",
        "message_id",
        "run_id",
        "created_at",
        "updated_at",
    ]
    show_columns = [*list_columns, "text_body"]
    search_columns = SEARCH_COLUMNS
    order_columns = ORDER_COLUMNS
    base_order = ("id", "desc")
