"""Work plans (SKP): the list, the plan page with its workflow, the print view, the
supervisor's queue, and the REST resource with its state-change endpoints."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.api import safe
from flask_appbuilder.forms import DynamicForm
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access, permission_name, protect
from flask_babel import format_timedelta, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import RadioField, SelectField

from kinerja.domain.errors import ConflictError, FieldErrors
from kinerja.domain.planning import Aspect, ObjectiveKind, PlanStatus
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.org import Employee
from kinerja.models.planning import BehaviourValue, Period, PlanTemplate, WorkPlan
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.security.scopes import (
    is_within,
    plan_condition,
    plan_decide_condition,
    plan_manage_condition,
    plan_owner_condition,
    template_condition,
)
from kinerja.services import planning
from kinerja.views.base import (
    API_METHOD_PERMISSIONS,
    EagerInterface,
    KinerjaModelApi,
    KinerjaModelView,
    enum_formatter,
    error_messages,
    screen_step,
    tr,
)
from kinerja.views.exports import CsvExportMixin
from kinerja.views.filters import (
    FilterRelatedName,
    FilterUnitText,
    OpenPeriodFilter,
    PlanOwnerFilter,
    scope_filter,
)
from kinerja.views.params import parse_pk
from kinerja.views.widgets import RemoteChoice, RemoteSelectField

PLAN_LABELS = {
    "employee": _l("Employee"),
    "employee_id": _l("Employee"),
    "period": _l("Period"),
    "period_id": _l("Period"),
    "unit": _l("Unit"),
    "unit_id": _l("Unit"),
    "position": _l("Position"),
    "position_id": _l("Position"),
    "status": _l("Status"),
    "version": _l("Version"),
    "submitted_at": _l("Submitted"),
    "decided_at": _l("Decided"),
    "return_reason": _l("Reason for return"),
    "created_at": _l("Created"),
    "updated_at": _l("Changed"),
}

EMPLOYEE_CHOICE = RemoteChoice(
    Employee,
    plan_owner_condition,
    (Employee.name, Employee.nip),
    Employee.name,
)
TEMPLATE_CHOICE = RemoteChoice(
    PlanTemplate,
    template_condition,
    (PlanTemplate.name,),
    PlanTemplate.name,
    master="employee",
    master_condition=lambda employee_id: PlanTemplate.position_id.in_(
        select(Employee.position_id).where(Employee.id == employee_id)
    ),
)
SOURCES = [
    ("blank", _l("An empty plan")),
    ("previous", _l("A copy of last year's plan")),
    ("template", _l("A template of the position")),
]


def _open_periods() -> list[tuple[str, str]]:
    periods = db.session.scalars(
        select(Period).where(Period.status != "closed").order_by(Period.year.desc())
    )
    return [(str(p.id), p.name) for p in periods]


class NewPlanForm(DynamicForm):
    period = SelectField(_l("Period"))
    employee = RemoteSelectField(
        _l("Employee"),
        choice=EMPLOYEE_CHOICE,
        endpoint="/plans/choices/employee/",
        allow_blank=False,
        placeholder=_l("Type to search…"),
    )
    source = RadioField(_l("Start from"), choices=SOURCES, default="blank")
    template = RemoteSelectField(
        _l("Template"),
        choice=TEMPLATE_CHOICE,
        endpoint="/plans/choices/template/",
        placeholder=_l("Type to search…"),
    )


class WorkPlanView(CsvExportMixin, KinerjaModelView):
    """The list of plans one may read; a plan itself opens on its own page."""

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
        return redirect(url_for("PlanView.plan", pk=pk))


class PlanView(BaseView):
    """A plan's own page: its objectives and indicators, who may do what, its history."""

    route_base = "/plans"
    class_permission_name = roles.WORK_PLAN
    method_permission_name = {
        "plan": "read",
        "print_view": "read",
        "version": "read",
        "choices": "write",
        "new": "write",
        "submit": "write",
        "revise": "write",
        "delete": "write",
        "approve": "decide",
        "return_plan": "decide",
        "queue": "decide",
        "expectations": "decide",
        "save_template": "template",
    }
    base_permissions = ["can_read", "can_write", "can_decide", "can_template"]
    default_view = "new"

    # --- pages ----------------------------------------------------------------------------

    @expose("/<int:pk>/")
    @has_access
    def plan(self, pk: int) -> Any:
        plan = self._readable(pk)
        scope = current_scope()
        can_write = is_within(plan_manage_condition(scope), WorkPlan, plan.id)
        editable = can_write and PlanStatus(plan.status).editable and not plan.period.closed
        self.update_redirect()
        return self.render_template(
            "kinerja/plan.html",
            plan=plan,
            editable=editable,
            can_write=can_write,
            can_decide=is_within(plan_decide_condition(scope), WorkPlan, plan.id),
            can_template=can_write and (scope.manages_all or scope.is_operator),
            boss=planning.supervisor_plan(plan),
            problems=planning.completeness_problems(plan),
            values=self._values(),
            expectations={e.value_id: e for e in plan.expectations},
            has_supervisor=planning.has_supervisor(plan),
            tr=tr,
            event_labels=planning.EVENT_LABELS,
        )

    @expose("/<int:pk>/print")
    @has_access
    def print_view(self, pk: int) -> Any:
        plan = self._readable(pk)
        return self.render_template(
            "kinerja/plan_print.html",
            plan=plan,
            values=self._values(),
            expectations={e.value_id: e for e in plan.expectations},
            evaluator=plan.employee.supervisor,
        )

    @expose("/<int:pk>/versions/<int:number>")
    @has_access
    def version(self, pk: int, number: int) -> Any:
        plan = self._readable(pk)
        kept = next((v for v in plan.versions if v.version == number), None)
        if kept is None:
            abort(404)
        return self.render_template(
            "kinerja/plan_version.html",
            plan=plan,
            kept=kept,
            values=self._values(),
            kinds={k.value: k.label for k in ObjectiveKind},
            aspects={a.value: a.label for a in Aspect},
        )

    @expose("/queue/")
    @has_access
    def queue(self) -> Any:
        plans = db.session.scalars(
            planning.queue_for(current_scope()).options(
                selectinload(WorkPlan.employee), selectinload(WorkPlan.period)
            )
        ).all()
        return self.render_template(
            "kinerja/plan_queue.html", plans=plans, now=utcnow(), format_timedelta=format_timedelta
        )

    @expose("/new", methods=["GET", "POST"])
    @has_access
    def new(self) -> Any:
        scope = current_scope()
        form = NewPlanForm()
        form.period.choices = _open_periods()
        if request.method == "GET" and scope.employee_id is not None:
            form.employee.data = db.session.get(Employee, scope.employee_id)
        if request.method == "POST" and form.validate():
            period = db.session.get(Period, parse_pk(form.period.data) or 0)
            try:
                plan = planning.create_plan(
                    form.employee.data, period, scope, form.source.data, form.template.data
                )
            except FieldErrors as exc:
                db.session.rollback()
                for name, messages in error_messages(exc).items():
                    target = getattr(form, name, form.period)
                    target.errors = [*target.errors, *messages]
            else:
                flash(gettext("The work plan was created."), "success")
                return redirect(url_for("PlanView.plan", pk=plan.id))
        return self.render_template(
            "kinerja/plan_new.html", form=form, has_periods=bool(form.period.choices)
        )

    @expose("/choices/<column>/")
    @has_access
    def choices(self, column: str) -> Any:
        from flask import jsonify

        from kinerja.views.widgets import choices_response

        choice = {"employee": EMPLOYEE_CHOICE, "template": TEMPLATE_CHOICE}.get(column)
        if choice is None:
            abort(404)
        return jsonify(choices_response(choice))

    # --- workflow -------------------------------------------------------------------------

    @expose("/<int:pk>/submit", methods=["POST"])
    @has_access
    def submit(self, pk: int) -> Any:
        plan = self._writable(pk)
        return self._act(
            plan,
            lambda: planning.submit_plan(plan, current_scope()),
            gettext("The plan was submitted to your supervisor."),
        )

    @expose("/<int:pk>/revise", methods=["POST"])
    @has_access
    def revise(self, pk: int) -> Any:
        plan = self._writable(pk)
        reason = request.form.get("reason")
        return self._act(
            plan,
            lambda: planning.revise_plan(plan, current_scope(), reason),
            gettext("A revision is open: change the plan and submit it again."),
        )

    @expose("/<int:pk>/delete", methods=["POST"])
    @has_access
    def delete(self, pk: int) -> Any:
        plan = self._writable(pk)
        try:
            planning.delete_plan(plan, current_scope())
        except ConflictError as exc:
            db.session.rollback()
            flash(tr(exc), "danger")
            return redirect(url_for("PlanView.plan", pk=pk))
        flash(gettext("The work plan was deleted."), "success")
        return redirect(url_for("WorkPlanView.list"))

    @expose("/<int:pk>/approve", methods=["POST"])
    @has_access
    def approve(self, pk: int) -> Any:
        plan = self._readable(pk)
        return self._act(
            plan,
            lambda: planning.approve_plan(plan, current_scope()),
            gettext("The plan was approved."),
        )

    @expose("/<int:pk>/return", methods=["POST"])
    @has_access
    def return_plan(self, pk: int) -> Any:
        plan = self._readable(pk)
        reason = request.form.get("reason")
        return self._act(
            plan,
            lambda: planning.return_plan(plan, current_scope(), reason),
            gettext("The plan was returned with your reason."),
        )

    @expose("/<int:pk>/expectations", methods=["GET", "POST"])
    @has_access
    def expectations(self, pk: int) -> Any:
        plan = self._readable(pk)
        scope = current_scope()
        if not (scope.manages_all or is_within(plan_decide_condition(scope), WorkPlan, plan.id)):
            abort(403)
        if request.method == "POST":
            texts = {
                int(k.removeprefix("value_")): v
                for k, v in request.form.items()
                if k.startswith("value_") and k.removeprefix("value_").isdigit()
            }
            return self._act(
                plan,
                lambda: planning.set_expectations(plan, texts, scope),
                gettext("The behaviour expectations were saved."),
            )
        return self.render_template(
            "kinerja/plan_expectations.html",
            plan=plan,
            values=self._values(),
            expectations={e.value_id: e.text for e in plan.expectations},
        )

    @expose("/<int:pk>/save-template", methods=["POST"])
    @has_access
    def save_template(self, pk: int) -> Any:
        plan = self._writable(pk)
        try:
            template = planning.save_template_from_plan(
                plan, request.form.get("name", ""), current_scope()
            )
        except ConflictError as exc:
            db.session.rollback()
            flash(tr(exc), "danger")
            return redirect(url_for("PlanView.plan", pk=pk))
        flash(gettext("Saved as the template “%(name)s”.", name=template.name), "success")
        return redirect(url_for("PlanTemplateView.show", pk=template.id))

    # --- helpers --------------------------------------------------------------------------

    def _act(self, plan: WorkPlan, step: Any, done: str) -> Any:
        return screen_step(step, done, url_for("PlanView.plan", pk=plan.id))

    @staticmethod
    def _readable(pk: int) -> WorkPlan:
        number = parse_pk(pk)
        plan = db.session.scalar(
            select(WorkPlan).where(WorkPlan.id == (number or 0), plan_condition(current_scope()))
        )
        if plan is None:
            abort(404)
        return plan

    def _writable(self, pk: int) -> WorkPlan:
        plan = self._readable(pk)
        if not is_within(plan_manage_condition(current_scope()), WorkPlan, plan.id):
            abort(403)
        return plan

    @staticmethod
    def _values() -> list[BehaviourValue]:
        return list(db.session.scalars(select(BehaviourValue).order_by(BehaviourValue.order)))


