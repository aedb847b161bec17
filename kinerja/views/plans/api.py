"""Work plans over REST. State changes are explicit endpoints answering 409 when the plan's
state does not allow them; the status is never written directly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response
from flask_appbuilder import expose
from flask_appbuilder.api import safe
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import permission_name, protect
from marshmallow import Schema, fields, validate

from kinerja.domain.planning import PlanStatus
from kinerja.models.planning import WorkPlan
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.security.policies import periods, plans
from kinerja.services.plans import annex, lifecycle, workflow
from kinerja.views.filters import condition_filter
from kinerja.views.plans.forms import PLAN_LABELS
from kinerja.views.rest import API_METHOD_PERMISSIONS, KinerjaModelApi
from kinerja.views.schemas import EmptySchema, ReasonSchema, RowId, StrictSchema

PLAN_API_METHODS = {
    **API_METHOD_PERMISSIONS,
    "post": "write",
    "delete": "write",
    "submit": "write",
    "annex": "write",
    "revise": "write",
    "approve": "decide",
    "return_plan": "decide",
}


class NewPlanSchema(StrictSchema):
    """``{"period": id, "employee": id, "source": "blank"|"previous"}``."""

    period = RowId(allow_none=True, load_default=None)
    employee = RowId(allow_none=True, load_default=None)
    source = fields.String(
        load_default="blank",
        validate=validate.OneOf(["blank", "previous"], error="Not a valid choice."),
    )


class AnnexSchema(StrictSchema):
    """The lampiran, each part a list as text, one item a line (a part left out stays)."""

    resource_support = fields.String(allow_none=True)
    accountability = fields.String(allow_none=True)
    consequences = fields.String(allow_none=True)


class PlanStateSchema(Schema):
    """What a plan's creation and state changes answer: ``{"id", "status", "version"}``."""

    id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in PlanStatus]))
    version = fields.Integer(required=True)


Step = Callable[[WorkPlan, dict[str, Any]], WorkPlan]


