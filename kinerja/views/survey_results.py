"""The satisfaction indices: the *Survey results* screen (units' and surveys' results by
period and unit, a detail page per survey with its chart, comments and the previous
period), its *Compute indices* step, the CSV/XLSX exports of results and responses, and
the read-only REST resource ``survey_result`` with its ``compute`` call. The figures are
written by the ``compute_survey_indices`` job only."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, request, stream_with_context, url_for
from flask_appbuilder import AppBuilder, BaseView, expose
from flask_appbuilder.api import protect, safe
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access, permission_name
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate
from sqlalchemy import false, select

from kinerja.domain.errors import DomainError
from kinerja.models.surveys import Service, Survey, SurveyResult
from kinerja.models.trees import unit_subtree_ids
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.services.surveys import exports, requests, results
from kinerja.views.params import parse_pk
from kinerja.views.refusals import flash_refusal
from kinerja.views.rest import API_METHOD_PERMISSIONS, KinerjaModelApi
from kinerja.views.schemas import RowId, StrictSchema
from kinerja.views.transparency import TransparencyView

PAGE_SIZE = 50
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SURVEY_RESULT_LABELS = {
    "survey": _l("Survey"),
    "survey_id": _l("Survey"),
    "responses": _l("Responses"),
    "required": _l("Required sample"),
    "ikm": _l("IKM"),
    "grade": _l("Grade"),
    "priorities": _l("Priorities"),
    "computed_at": _l("Computed"),
    "run_id": _l("Job run"),
    "created_at": _l("Created"),
    "updated_at": _l("Changed"),
    **{f"nrr{n}": f"NRR {n}" for n in range(1, 10)},
}


def _filters() -> results.Filters:
    return results.Filters(parse_pk(request.args.get("period")), parse_pk(request.args.get("unit")))


def _download(rows: Any, name: str, kind: str) -> Response:
    if kind not in exports.FORMATS:
        abort(404)
    body = exports.as_csv(rows) if kind == "csv" else exports.as_xlsx(rows)
    return Response(
        stream_with_context(body),
        content_type=CONTENT_TYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'},
    )


class SurveyResultView(BaseView):
    """Units' and surveys' indices one may read, by period and unit."""

    route_base = "/survey-results"
    class_permission_name = roles.SURVEY_RESULT
    method_permission_name = {
        "index": "read",
        "detail": "read",
        "export_results": "read",
        "export_responses": "export_responses",
        "compute": "compute",
    }
    base_permissions = ["can_read", "can_compute", "can_export_responses"]
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> Any:
        scope = current_scope()
        filters = _filters()
        page = max((parse_pk(request.args.get("page")) or 1) - 1, 0)
        rows, total = results.survey_result_rows(scope, filters, page, PAGE_SIZE)
        return self.render_template(
            "kinerja/survey_results/list.html",
            filters=filters,
            periods=results.periods(),
            units=results.surveyed_units(scope),
            unit_rows=results.unit_result_rows(scope, filters),
            rows=rows,
            total=total,
            page=page,
            pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
            may_compute=requests.may_compute(scope),
            grade_label=results.grade_label,
            priority_labels=results.priority_labels,
        )

    @expose("/<int:pk>/")
    @has_access
    def detail(self, pk: int) -> Any:
        try:
            report = results.survey_report(current_scope(), parse_pk(pk))
        except DomainError as refusal:
            flash_refusal(refusal)
            return redirect(url_for("SurveyResultView.index"))
        return self.render_template(
            "kinerja/survey_results/detail.html",
            report=report,
            may_compute=requests.may_compute(current_scope()),
        )

    @expose("/compute", methods=["POST"])
    @has_access
    def compute(self) -> Any:
        """Compute now the indices of one survey (``survey``), of a period's surveys
        (``period``) or of every survey within reach; the job run's page follows it."""
        survey = parse_pk(request.form.get("survey"))
        try:
            run = requests.request_survey_indices(
                [survey] if survey is not None else None,
                parse_pk(request.form.get("period")),
                current_scope(),
            )
        except DomainError as refusal:
            flash_refusal(refusal)
            return redirect(url_for("SurveyResultView.index"))
        flash(gettext("The survey indices are being computed."), "success")
        return redirect(url_for("JobRunView.show", pk=run.id))

    @expose("/export/results.<kind>")
    @has_access
    def export_results(self, kind: str) -> Any:
        rows = exports.result_rows(current_scope(), _filters(), gettext)
        return _download(rows, "survey_results", kind)

    @expose("/export/responses.<kind>")
    @has_access
    def export_responses(self, kind: str) -> Any:
        rows = exports.response_rows(current_scope(), _filters(), gettext)
        return _download(rows, "survey_responses", kind)


