"""Performance periods and their evaluation sub-periods: screens and REST resources."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.actions import action
from flask_appbuilder.api import safe
from flask_appbuilder.fieldwidgets import BS3TextFieldWidget, DatePickerWidget
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import permission_name, protect
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField
from wtforms.validators import Optional

from kinerja.domain.errors import DomainError
from kinerja.domain.planning import PeriodStatus
from kinerja.models.planning import Period, SubPeriod
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.services.plans import periods as planning
from kinerja.services.ratings import requests as ratings
from kinerja.views.exports import ExportMixin
from kinerja.views.formatters import enum_formatter
from kinerja.views.refusals import api_refusal, flash_refusal
from kinerja.views.rest import API_METHOD_PERMISSIONS, KinerjaModelApi
from kinerja.views.schemas import RowId, StrictSchema
from kinerja.views.screens import CRUD_METHOD_PERMISSIONS, KinerjaModelView

PERIOD_LABELS = {
    "year": _l("Year"),
    "name": _l("Name"),
    "cadence": _l("Sub-periods"),
    "status": _l("Status"),
    "starts_on": _l("Starts"),
    "ends_on": _l("Ends"),
    "planning_deadline": _l("Planning deadline"),
    "sub_periods": _l("Sub-periods"),
    "created_at": _l("Created"),
    "updated_at": _l("Changed"),
}
SUB_PERIOD_LABELS = {
    "period": _l("Period"),
    "number": _l("Number"),
    "name": _l("Name"),
    "starts_on": _l("Starts"),
    "ends_on": _l("Ends"),
    "report_deadline": _l("Reports due"),
    "evaluation_deadline": _l("Evaluations due"),
    "annual": _l("Annual evaluation"),
}


class SubPeriodView(KinerjaModelView):
    route_base = "/sub-periods"
    datamodel = SQLAInterface(SubPeriod)
    class_permission_name = roles.PERIOD
    base_permissions = ["can_read", "can_edit"]
    list_title = show_title = _l("Sub-periods")
    edit_title = _l("Edit sub-period")
    label_columns = SUB_PERIOD_LABELS
    list_columns = [
        "number",
        "name",
        "starts_on",
        "ends_on",
        "report_deadline",
        "evaluation_deadline",
        "annual",
    ]
    show_columns = ["period", *list_columns]
    edit_columns = ["name", "report_deadline", "evaluation_deadline"]
    base_order = ("number", "asc")
    save_item = staticmethod(planning.save_sub_period)


class PeriodView(ExportMixin, KinerjaModelView):
    route_base = "/periods"
    datamodel = SQLAInterface(Period)
    class_permission_name = roles.PERIOD
    method_permission_name = {
        **CRUD_METHOD_PERMISSIONS,
        "advance": "advance",
        "compute_ratings": "compute_ratings",
    }
    base_permissions = [
        "can_read",
        "can_add",
        "can_edit",
        "can_delete",
        "can_advance",
        "can_compute_ratings",
    ]
    list_title = _l("Periods")
    show_title = _l("Period")
    add_title = _l("Open a period")
    edit_title = _l("Edit period")
    label_columns = PERIOD_LABELS
    list_columns = ["year", "name", "cadence", "status", "planning_deadline"]
    show_columns = [
        "year",
        "name",
        "cadence",
        "status",
        "starts_on",
        "ends_on",
        "planning_deadline",
        "created_at",
        "updated_at",
    ]
    add_columns = ["year", "name", "cadence", "planning_deadline"]
    edit_columns = ["name", "planning_deadline"]
    search_columns = ["year", "name", "status"]
    order_columns = ["year", "name", "status"]
    base_order = ("year", "desc")
    related_views = [SubPeriodView]
    description_columns = {
        "name": _l("Leave empty for “Periode Kinerja” and the year."),
        "cadence": _l(
            "Quarters (Triwulan I–IV) or months; the sub-periods are created with "
            "report and evaluation deadlines you can change."
        ),
        "planning_deadline": _l("When work plans should be approved; empty means 31 January."),
    }
    formatters_columns = {"status": enum_formatter(PeriodStatus)}
    # Both may be left empty: the use case names the period and sets 31 January.
    add_form_extra_fields = {
        "name": StringField(
            _l("Name"),
            validators=[Optional()],
            description=_l("Leave empty for “Periode Kinerja” and the year."),
            widget=BS3TextFieldWidget(),
        ),
        "planning_deadline": DateField(
            _l("Planning deadline"),
            validators=[Optional()],
            widget=DatePickerWidget(),
            description=_l("When work plans should be approved; empty means 31 January."),
        ),
    }
    save_item = staticmethod(planning.save_period)
    delete_item = staticmethod(planning.delete_period)

    @action(
        "advance",
        _l("Move to the next stage"),
        _l(
            "Move this period to its next stage (planning → running → evaluation → "
            "closed)? A closed period cannot change any more."
        ),
        "fa-forward",
        multiple=False,
    )
    def advance(self, item: Any) -> Any:
        try:
            period = planning.advance_period(item, current_scope())
        except DomainError as refusal:
            flash_refusal(refusal)
        else:
            flash(
                gettext(
                    "The period is now: %(status)s.",
                    status=gettext(PeriodStatus(period.status).label),
                ),
                "success",
            )
        return redirect(url_for("PeriodView.show", pk=item.id))

    @action(
        "compute_ratings",
        _l("Compute ratings"),
        _l(
            "Compute the ratings of this period now (of your units, for an Operator)? It runs "
            "in the background; the nightly run does the same for ongoing periods."
        ),
        "fa-calculator",
        multiple=False,
    )
    def compute_ratings(self, item: Any) -> Any:
        try:
            run = ratings.request_ratings(item.id, None, current_scope())
        except DomainError as refusal:
            flash_refusal(refusal)
            return redirect(url_for("PeriodView.show", pk=item.id))
        flash(gettext("The ratings are being computed."), "success")
        return redirect(url_for("JobRunView.show", pk=run.id))


PERIOD_API_METHODS = {
    **API_METHOD_PERMISSIONS,
    "advance": "advance",
    "compute_ratings": "compute_ratings",
}


class RatingsRequestSchema(StrictSchema):
    """``{"unit": id}`` (optional): the unit whose subtree is rated; by default every unit
    (Admin) or the Operator's own."""

    unit = RowId(allow_none=True, load_default=None)


