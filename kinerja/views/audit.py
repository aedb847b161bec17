"""The audit trail in the back office: the Admin's, read only (no REST resource: the
screen answers the questions the trail is for; see docs/audit.md).

Searched by actor (name or id), record (table and row id), action and date range (the
``at`` column's *greater than* / *smaller than* filters), newest first, paged. No screen or
resource offers to add, change or delete an entry (``base_permissions`` is read only and
the policy manages nothing).
"""

from __future__ import annotations

import json
from typing import Any

from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from kinerja.models.audit import AuditAction, AuditEntry
from kinerja.security import roles
from kinerja.views.formatters import local_datetime
from kinerja.views.screens import READ_ONLY_METHODS, KinerjaModelView

ACTION_LABELS = {
    AuditAction.CREATE.value: _l("Created"),
    AuditAction.UPDATE.value: _l("Changed"),
    AuditAction.DELETE.value: _l("Deleted"),
}
LABELS = {
    "at": _l("When"),
    "actor_id": _l("Actor (login id)"),
    "actor_name": _l("Actor"),
    "via": _l("Through"),
    "request_id": _l("Request id"),
    "action": _l("Action"),
    "table_name": _l("Table"),
    "row_id": _l("Row id"),
    "changes": _l("Before → after"),
}
COLUMNS = [
    "at",
    "actor_id",
    "actor_name",
    "via",
    "request_id",
    "action",
    "table_name",
    "row_id",
    "changes",
]
SEARCH_COLUMNS = ["actor_name", "actor_id", "table_name", "row_id", "action", "at", "via"]


def action_text(value: Any) -> str:
    label = ACTION_LABELS.get(str(value))
    return str(label) if label is not None else str(value or "")


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def changes_table(changes: Any) -> Markup:
    """``{column: [before, after]}`` as a small table, every value escaped."""
    if not changes:
        return Markup("")
    cell = Markup("<td>{}</td>")
    rows = Markup("").join(
        Markup("<tr><th>{}</th>{}{}</tr>").format(
            column, cell.format(_shown(pair[0])), cell.format(_shown(pair[1]))
        )
        for column, pair in sorted(changes.items())
        if isinstance(pair, list | tuple) and len(pair) == 2
    )
    head = Markup("<tr><th>{}</th><th>{}</th><th>{}</th></tr>").format(
        gettext("Column"), gettext("Before"), gettext("After")
    )
    return Markup('<table class="table table-condensed audit-changes">{}{}</table>').format(
        head, rows
    )


class AuditEntryView(KinerjaModelView):
    route_base = "/audit"
    datamodel = SQLAInterface(AuditEntry)
    class_permission_name = roles.AUDIT_ENTRY
    method_permission_name = READ_ONLY_METHODS
    base_permissions = ["can_read"]
    base_order = ("id", "desc")
    list_title = _l("Audit trail")
    show_title = _l("Audit entry")
    label_columns = LABELS
    list_columns = ["at", "actor_name", "action", "table_name", "row_id", "changes"]
    show_columns = COLUMNS
    search_columns = SEARCH_COLUMNS
    order_columns = ["at", "actor_name", "table_name", "row_id"]
    formatters_columns = {"at": local_datetime, "action": action_text}

    def _init_properties(self) -> None:
        super()._init_properties()
        self.formatters_columns = {**(self.formatters_columns or {}), "changes": changes_table}
