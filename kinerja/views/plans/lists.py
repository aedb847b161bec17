"""The list of work plans one may read; a plan itself opens on its own page."""

from __future__ import annotations

from typing import Any

from flask import redirect, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from kinerja.domain.planning import PlanStatus
from kinerja.models.planning import WorkPlan
from kinerja.security import roles
from kinerja.views.exports import CsvExportMixin
from kinerja.views.fields import EagerInterface
from kinerja.views.filters import FilterRelatedName, FilterUnitText
from kinerja.views.formatters import enum_formatter
from kinerja.views.params import parse_pk
from kinerja.views.plans.forms import PLAN_LABELS
from kinerja.views.screens import KinerjaModelView


class WorkPlanView(CsvExportMixin, KinerjaModelView):
    route_base = "/work-plans"
    datamodel = EagerInterface(
        WorkPlan,
        eager=[
            selectinload(WorkPlan.employee),
            selectinload(WorkPlan.period),
            selectinload(WorkPlan.unit),
        ],
    )
    class_permission_name = roles.WORK_PLAN
    base_permissions = ["can_read"]
    list_template = "kinerja/plans_list.html"
    list_title = _l("Work plans (SKP)")
    label_columns = PLAN_LABELS
    list_columns = ["employee", "period", "unit", "status", "version", "submitted_at"]
    show_columns = list_columns
    search_columns = ["employee", "period", "unit", "status", "submitted_at"]
    text_filters = {"employee": [FilterRelatedName], "unit": [FilterUnitText]}
    order_columns = ["status", "version", "submitted_at"]
    base_order = ("submitted_at", "desc")
    formatters_columns = {"status": enum_formatter(PlanStatus)}

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk: Any) -> Any:
        return redirect(url_for("PlanView.plan", pk=parse_pk(pk) or 0))
