"""Reports over REST. Create with ``{"work_plan": id, "sub_period": id}``; realizations are
written through ``realization``; submit, approve and return are explicit endpoints
answering 409 when the report's state does not allow them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response
from flask_appbuilder import expose
from flask_appbuilder.api import safe
from flask_appbuilder.security.decorators import permission_name, protect
from marshmallow import Schema, fields, validate

from kinerja.domain.reporting import ReportStatus
from kinerja.extensions import db
from kinerja.models.reports import Report
from kinerja.models.self_evaluations import SelfEvaluation
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.services.reports import evaluations
from kinerja.services.reports import reports as reporting
from kinerja.services.reports.self_evaluation import save_self_evaluation, self_evaluation_of
from kinerja.views.fields import EagerInterface
from kinerja.views.filters import MANAGEABLE
from kinerja.views.reports.lists import REPORT_LABELS
from kinerja.views.reports.schemas import (
    NewReportSchema,
    RatingsSchema,
    ReportNoteSchema,
    SelfEvaluationSchema,
)
from kinerja.views.rest import API_METHOD_PERMISSIONS, KinerjaModelApi
from kinerja.views.schemas import EmptySchema, ReasonSchema

REPORT_API_METHODS = {
    **API_METHOD_PERMISSIONS,
    "post": "write",
    "put": "write",
    "delete": "write",
    "submit": "write",
    "approve": "decide",
    "return_report": "decide",
    "self_evaluation": "read",
    "save_self_evaluation": "write",
}


class ReportStateSchema(Schema):
    """What a report's creation, note and state changes answer; ``predikat`` once the
    evaluation is decided."""

    id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in ReportStatus]))
    predikat = fields.String(allow_none=True)


Step = Callable[[Report, dict[str, Any]], Any]


class ReportApi(KinerjaModelApi):
    resource_name = "report"
    datamodel = EagerInterface(Report)
    class_permission_name = roles.REPORT
    method_permission_name = REPORT_API_METHODS
    base_permissions = ["can_read", "can_write", "can_decide"]
    label_columns = REPORT_LABELS
    list_columns = [
        "id",
        "work_plan_id",
        "sub_period_id",
        "employee_id",
        "unit_id",
        "status",
        "plan_version",
        "note",
        "submitted_at",
        "decided_at",
        "return_reason",
        "created_at",
        "updated_at",
    ]
    show_columns = list_columns
    add_columns = ["work_plan", "sub_period"]
    edit_columns = ["note"]
    search_columns = ["work_plan", "sub_period", "employee", "unit", "status", "updated_at"]
    order_columns = ["id", "status", "submitted_at", "updated_at"]
    base_order = ("id", "asc")
    add_query_rel_fields = {"work_plan": MANAGEABLE}
    delete_item = staticmethod(reporting.delete_report)
    post_body = NewReportSchema
    post_result = ReportStateSchema
    put_body = ReportNoteSchema
    put_result = ReportStateSchema

    def post_headless(self) -> Any:
        data = self.body(NewReportSchema())
        if isinstance(data, Response):
            return data
        report, refused = self.use_case(
            lambda: reporting.start_report(data["work_plan"], data["sub_period"], current_scope())
        )
        if refused is not None:
            return refused
        return self.response(201, id=report.id, result=self._state(report))

    def put_headless(self, pk: Any) -> Any:
        if self._manageable(pk) is None:
            return self.response_404()

        def step(report: Report, data: dict[str, Any]) -> None:
            # null clears the note; leaving it out keeps it
            note = (data["note"] or "") if "note" in data else None
            reporting.save_report(report, {}, current_scope(), note=note)

        return self.change_state(pk, ReportNoteSchema(), step, self._state)

    @expose("/<pk>/submit", methods=["POST"])
    @protect()
    @safe
    @permission_name("submit")
    def submit(self, pk: Any) -> Any:
        """Submit the report to the direct supervisor (409 unless draft or returned).
        ---
        post:
          parameters:
          - {in: path, name: pk, schema: {type: integer}}
          responses:
            200: {description: The report's new state}
            403: {description: Not the report's writer}
            404: {$ref: '#/components/responses/404'}
            409: {description: Not allowed in the report's state}
            422: {description: Realizations are missing}
        """
        return self._transition(
            pk, EmptySchema(), lambda r, d: reporting.submit_report(r, current_scope())
        )

    @expose("/<pk>/approve", methods=["POST"])
    @protect()
    @safe
    @permission_name("approve")
    def approve(self, pk: Any) -> Any:
        """Evaluate and approve: ``{"results": "above"|"as_expected"|"below",
        "values": {"service": "as_expected", …all seven…}, "behaviour": level,
        "indicator_levels": {"<indicator id>": level, …each qualitative indicator…},
        "feedback": "…"}`` (the direct supervisor only; 409 unless submitted). Approving the
        annual report (its sub-period is ``annual``) makes it the year's annual evaluation.
        ---
        post:
          parameters:
          - {in: path, name: pk, schema: {type: integer}}
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    results: {type: string, enum: [above, as_expected, below]}
                    behaviour: {type: string, enum: [above, as_expected, below]}
                    values: {type: object, additionalProperties: {type: string}}
                    indicator_levels:
                      type: object
                      description: The level of each qualitative indicator, by indicator id
                      additionalProperties: {type: string, enum: [above, as_expected, below]}
                    feedback: {type: string}
          responses:
            200: {description: The report's new state with the predikat}
            403: {description: Not the direct supervisor}
            404: {$ref: '#/components/responses/404'}
            409: {description: Not allowed in the report's state}
            422: {description: Ratings, qualitative levels or feedback missing or invalid}
        """

        def step(report: Report, data: dict[str, Any]) -> Report:
            ratings = evaluations.ratings_from(
                data["results"],
                data["behaviour"],
                data["values"],
                data["feedback"],
                data["indicator_levels"],
            )
            return evaluations.approve_report(report, ratings, current_scope())

        return self._transition(pk, RatingsSchema(), step)

    @expose("/<pk>/return", methods=["POST"])
    @protect()
    @safe
    @permission_name("return_report")
    def return_report(self, pk: Any) -> Any:
        """Return a submitted report with ``{"reason": "…"}`` (the direct supervisor only).
        ---
        post:
          parameters:
          - {in: path, name: pk, schema: {type: integer}}
          requestBody:
            content:
              application/json:
                schema: {type: object, properties: {reason: {type: string}}}
          responses:
            200: {description: The report's new state}
            403: {description: Not the direct supervisor}
            404: {$ref: '#/components/responses/404'}
            409: {description: Not allowed in the report's state}
            422: {description: No reason given}
        """
        return self._transition(
            pk,
            ReasonSchema(),
            lambda r, d: evaluations.return_report(r, d["reason"], current_scope()),
        )

    @expose("/<pk>/self_evaluation", methods=["GET"])
    @protect()
    @safe
    @permission_name("self_evaluation")
    def self_evaluation(self, pk: Any) -> Any:
        """The employee's self-evaluation of an annual report (404 when there is none).
        ---
        get:
          parameters:
          - {in: path, name: pk, schema: {type: integer}}
          responses:
            200: {description: "results, behaviour (suggested by the values), values, note"}
            404: {$ref: '#/components/responses/404'}
        """
        report = self._readable(pk)
        found = self_evaluation_of(report, current_scope()) if report is not None else None
        if found is None:
            return self.response_404()
        return self.response(200, result=_self_evaluation_json(found))

    @expose("/<pk>/self_evaluation", methods=["PUT"])
    @protect()
    @safe
    @permission_name("save_self_evaluation")
    def save_self_evaluation(self, pk: Any) -> Any:
        """Rate oneself before the annual evaluation: ``{"results": level, "values":
        {"service": level, …all seven…}, "note": "…"}`` (the report's employee only, on the
        annual report, until its evaluation is approved).
        ---
        put:
          parameters:
          - {in: path, name: pk, schema: {type: integer}}
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    results: {type: string, enum: [above, as_expected, below]}
                    values: {type: object, additionalProperties: {type: string}}
                    note: {type: string}
          responses:
            200: {description: The self-evaluation as saved}
            403: {description: Not the report's employee}
            404: {$ref: '#/components/responses/404'}
            409: {description: Not an annual report, or its evaluation is decided}
            422: {description: Results or a value missing or invalid}
        """
        report = self._readable(pk)
        if report is None:
            return self.response_404()
        data = self.body(SelfEvaluationSchema())
        if isinstance(data, Response):
            return data
        saved, refused = self.use_case(
            lambda: save_self_evaluation(
                report, data["results"], data["values"], data["note"], current_scope()
            )
        )
        if refused is not None:
            return refused
        return self.response(200, result=_self_evaluation_json(saved))

    def _transition(self, pk: Any, schema: Schema, step: Step) -> Response:
        return self.change_state(pk, schema, step, self._state)

    @staticmethod
    def _state(report: Report) -> dict[str, Any]:
        db.session.refresh(report)
        state: dict[str, Any] = {"id": report.id, "status": ReportStatus(report.status).value}
        evaluation = report.evaluation
        if evaluation is not None and evaluation.decided:
            state["predikat"] = evaluation.predikat.value if evaluation.predikat else None
        return state


def _self_evaluation_json(row: SelfEvaluation) -> dict[str, Any]:
    return {
        "id": row.id,
        "report_id": row.report_id,
        "results": row.results.value,
        "behaviour": row.behaviour.value if row.behaviour else None,
        "values": dict(row.values),
        "note": row.note,
        "submitted_at": row.submitted_at.isoformat(),
    }
