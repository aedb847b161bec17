"""The lists of reports: every report one may read, and the supervisor's evaluation queue.
A report opens on its own page."""

from __future__ import annotations

from typing import Any

from flask import redirect, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from kinerja.models.planning import SubPeriod
from kinerja.models.reports import Report
from kinerja.security import roles
from kinerja.security.policies import reports
from kinerja.views.exports import CsvExportMixin
from kinerja.views.fields import EagerInterface
from kinerja.views.filters import READABLE, FilterRelatedName, FilterUnitText, condition_filter
from kinerja.views.formatters import waiting_time
from kinerja.views.params import parse_pk
from kinerja.views.screens import KinerjaModelView

REPORT_LABELS = {
    "employee": _l("Employee"),
    "employee_id": _l("Employee"),
    "work_plan": _l("Work plan"),
    "work_plan_id": _l("Work plan"),
    "sub_period": _l("Sub-period"),
    "sub_period_id": _l("Sub-period"),
    "unit": _l("Unit"),
    "unit_id": _l("Unit"),
    "status": _l("Status"),
    "plan_version": _l("Plan version"),
    "note": _l("Note"),
    "submitted_at": _l("Submitted"),
    "decided_at": _l("Decided"),
    "return_reason": _l("Reason for return"),
    "waiting_since": _l("Waiting time"),
    "created_at": _l("Created"),
    "updated_at": _l("Changed"),
}
REPORT_EAGER = [
    selectinload(Report.employee),
    selectinload(Report.unit),
    selectinload(Report.sub_period).selectinload(SubPeriod.period),
]


class ReportView(CsvExportMixin, KinerjaModelView):
    """Every report one may read (own, subordinates' — direct and indirect —, one's units')."""

    route_base = "/reports"
    datamodel = EagerInterface(Report, eager=REPORT_EAGER)
    class_permission_name = roles.REPORT
    base_permissions = ["can_read"]
    list_template = "kinerja/reports_list.html"
    list_title = _l("Performance reports")
    label_columns = REPORT_LABELS
    list_columns = ["employee", "sub_period", "unit", "status", "submitted_at", "decided_at"]
    show_columns = list_columns
    search_columns = ["employee", "sub_period", "unit", "status", "submitted_at"]
    text_filters = {"employee": [FilterRelatedName], "unit": [FilterUnitText]}
    order_columns = ["status", "submitted_at", "decided_at"]
    base_order = ("submitted_at", "desc")

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk: Any) -> Any:
        return redirect(url_for("ReportPageView.report", pk=parse_pk(pk) or 0))


class EvaluationQueueView(ReportView):
    """The supervisor's queue: reports of direct subordinates in open periods, oldest
    submission first."""

    route_base = "/evaluation-queue"
    class_permission_name = roles.REPORT
    method_permission_name = {"list": "decide", "show": "decide", "export": "decide"}
    base_permissions = ["can_decide"]
    base_filters = [*READABLE, *condition_filter(reports.queue)]
    list_title = _l("Evaluation queue")
    list_columns = ["employee", "sub_period", "unit", "status", "submitted_at", "waiting_since"]
    base_order = ("submitted_at", "asc")
    formatters_columns = {"waiting_since": waiting_time}