class WorkPlanApi(KinerjaModelApi):
    resource_name = "work_plan"
    datamodel = SQLAInterface(WorkPlan)
    class_permission_name = roles.WORK_PLAN
    method_permission_name = PLAN_API_METHODS
    base_permissions = ["can_read", "can_write", "can_decide"]
    label_columns = PLAN_LABELS
    list_columns = [
        "id",
        "period_id",
        "employee_id",
        "position_id",
        "unit_id",
        "status",
        "version",
        "submitted_at",
        "decided_at",
        "return_reason",
        "resource_support",
        "accountability",
        "consequences",
        "created_at",
        "updated_at",
    ]
    show_columns = list_columns
    add_columns = ["period", "employee"]
    search_columns = ["period", "employee", "unit", "status", "updated_at"]
    order_columns = ["id", "status", "submitted_at", "updated_at"]
    base_order = ("id", "asc")
    add_query_rel_fields = {
        "employee": condition_filter(plans.owners),
        "period": condition_filter(periods.open_for_planning),
    }
    delete_item = staticmethod(lifecycle.delete_plan)
    post_body = NewPlanSchema
    post_result = PlanStateSchema

    def post_headless(self) -> Any:
        """Create a plan: ``{"period": id, "employee": id, "source": "blank"|"previous"}``."""
        data = self.body(NewPlanSchema())
        if isinstance(data, Response):
            return data
        plan, refused = self.use_case(
            lambda: lifecycle.create_plan(
                data["employee"], data["period"], current_scope(), data["source"]
            )
        )
        if refused is not None:
            return refused
        return self.response(201, id=plan.id, result=self._state(plan))

    @expose("/<pk>/submit", methods=["POST"])
    @protect()
    @safe
    @permission_name("submit")
    def submit(self, pk: Any) -> Any:
        """Submit the plan to the direct supervisor (409 unless draft or returned).
        ---
        post:
          parameters:
          - {in: path, name: pk, schema: {type: integer}}
          responses:
            200: {description: The plan's new state}
            403: {description: Not the plan's writer}
            404: {$ref: '#/components/responses/404'}
            409: {description: Not allowed in the plan's state}
            422: {description: The plan is incomplete}
        """
        return self._transition(
            pk, EmptySchema(), lambda plan, data: workflow.submit_plan(plan, current_scope())
        )

    @expose("/<pk>/approve", methods=["POST"])
    @protect()
    @safe
    @permission_name("approve")
    def approve(self, pk: Any) -> Any:
        """Approve a submitted plan (the direct supervisor only; 409 unless submitted).
        ---
        post:
          parameters:
          - {in: path, name: pk, schema: {type: integer}}
          responses:
            200: {description: The plan's new state}
            403: {description: Not the direct supervisor}
            404: {$ref: '#/components/responses/404'}
            409: {description: Not allowed in the plan's state}
        """
        return self._transition(
            pk, EmptySchema(), lambda plan, data: workflow.approve_plan(plan, current_scope())
        )

    @expose("/<pk>/return", methods=["POST"])
    @protect()
    @safe
    @permission_name("return_plan")
    def return_plan(self, pk: Any) -> Any:
        """Return a submitted plan with ``{"reason": "…"}`` (the direct supervisor only).
        ---
        post:
          parameters:
          - {in: path, name: pk, schema: {type: integer}}
          requestBody:
            content:
              application/json:
                schema: {type: object, properties: {reason: {type: string}}}
          responses:
            200: {description: The plan's new state}
            403: {description: Not the direct supervisor}
            404: {$ref: '#/components/responses/404'}
            409: {description: Not allowed in the plan's state}
            422: {description: No reason given}
        """
        return self._transition(
            pk,
            ReasonSchema(),
            lambda plan, data: workflow.return_plan(plan, current_scope(), data["reason"]),
        )

    @expose("/<pk>/revise", methods=["POST"])
    @protect()
    @safe
    @permission_name("revise")
    def revise(self, pk: Any) -> Any:
        """Open a revision of an approved plan (409 unless approved).
        ---
        post:
          parameters:
          - {in: path, name: pk, schema: {type: integer}}
          requestBody:
            content:
              application/json:
                schema: {type: object, properties: {reason: {type: string}}}
          responses:
            200: {description: The plan's new state}
            403: {description: Not the plan's writer}
            404: {$ref: '#/components/responses/404'}
            409: {description: Not allowed in the plan's state}
        """
        return self._transition(
            pk,
            ReasonSchema(),
            lambda plan, data: workflow.revise_plan(plan, current_scope(), data["reason"]),
        )

    @expose("/<pk>/annex", methods=["PUT"])
    @protect()
    @safe
    @permission_name("annex")
    def annex(self, pk: Any) -> Any:
        """Write the lampiran: ``{"resource_support", "accountability", "consequences"}``,
        each a list as text, one item a line (409 unless the plan is editable).
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
                    resource_support: {type: string, nullable: true}
                    accountability: {type: string, nullable: true}
                    consequences: {type: string, nullable: true}
          responses:
            200: {description: The plan's lampiran as kept}
            403: {description: Not the plan's writer}
            404: {$ref: '#/components/responses/404'}
            409: {description: The plan is locked or its period closed}
            422: {description: A part is too long or has too many items}
        """
        return self.change_state(
            pk,
            AnnexSchema(),
            lambda plan, data: annex.save_annex(plan, data, current_scope()),
            self._annex,
        )

    @staticmethod
    def _annex(plan: WorkPlan) -> dict[str, Any]:
        return {
            "id": plan.id,
            "resource_support": plan.resource_support,
            "accountability": plan.accountability,
            "consequences": plan.consequences,
        }

    def _transition(self, pk: Any, schema: Schema, step: Step) -> Response:
        return self.change_state(pk, schema, step, self._state)

    @staticmethod
    def _state(plan: WorkPlan) -> dict[str, Any]:
        return {"id": plan.id, "status": PlanStatus(plan.status).value, "version": plan.version}