# --- REST -------------------------------------------------------------------------------------


class FilterSurveyInPeriod(BaseFilter):
    """Search filter: the survey is of this period."""

    name = _l("In period")
    arg_name = "in_period"
    value_kind = "id"

    def apply(self, query: Any, value: Any) -> Any:
        period_id = parse_pk(value)
        if period_id is None:
            return query.filter(false())
        return query.filter(
            SurveyResult.survey_id.in_(select(Survey.id).where(Survey.period_id == period_id))
        )


class FilterSurveyInUnitTree(BaseFilter):
    """Search filter: the survey's service belongs to this unit or one of its sub-units."""

    name = _l("In unit (with sub-units)")
    arg_name = "in_unit_tree"
    value_kind = "id"

    def apply(self, query: Any, value: Any) -> Any:
        unit_id = parse_pk(value)
        if unit_id is None:
            return query.filter(false())
        services = select(Service.id).where(Service.unit_id.in_(unit_subtree_ids(unit_id)))
        surveys = select(Survey.id).where(Survey.service_id.in_(services))
        return query.filter(SurveyResult.survey_id.in_(surveys))


class ComputeSchema(StrictSchema):
    """``{"surveys": [id, …], "period": id}``, both optional: every survey within reach."""

    surveys = fields.List(
        RowId(), allow_none=True, load_default=None, validate=validate.Length(1, 1000)
    )
    period = RowId(allow_none=True, load_default=None)


class SurveyResultApi(KinerjaModelApi):
    """Surveys' indices within the reader's reach (whoever reads the unit), read-only;
    ``POST /compute`` asks for them to be computed (Admin; Operator within their units).
    Filters: ``(col:survey,opr:in_period,value:<period>)``,
    ``(col:survey,opr:in_unit_tree,value:<unit>)``, ``(col:survey,opr:rel_o_m,value:<id>)``."""

    resource_name = "survey_result"
    datamodel = SQLAInterface(SurveyResult)
    class_permission_name = roles.SURVEY_RESULT
    method_permission_name = {**API_METHOD_PERMISSIONS, "compute": "compute"}
    base_permissions = ["can_read", "can_compute"]
    label_columns = SURVEY_RESULT_LABELS
    list_columns = [
        "id",
        "survey_id",
        "survey.period_id",
        "survey.service_id",
        "responses",
        "required",
        *[f"nrr{n}" for n in range(1, 10)],
        "ikm",
        "grade",
        "priorities",
        "computed_at",
        "run_id",
        "created_at",
        "updated_at",
    ]
    show_columns = list_columns
    search_columns = ["survey", "grade", "updated_at"]
    search_filters = {"survey": [FilterSurveyInPeriod, FilterSurveyInUnitTree]}
    order_columns = ["id", "ikm", "computed_at", "updated_at"]
    base_order = ("id", "asc")

    @expose("/compute", methods=["POST"])
    @protect()
    @safe
    @permission_name("compute")
    def compute(self) -> Any:
        """Compute the indices in the background: of the surveys named (and of their units
        and periods), of a period's, or of every survey within reach; answers 202 with the
        id of the job run.
        ---
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    surveys: {type: array, items: {type: integer}}
                    period: {type: integer}
          responses:
            202: {description: The job run that computes them}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            422: {$ref: '#/components/responses/422'}
        """
        return self.from_body(
            ComputeSchema(),
            lambda body: requests.request_survey_indices(
                body["surveys"], body["period"], current_scope()
            ),
            lambda run, _body: self.response(
                202, id=run.id, result={"surveys": run.args[0], "period": run.args[1]}
            ),
        )


def register_survey_results(appbuilder: AppBuilder) -> None:
    """*Survey results* under the surveys' menu, its REST resource and the public
    transparency page."""
    appbuilder.add_view(
        SurveyResultView,
        roles.MENU_SURVEY_RESULTS,
        label=_l("Survey results"),
        icon="fa-bar-chart",
        category=roles.MENU_SURVEYS,
    )
    appbuilder.add_api(SurveyResultApi)
    appbuilder.add_view_no_menu(TransparencyView)