# --- REST -------------------------------------------------------------------------------------

PLAN_API_METHODS = {
    **API_METHOD_PERMISSIONS,
    "post": "write",
    "delete": "write",
    "submit": "write",
    "revise": "write",
    "approve": "decide",
    "return_plan": "decide",
}


class WorkPlanApi(KinerjaModelApi):
    """Plans over REST. State changes are explicit endpoints and answer 409 when the plan's
    state does not allow them; the status is never written directly."""

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
        "created_at",
        "updated_at",
    ]
    show_columns = list_columns
    add_columns = ["period", "employee"]
    search_columns = ["period", "employee", "unit", "status", "updated_at"]
    order_columns = ["id", "status", "submitted_at", "updated_at"]
    base_order = ("id", "asc")
    add_query_rel_fields = {
        "employee": scope_filter(PlanOwnerFilter),
        "period": scope_filter(OpenPeriodFilter),
    }
    delete_item = staticmethod(planning.delete_plan)

    def post_headless(self) -> Any:
        """Create a plan: ``{"period": id, "employee": id, "source": "blank"|"previous"}``."""
        if not request.is_json or not isinstance(request.json, dict):
            return self.response_400(message=gettext("Request body must be a JSON object."))
        data = dict(request.json)
        errors = self.clean_payload(data)
        source = data.get("source", "blank")
        if source not in ("blank", "previous"):
            errors["source"] = [gettext("Not a valid choice.")]
        if errors:
            return self.response_422(message=errors)
        employee = db.session.get(Employee, parse_pk(data.get("employee")) or 0)
        period = db.session.get(Period, parse_pk(data.get("period")) or 0)
        try:
            plan = planning.create_plan(employee, period, current_scope(), source)
        except FieldErrors as exc:
            db.session.rollback()
            return self.response_422(message=error_messages(exc))
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
            404: {$ref: '#/components/responses/404'}
            409: {description: Not allowed in the plan's state}
            422: {description: The plan is incomplete}
        """
        return self._transition(
            pk,
            plan_manage_condition,
            lambda plan, data: planning.submit_plan(plan, current_scope()),
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
            pk, None, lambda plan, data: planning.approve_plan(plan, current_scope())
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
            None,
            lambda plan, data: planning.return_plan(plan, current_scope(), data.get("reason")),
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
          responses:
            200: {description: The plan's new state}
            404: {$ref: '#/components/responses/404'}
            409: {description: Not allowed in the plan's state}
        """
        return self._transition(
            pk,
            plan_manage_condition,
            lambda plan, data: planning.revise_plan(plan, current_scope(), data.get("reason")),
        )

    def _transition(self, pk: Any, writer: Any, step: Any) -> Response:
        number = parse_pk(pk)
        scope = current_scope()
        plan = db.session.scalar(
            select(WorkPlan).where(WorkPlan.id == (number or 0), plan_condition(scope))
        )
        if plan is None:
            return self.response_404()
        if writer is not None and not is_within(writer(scope), WorkPlan, plan.id):
            return self.response_403()
        data = request.get_json(silent=True) if request.data else {}
        if not isinstance(data, dict):
            return self.response_400(message=gettext("Request body must be a JSON object."))
        plan, refused = self.use_case(lambda: step(plan, data))
        if refused is not None:
            return refused
        return self.response(200, result=self._state(plan))

    @staticmethod
    def _state(plan: WorkPlan) -> dict[str, Any]:
        return {"id": plan.id, "status": PlanStatus(plan.status).value, "version": plan.version}
