"""A plan's own page: its objectives and indicators, exactly the steps the person may take
(from the plan policy), its history, the print view, kept versions, the new-plan form and
the supervisor's approval queue."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, jsonify, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import format_timedelta, gettext

from kinerja.domain.annex import ANNEX_FIELDS
from kinerja.domain.errors import DomainError, FieldErrors
from kinerja.domain.planning import Aspect, ObjectiveKind
from kinerja.models.base import utcnow
from kinerja.models.planning import WorkPlan
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.security.policies import employees, plans
from kinerja.services.documents.skp import skp_document
from kinerja.services.plans import annex as plan_annex
from kinerja.services.plans import cascade, history, lifecycle, periods, templates, workflow
from kinerja.services.plans.queries import approval_queue, behaviour_values
from kinerja.views.documents import document_response
from kinerja.views.params import parse_pk
from kinerja.views.plans.forms import NEW_PLAN_CHOICES, NewPlanForm
from kinerja.views.refusals import as_seen, error_messages, flash_refusal, screen_step, tr
from kinerja.views.widgets import choices_response


def _id(row: Any) -> int | None:
    return getattr(row, "id", None)


class PlanView(BaseView):
    route_base = "/plans"
    class_permission_name = roles.WORK_PLAN
    method_permission_name = {
        "plan": "read",
        "print_view": "read",
        "pdf": "read",
        "annex": "write",
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
        self.update_redirect()
        return self.render_template(
            "kinerja/plan.html",
            plan=plan,
            actions=plans.actions(current_scope(), plan),
            boss=cascade.supervisor_plan(plan),
            problems=cascade.completeness_problems(plan),
            values=behaviour_values(),
            expectations={e.value_id: e for e in plan.expectations},
            annex=plan_annex.annex_of(plan),
            has_supervisor=cascade.has_supervisor(plan),
            tr=tr,
            event_labels=history.EVENT_LABELS,
        )

    @expose("/<int:pk>/print")
    @has_access
    def print_view(self, pk: int) -> Any:
        plan = self._readable(pk)
        return self.render_template(
            "kinerja/plan_print.html",
            plan=plan,
            values=behaviour_values(),
            expectations={e.value_id: e for e in plan.expectations},
            evaluator=plan.employee.supervisor,
        )

    @expose("/<int:pk>/skp.pdf")
    @has_access
    def pdf(self, pk: int) -> Any:
        """The SKP as the official PDF (with its lampiran), named by NIP and period."""
        return document_response(lambda: skp_document(parse_pk(pk), current_scope()))

    @expose("/<int:pk>/annex", methods=["GET", "POST"])
    @has_access
    def annex(self, pk: int) -> Any:
        """The lampiran, written by whoever may write the plan while it is editable."""
        plan = self._readable(pk)
        scope = current_scope()
        if not plans.may_edit(scope, plan):
            abort(403)
        values = {name: getattr(plan, name) or "" for name in ANNEX_FIELDS}
        errors: dict[str, list[str]] = {}
        if request.method == "POST":
            values = {name: request.form.get(name, "") for name in ANNEX_FIELDS}
            try:
                plan_annex.save_annex(plan, values, scope)
            except FieldErrors as refusal:
                errors = error_messages(refusal)
            except DomainError as refusal:
                flash_refusal(refusal)
            else:
                flash(gettext("The annex of the plan was saved."), "success")
                return redirect(url_for("PlanView.plan", pk=plan.id))
        return self.render_template(
            "kinerja/plan_annex.html", plan=plan, values=values, errors=errors
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
            values=behaviour_values(),
            kinds={k.value: k.label for k in ObjectiveKind},
            aspects={a.value: a.label for a in Aspect},
        )

    @expose("/queue/")
    @has_access
    def queue(self) -> Any:
        waiting = approval_queue(current_scope())
        return self.render_template(
            "kinerja/plan_queue.html",
            plans=waiting,
            now=utcnow(),
            format_timedelta=format_timedelta,
        )

    @expose("/new", methods=["GET", "POST"])
    @has_access
    def new(self) -> Any:
        scope = current_scope()
        form = NewPlanForm()
        form.period.choices = [(str(p.id), p.name) for p in periods.open_periods()]
        if request.method == "GET" and scope.employee_id is not None:
            form.employee.data = employees.readable(scope, scope.employee_id)  # type: ignore[assignment]
        if request.method == "POST" and form.validate():
            try:
                plan = lifecycle.create_plan(
                    _id(form.employee.data),
                    parse_pk(form.period.data),
                    scope,
                    form.source.data,
                    _id(form.template.data),
                )
            except FieldErrors as refusal:
                for name, messages in error_messages(refusal).items():
                    target = getattr(form, name, form.period)
                    target.errors = [*target.errors, *messages]
            except DomainError as refusal:
                flash_refusal(refusal)
            else:
                flash(gettext("The work plan was created."), "success")
                return redirect(url_for("PlanView.plan", pk=plan.id))
        return self.render_template(
            "kinerja/plan_new.html", form=form, has_periods=bool(form.period.choices)
        )

    @expose("/choices/<column>/")
    @has_access
    def choices(self, column: str) -> Any:
        choice = NEW_PLAN_CHOICES.get(column)
        if choice is None:
            abort(404)
        return jsonify(choices_response(choice))

    # --- workflow -------------------------------------------------------------------------

    @expose("/<int:pk>/submit", methods=["POST"])
    @has_access
    def submit(self, pk: int) -> Any:
        plan = self._readable(pk)
        return self._act(
            plan,
            lambda: workflow.submit_plan(plan, current_scope()),
            gettext("The plan was submitted to your supervisor."),
        )

    @expose("/<int:pk>/revise", methods=["POST"])
    @has_access
    def revise(self, pk: int) -> Any:
        plan = self._readable(pk)
        reason = request.form.get("reason")
        return self._act(
            plan,
            lambda: workflow.revise_plan(plan, current_scope(), reason),
            gettext("A revision is open: change the plan and submit it again."),
        )

    @expose("/<int:pk>/delete", methods=["POST"])
    @has_access
    def delete(self, pk: int) -> Any:
        plan = self._readable(pk)
        try:
            as_seen(lambda: lifecycle.delete_plan(plan, current_scope()), (plan, "row_version"))()
        except DomainError as refusal:
            flash_refusal(refusal)
            return redirect(url_for("PlanView.plan", pk=pk))
        flash(gettext("The work plan was deleted."), "success")
        return redirect(url_for("WorkPlanView.list"))

    @expose("/<int:pk>/approve", methods=["POST"])
    @has_access
    def approve(self, pk: int) -> Any:
        plan = self._readable(pk)
        return self._act(
            plan,
            lambda: workflow.approve_plan(plan, current_scope()),
            gettext("The plan was approved."),
        )

    @expose("/<int:pk>/return", methods=["POST"])
    @has_access
    def return_plan(self, pk: int) -> Any:
        plan = self._readable(pk)
        reason = request.form.get("reason")
        return self._act(
            plan,
            lambda: workflow.return_plan(plan, current_scope(), reason),
            gettext("The plan was returned with your reason."),
        )

    @expose("/<int:pk>/expectations", methods=["GET", "POST"])
    @has_access
    def expectations(self, pk: int) -> Any:
        plan = self._readable(pk)
        scope = current_scope()
        if not plans.may_set_expectations(scope, plan):
            abort(403)
        if request.method == "POST":
            texts = {
                int(k.removeprefix("value_")): v
                for k, v in request.form.items()
                if k.startswith("value_") and k.removeprefix("value_").isdigit()
            }
            return self._act(
                plan,
                lambda: workflow.set_expectations(plan, texts, scope),
                gettext("The behaviour expectations were saved."),
            )
        return self.render_template(
            "kinerja/plan_expectations.html",
            plan=plan,
            values=behaviour_values(),
            expectations={e.value_id: e.text for e in plan.expectations},
        )

    @expose("/<int:pk>/save-template", methods=["POST"])
    @has_access
    def save_template(self, pk: int) -> Any:
        plan = self._readable(pk)
        try:
            template = templates.save_template_from_plan(
                plan, request.form.get("name", ""), current_scope()
            )
        except DomainError as refusal:
            flash_refusal(refusal)
            return redirect(url_for("PlanView.plan", pk=pk))
        flash(gettext("Saved as the template “%(name)s”.", name=template.name), "success")
        return redirect(url_for("PlanTemplateView.show", pk=template.id))

    # --- helpers --------------------------------------------------------------------------

    def _act(self, plan: WorkPlan, step: Any, done: str) -> Any:
        """Run a step of the plan's page, refused if the plan changed since it was shown."""
        checked = as_seen(step, (plan, "row_version"))
        return screen_step(checked, done, url_for("PlanView.plan", pk=plan.id))

    @staticmethod
    def _readable(pk: int) -> WorkPlan:
        plan = plans.readable(current_scope(), parse_pk(pk))
        if plan is None:
            abort(404)
        return plan