class PeriodApi(KinerjaModelApi):
    resource_name = "period"
    datamodel = SQLAInterface(Period)
    class_permission_name = roles.PERIOD
    method_permission_name = PERIOD_API_METHODS
    label_columns = PERIOD_LABELS
    list_columns = [
        "id",
        "year",
        "name",
        "cadence",
        "status",
        "starts_on",
        "ends_on",
        "planning_deadline",
        "created_at",
        "updated_at",
    ]
    show_columns = list_columns
    add_columns = ["year", "name", "cadence", "planning_deadline"]
    edit_columns = ["name", "planning_deadline"]
    search_columns = ["year", "status", "updated_at"]
    order_columns = ["id", "year", "updated_at"]
    base_order = ("year", "desc")
    save_item = staticmethod(planning.save_period)
    delete_item = staticmethod(planning.delete_period)

    def clean_payload(self, data: dict[str, Any]) -> dict[str, list[str]]:
        """Name and planning deadline may be left out: the use case fills their defaults."""
        if request.method == "POST":
            data.setdefault("name", "")
            year = data.get("year")
            if isinstance(year, int) and not isinstance(year, bool) and 2000 <= year <= 2100:
                data.setdefault("planning_deadline", f"{year}-01-31")
        return super().clean_payload(data)

    @expose("/<pk>/advance", methods=["POST"])
    @protect()
    @safe
    @permission_name("advance")
    def advance(self, pk: Any) -> Any:
        """Move the period to its next stage; 409 once closed.
        ---
        post:
          parameters:
          - in: path
            schema: {type: integer}
            name: pk
          responses:
            200: {description: The period's new status}
            404: {$ref: '#/components/responses/404'}
            409: {description: The period is closed}
        """
        period = self._manageable(pk)
        if period is None:
            return self.response_404()
        try:
            period = planning.advance_period(period, current_scope())
        except DomainError as refusal:
            return api_refusal(refusal)
        return self.response(200, result={"id": period.id, "status": period.status.value})

    @expose("/<pk>/ratings", methods=["POST"])
    @protect()
    @safe
    @permission_name("compute_ratings")
    def compute_ratings(self, pk: Any) -> Any:
        """Compute the period's ratings in the background (of a unit's subtree with
        ``unit``); answers 202 with the id of the job run (``/jobs/show/<id>``).
        ---
        post:
          parameters:
          - in: path
            schema: {type: integer}
            name: pk
          requestBody:
            content:
              application/json:
                schema: {type: object, properties: {unit: {type: integer}}}
          responses:
            202: {description: The job run that computes them}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {description: The period is closed}
            422: {description: The unit is not within reach}
        """
        period = self._readable(pk)
        if period is None:
            return self.response_404()
        data = self.body(RatingsRequestSchema())
        if isinstance(data, Response):
            return data
        run, refused = self.use_case(
            lambda: ratings.request_ratings(period.id, data["unit"], current_scope())
        )
        if refused is not None:
            return refused
        period_id, unit_id = run.args
        return self.response(202, id=run.id, result={"period": period_id, "unit": unit_id})


class SubPeriodApi(KinerjaModelApi):
    resource_name = "sub_period"
    datamodel = SQLAInterface(SubPeriod)
    class_permission_name = roles.PERIOD
    base_permissions = ["can_read", "can_edit"]
    label_columns = SUB_PERIOD_LABELS
    list_columns = [
        "id",
        "period_id",
        "number",
        "name",
        "starts_on",
        "ends_on",
        "report_deadline",
        "evaluation_deadline",
        "annual",
        "updated_at",
    ]
    show_columns = list_columns
    edit_columns = ["name", "report_deadline", "evaluation_deadline"]
    search_columns = ["period", "annual", "updated_at"]
    order_columns = ["id", "number"]
    base_order = ("id", "asc")
    save_item = staticmethod(planning.save_sub_period)
