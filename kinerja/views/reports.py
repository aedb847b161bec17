"""Periodic reports and their evaluation: the lists (all reports one may read, and the
supervisor's queue), the report's own page (realizations, evidence, submission, the
evaluation form, the dialogue), evidence downloads, and the REST resources."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, jsonify, redirect, request, send_file, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.api import safe
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access, permission_name, protect
from flask_babel import format_timedelta, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound, RequestEntityTooLarge

from kinerja.domain.errors import ConflictError, FieldErrors
from kinerja.domain.ratings import Level
from kinerja.domain.reporting import ReportStatus
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.planning import BehaviourValue, SubPeriod, WorkPlan
from kinerja.models.reports import (
    DialogueNote,
    Evaluation,
    Evidence,
    Realization,
    Report,
)
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.security.scopes import (
    evaluation_condition,
    is_within,
    report_condition,
    report_decide_condition,
    report_manage_condition,
    report_part_condition,
)
from kinerja.services import reporting
from kinerja.views.base import (
    API_METHOD_PERMISSIONS,
    EagerInterface,
    KinerjaModelApi,
    KinerjaModelView,
    error_messages,
    flash_refusal,
    screen_step,
    tr,
)
from kinerja.views.exports import CsvExportMixin
from kinerja.views.filters import (
    DecideScopeFilter,
    FilterRelatedName,
    FilterUnitText,
    ManageScopeFilter,
    ReadScopeFilter,
    scope_filter,
)
from kinerja.views.params import parse_pk

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


def waiting_time(submitted_at: Any) -> str:
    if submitted_at is None:
        return ""
    return format_timedelta(utcnow() - submitted_at, threshold=1.1)


class ReportView(CsvExportMixin, KinerjaModelView):
    """Every report one may read (own, subordinates' — direct and indirect —, one's units');
    a report opens on its own page."""

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
    """The supervisor's queue: reports of direct subordinates, oldest submission first."""

    route_base = "/evaluation-queue"
    class_permission_name = roles.REPORT
    method_permission_name = {"list": "decide", "show": "decide", "export": "decide"}
    base_permissions = ["can_decide"]
    base_filters = [*scope_filter(ReadScopeFilter), ["id", DecideScopeFilter, None]]
    list_title = _l("Evaluation queue")
    list_columns = ["employee", "sub_period", "unit", "status", "submitted_at", "waiting_since"]
    base_order = ("submitted_at", "asc")
    formatters_columns = {"waiting_since": waiting_time}


class ReportPageView(BaseView):
    """A report's page. The owner fills realizations and evidence and submits; the direct
    supervisor reviews with the computed achievements and the sub-period's daily log, rates,
    writes feedback and decides; both talk in the dialogue."""

    route_base = "/report"
    class_permission_name = roles.REPORT
    method_permission_name = {
        "mine": "write",
        "start": "write",
        "report": "read",
        "save": "write",
        "add_evidence": "write",
        "delete_evidence": "write",
        "download": "read",
        "submit": "write",
        "delete": "write",
        "evaluate": "decide",
        "preview": "decide",
        "return_report": "decide",
        "add_note": "read",
    }
    base_permissions = ["can_read", "can_write", "can_decide"]
    default_view = "mine"

    @expose("/mine/")
    @has_access
    def mine(self) -> Any:
        """One's plans and, per sub-period, the report's state or a button to start it."""
        scope = current_scope()
        plans = [
            (plan, reporting.reportable_sub_periods(plan), reporting.plan_is_approved(plan))
            for plan in reporting.own_plans(scope)
        ]
        return self.render_template(
            "kinerja/reports_mine.html", plans=plans, today=reporting.today()
        )

    @expose("/start", methods=["POST"])
    @has_access
    def start(self) -> Any:
        plan = db.session.get(WorkPlan, parse_pk(request.form.get("work_plan")) or 0)
        sub_period = db.session.get(SubPeriod, parse_pk(request.form.get("sub_period")) or 0)
        try:
            report = reporting.start_report(plan, sub_period, current_scope())
        except (FieldErrors, ConflictError) as exc:
            db.session.rollback()
            flash_refusal(exc)
            return redirect(url_for("ReportPageView.mine"))
        flash(gettext("The report was started: enter the realizations."), "success")
        return redirect(url_for("ReportPageView.report", pk=report.id))

    @expose("/<int:pk>/")
    @has_access
    def report(self, pk: int) -> Any:
        report = self._readable(pk)
        scope = current_scope()
        can_write = is_within(report_manage_condition(scope), Report, report.id)
        can_decide = is_within(report_decide_condition(scope), Report, report.id)
        editable = (
            can_write
            and ReportStatus(report.status).editable
            and not report.work_plan.period.closed
        )
        evaluation = report.evaluation
        show_evaluation = evaluation is not None and (
            can_decide
            or evaluation.decided_at is not None
            and is_within(evaluation_condition(scope), Evaluation, evaluation.id)
        )
        sub_period = report.sub_period
        activities = reporting.team_activities(
            [report.employee_id], sub_period.starts_on, sub_period.ends_on
        )
        self.update_redirect()
        return self.render_template(
            "kinerja/report.html",
            report=report,
            progress=reporting.progress(report),
            editable=editable,
            can_write=can_write,
            can_decide=can_decide and report.status == ReportStatus.SUBMITTED,
            can_talk=reporting.may_talk(report, scope),
            evaluation=evaluation if show_evaluation else None,
            ratings={r.value_id: r.level for r in evaluation.ratings} if evaluation else {},
            values=list(db.session.scalars(select(BehaviourValue).order_by(BehaviourValue.order))),
            levels=list(Level),
            problems=reporting.completeness_problems(report),
            activities=activities,
            activity_minutes=sum(a.duration_minutes for a in activities),
            max_upload_mb=reporting.file_store().max_bytes // 2**20,
            waiting=waiting_time(report.submitted_at)
            if report.status == ReportStatus.SUBMITTED
            else "",
            tr=tr,
        )

    # --- the owner's steps --------------------------------------------------------------

    @expose("/<int:pk>/save", methods=["POST"])
    @has_access
    def save(self, pk: int) -> Any:
        report = self._readable(pk)
        values = {
            int(key.removeprefix("value_")): value
            for key, value in request.form.items()
            if key.startswith("value_") and key.removeprefix("value_").isdigit()
        }
        notes = {
            int(key.removeprefix("note_")): value
            for key, value in request.form.items()
            if key.startswith("note_") and key.removeprefix("note_").isdigit()
        }
        note = request.form.get("note")
        submit = request.form.get("then") == "submit"

        def step() -> None:
            reporting.save_report(report, values, current_scope(), note=note, notes=notes)
            if submit:
                reporting.submit_report(report, current_scope())

        done = (
            gettext("The report was submitted to your supervisor.")
            if submit
            else gettext("The realizations were saved.")
        )
        return self._act(report, step, done)

    @expose("/<int:pk>/evidence", methods=["POST"])
    @has_access
    def add_evidence(self, pk: int) -> Any:
        report = self._readable(pk)
        upload = request.files.get("file")
        has_file = upload is not None and bool(upload.filename)
        return self._act(
            report,
            lambda: reporting.add_evidence(
                report,
                current_scope(),
                upload=upload.stream if has_file and upload else None,
                filename=upload.filename if has_file and upload else None,
                url=request.form.get("url"),
                description=request.form.get("description"),
                indicator_id=parse_pk(request.form.get("indicator")),
            ),
            gettext("The evidence was added."),
        )

    @expose("/<int:pk>/evidence/<int:evidence_id>/delete", methods=["POST"])
    @has_access
    def delete_evidence(self, pk: int, evidence_id: int) -> Any:
        report = self._readable(pk)
        evidence = next((e for e in report.evidence if e.id == evidence_id), None)
        if evidence is None:
            abort(404)
        return self._act(
            report,
            lambda: reporting.delete_evidence(evidence, current_scope()),
            gettext("The evidence was removed."),
        )

    @expose("/evidence/<int:evidence_id>/file")
    @has_access
    def download(self, evidence_id: int) -> Any:
        return evidence_file(evidence_id)

    @expose("/<int:pk>/submit", methods=["POST"])
    @has_access
    def submit(self, pk: int) -> Any:
        report = self._readable(pk)
        return self._act(
            report,
            lambda: reporting.submit_report(report, current_scope()),
            gettext("The report was submitted to your supervisor."),
        )

    @expose("/<int:pk>/delete", methods=["POST"])
    @has_access
    def delete(self, pk: int) -> Any:
        report = self._readable(pk)
        try:
            reporting.delete_report(report, current_scope())
        except (ConflictError, FieldErrors) as exc:
            db.session.rollback()
            flash_refusal(exc)
            return redirect(url_for("ReportPageView.report", pk=pk))
        except PermissionError:
            db.session.rollback()
            abort(403)
        flash(gettext("The report was deleted."), "success")
        return redirect(url_for("ReportPageView.mine"))

    # --- the supervisor's steps ---------------------------------------------------------

    def _ratings(self) -> tuple[reporting.Ratings, Any]:
        form = request.form
        values = {
            key.removeprefix("level_"): value
            for key, value in form.items()
            if key.startswith("level_")
        }
        return reporting.parse_ratings(
            form.get("results"), form.get("behaviour"), values, form.get("feedback")
        )

    @expose("/<int:pk>/evaluate", methods=["POST"])
    @has_access
    def evaluate(self, pk: int) -> Any:
        report = self._readable(pk)
        ratings, errors = self._ratings()
        if errors:
            return self._act(report, lambda: errors.raise_if_any(), "")
        if request.form.get("decision") == "approve":
            return self._act(
                report,
                lambda: reporting.approve_report(report, ratings, current_scope()),
                gettext("The report was evaluated; the employee sees your feedback."),
            )
        return self._act(
            report,
            lambda: reporting.save_evaluation(report, ratings, current_scope()),
            gettext("Your ratings were saved; the report is still in your queue."),
        )

    @expose("/<int:pk>/preview", methods=["POST"])
    @has_access
    def preview(self, pk: int) -> Any:
        """The suggestion and predikat for the choices so far (rules stay on the server)."""
        report = self._readable(pk)
        if not is_within(report_decide_condition(current_scope()), Report, report.id):
            abort(403)
        ratings, _ = self._ratings()
        result = reporting.preview(report, ratings)
        return jsonify(
            suggested_results=result.suggested_results.value,
            suggested_results_label=gettext(result.suggested_results.label),
            suggested_behaviour=result.suggested_behaviour.value
            if result.suggested_behaviour
            else None,
            suggested_behaviour_label=gettext(result.suggested_behaviour.label)
            if result.suggested_behaviour
            else "",
            predikat=result.predikat.value if result.predikat else None,
            predikat_label=gettext(result.predikat.label) if result.predikat else "",
        )

    @expose("/<int:pk>/return", methods=["POST"])
    @has_access
    def return_report(self, pk: int) -> Any:
        report = self._readable(pk)
        reason = request.form.get("reason")
        return self._act(
            report,
            lambda: reporting.return_report(report, reason, current_scope()),
            gettext("The report was returned with your reason."),
        )

    @expose("/<int:pk>/notes", methods=["POST"])
    @has_access
    def add_note(self, pk: int) -> Any:
        report = self._readable(pk)
        return self._act(
            report,
            lambda: reporting.add_note(report, request.form.get("text"), current_scope()),
            gettext("Your note was added to the dialogue."),
            anchor="dialogue",
        )

    # --- helpers --------------------------------------------------------------------------

    def _act(self, report: Report, step: Any, done: str, anchor: str | None = None) -> Any:
        return screen_step(
            step, done, url_for("ReportPageView.report", pk=report.id, _anchor=anchor)
        )

    @staticmethod
    def _readable(pk: int) -> Report:
        report = db.session.scalar(
            select(Report).where(
                Report.id == (parse_pk(pk) or 0), report_condition(current_scope())
            )
        )
        if report is None:
            abort(404)
        return report


def evidence_file(evidence_id: int) -> Response:
    """Send an evidence file to someone who may read its report, as a download whose type
    was checked at upload (never rendered inline, never sniffed by the browser)."""
    number = parse_pk(evidence_id) or 0
    evidence = db.session.scalar(
        select(Evidence).where(
            Evidence.id == number, report_part_condition(Evidence, current_scope())
        )
    )
    if evidence is None or evidence.attachment is None:
        abort(404)
    return send_attachment(evidence.attachment)


def send_attachment(attachment: Any) -> Response:
    """A stored file as a download with the type checked at upload (never rendered inline,
    never sniffed by the browser, never cached by a shared proxy)."""
    try:
        path = reporting.file_store().path(attachment.key)
    except (FileNotFoundError, ValueError):
        abort(404)
    mimetype = attachment.content_type
    if mimetype.startswith("text/"):
        mimetype += "; charset=utf-8"
    response = send_file(
        path, mimetype=mimetype, as_attachment=True, download_name=attachment.original_name
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- REST -------------------------------------------------------------------------------------

REPORT_API_METHODS = {
    **API_METHOD_PERMISSIONS,
    "post": "write",
    "put": "write",
    "delete": "write",
    "submit": "write",
    "approve": "decide",
    "return_report": "decide",
}


class ReportApi(KinerjaModelApi):
    """Reports over REST. Create with ``{"work_plan": id, "sub_period": id}``; realizations
    are written through ``realization``; submit, approve and return are explicit endpoints
    answering 409 when the report's state does not allow them."""

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
    add_query_rel_fields = {"work_plan": scope_filter(ManageScopeFilter)}
    delete_item = staticmethod(reporting.delete_report)

    def post_headless(self) -> Any:
        if not request.is_json or not isinstance(request.json, dict):
            return self.response_400(message=gettext("Request body must be a JSON object."))
        data = dict(request.json)
        errors = self.clean_payload(data)
        for field in ("work_plan", "sub_period"):
            if data.get(field) is None and field not in errors:
                errors[field] = [gettext("This field is required.")]
        if errors:
            return self.response_422(message=errors)
        plan = db.session.get(WorkPlan, parse_pk(data["work_plan"]) or 0)
        sub_period = db.session.get(SubPeriod, parse_pk(data["sub_period"]) or 0)
        try:
            report = reporting.start_report(plan, sub_period, current_scope())
        except FieldErrors as exc:
            db.session.rollback()
            return self.response_422(message=error_messages(exc))
        except ConflictError as exc:
            db.session.rollback()
            return self.response(409, message=tr(exc))
        return self.response(201, id=report.id, result=self._state(report))

    def put_headless(self, pk: Any) -> Any:
        report = self._manageable(pk)
        if report is None:
            return self.response_404()
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return self.response_400(message=gettext("Request body must be a JSON object."))
        unknown = set(data) - {"note"}
        if unknown:
            return self.response_422(
                message={name: [gettext("Unknown field.")] for name in sorted(unknown)}
            )
        note = data.get("note")
        if note is not None and not isinstance(note, str):
            return self.response_422(message={"note": [gettext("Not a valid string.")]})
        if "note" in data:  # null clears it; leaving it out keeps it
            note = note or ""
        return self._run(report, lambda r: reporting.save_report(r, {}, current_scope(), note=note))

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
            404: {$ref: '#/components/responses/404'}
            409: {description: Not allowed in the report's state}
            422: {description: Realizations are missing}
        """
        return self._transition(pk, lambda r, d: reporting.submit_report(r, current_scope()))

    @expose("/<pk>/approve", methods=["POST"])
    @protect()
    @safe
    @permission_name("approve")
    def approve(self, pk: Any) -> Any:
        """Evaluate and approve: ``{"results": "above"|"as_expected"|"below",
        "values": {"service": "as_expected", …all seven…}, "behaviour": optional level,
        "feedback": "…"}`` (the direct supervisor only; 409 unless submitted).
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
                    feedback: {type: string}
          responses:
            200: {description: The report's new state with the predikat}
            403: {description: Not the direct supervisor}
            404: {$ref: '#/components/responses/404'}
            409: {description: Not allowed in the report's state}
            422: {description: Ratings or feedback missing or invalid}
        """

        def step(report: Report, data: dict[str, Any]) -> Report:
            values = data.get("values") or {}
            if not isinstance(values, dict):
                raise FieldErrors.single("values", "Not a valid mapping type.")
            ratings, errors = reporting.parse_ratings(
                data.get("results"), data.get("behaviour"), values, data.get("feedback")
            )
            errors.raise_if_any()
            return reporting.approve_report(report, ratings, current_scope())

        return self._transition(pk, step)

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
            pk, lambda r, d: reporting.return_report(r, _text(d.get("reason")), current_scope())
        )

    def _transition(self, pk: Any, step: Any) -> Response:
        report = db.session.scalar(
            select(Report).where(
                Report.id == (parse_pk(pk) or 0), report_condition(current_scope())
            )
        )
        if report is None:
            return self.response_404()
        data = request.get_json(silent=True) if request.data else {}
        if not isinstance(data, dict):
            return self.response_400(message=gettext("Request body must be a JSON object."))
        return self._run(report, lambda r: step(r, data))

    def _run(self, report: Report, step: Any) -> Response:
        result, refused = self.use_case(lambda: step(report))
        if refused is not None:
            return refused
        report = result if isinstance(result, Report) else report
        return self.response(200, result=self._state(report))

    @staticmethod
    def _state(report: Report) -> dict[str, Any]:
        db.session.refresh(report)
        state: dict[str, Any] = {"id": report.id, "status": ReportStatus(report.status).value}
        evaluation = report.evaluation
        if evaluation is not None and evaluation.decided_at is not None:
            state["predikat"] = evaluation.predikat.value if evaluation.predikat else None
        return state


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


class RealizationApi(KinerjaModelApi):
    """A report's realization per indicator; ``PUT {"value": 12, "note": "…"}`` while the
    employee holds the report."""

    resource_name = "realization"
    datamodel = SQLAInterface(Realization)
    class_permission_name = roles.REALIZATION
    method_permission_name = {**API_METHOD_PERMISSIONS, "put": "write"}
    base_permissions = ["can_read", "can_write"]
    list_columns = ["id", "report_id", "indicator_id", "value", "note", "created_at", "updated_at"]
    show_columns = list_columns
    edit_columns = ["value", "note"]
    search_columns = ["report", "indicator", "updated_at"]
    order_columns = ["id", "updated_at"]
    base_order = ("id", "asc")

    def put_headless(self, pk: Any) -> Any:
        line = self._manageable(pk)
        if line is None:
            return self.response_404()
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return self.response_400(message=gettext("Request body must be a JSON object."))
        unknown = set(data) - {"value", "note"}
        if unknown:
            return self.response_422(
                message={name: [gettext("Unknown field.")] for name in sorted(unknown)}
            )
        value = data.get("value", line.value)
        if isinstance(value, bool) or not isinstance(value, int | float | str | type(None)):
            return self.response_422(message={"value": [gettext("Enter a number.")]})
        note = data.get("note", line.note)
        if note is not None and not isinstance(note, str):
            return self.response_422(message={"note": [gettext("Not a valid string.")]})
        try:
            reporting.save_report(
                line.report,
                {line.indicator_id: value},
                current_scope(),
                notes={line.indicator_id: note},
            )
        except FieldErrors as exc:
            db.session.rollback()
            messages = error_messages(exc)
            return self.response_422(
                message={"value" if k.startswith("value_") else k: v for k, v in messages.items()}
            )
        except ConflictError as exc:
            db.session.rollback()
            return self.response(409, message=tr(exc))
        except PermissionError:
            db.session.rollback()
            return self.response_404()
        return self.response(200, result=self.show_model_schema.dump(line))


class EvidenceApi(KinerjaModelApi):
    """Evidence of a report: ``POST`` JSON ``{"report": id, "url": "https://…"}`` for a link
    or multipart ``report``, ``file`` (and optional ``indicator``, ``description``) for a
    file; ``GET /<id>/file`` downloads it; ``DELETE`` removes it with its own file."""

    resource_name = "evidence"
    datamodel = SQLAInterface(Evidence)
    class_permission_name = roles.EVIDENCE
    method_permission_name = {
        **API_METHOD_PERMISSIONS,
        "post": "write",
        "delete": "write",
        "file": "read",
    }
    base_permissions = ["can_read", "can_write"]
    list_columns = [
        "id",
        "report_id",
        "indicator_id",
        "kind",
        "description",
        "url",
        "attachment.original_name",
        "attachment.content_type",
        "attachment.size",
        "created_at",
        "updated_at",
    ]
    show_columns = list_columns
    add_columns = ["report", "indicator", "description", "url"]
    search_columns = ["report", "kind", "updated_at"]
    order_columns = ["id", "updated_at"]
    base_order = ("id", "asc")
    add_query_rel_fields = {
        "report": scope_filter(ManageScopeFilter),
        "indicator": scope_filter(ReadScopeFilter),
    }
    delete_item = staticmethod(reporting.delete_evidence)

    def post_headless(self) -> Any:
        if request.is_json:
            data = request.get_json(silent=True)
            if not isinstance(data, dict):
                return self.response_400(message=gettext("Request body must be a JSON object."))
            upload = None
        else:
            try:
                data = request.form.to_dict()
                upload = request.files.get("file")
            except RequestEntityTooLarge:
                return self.response(413, message={"file": [gettext("The file is too large.")]})
            if upload is None or not upload.filename:
                return self.response_422(message={"file": [gettext("Choose a file.")]})
        errors = self.clean_payload(data)
        if errors:
            return self.response_422(message=errors)
        report = db.session.scalar(
            select(Report).where(
                Report.id == (parse_pk(data.get("report")) or 0),
                report_manage_condition(current_scope()),
            )
        )
        if report is None:
            return self.response_422(message={"report": [gettext("Not a valid choice.")]})
        for field in ("url", "description"):
            if data.get(field) is not None and not isinstance(data.get(field), str):
                return self.response_422(message={field: [gettext("Not a valid string.")]})
        evidence, refused = self.use_case(
            lambda: reporting.add_evidence(
                report,
                current_scope(),
                upload=upload.stream if upload is not None else None,
                filename=upload.filename if upload is not None else None,
                url=data.get("url"),
                description=data.get("description"),
                indicator_id=parse_pk(data.get("indicator")) if data.get("indicator") else None,
            )
        )
        if refused is not None:
            return refused
        return self.response(201, id=evidence.id, result=self.show_model_schema.dump(evidence))

    @expose("/<pk>/file", methods=["GET"])
    @protect()
    @safe
    @permission_name("file")
    def file(self, pk: Any) -> Any:
        """Download the evidence file (404 outside the report's readers or for a link).
        ---
        get:
          parameters:
          - {in: path, name: pk, schema: {type: integer}}
          responses:
            200: {description: The file, as an attachment}
            404: {$ref: '#/components/responses/404'}
        """
        number = parse_pk(pk)
        if number is None:
            return self.response_404()
        try:
            return evidence_file(number)
        except NotFound:  # FAB's @safe would turn the abort into a 500
            return self.response_404()


class EvaluationApi(KinerjaModelApi):
    """Evaluations (read-only): decided ratings, suggestions beside them, the predikat."""

    resource_name = "evaluation"
    datamodel = EagerInterface(Evaluation, eager=[selectinload(Evaluation.ratings)])
    class_permission_name = roles.EVALUATION
    method_permission_name = API_METHOD_PERMISSIONS
    base_permissions = ["can_read"]
    list_columns = [
        "id",
        "report_id",
        "employee_id",
        "results",
        "suggested_results",
        "behaviour",
        "suggested_behaviour",
        "predikat",
        "feedback",
        "evaluator_id",
        "decided_at",
        "created_at",
        "updated_at",
    ]
    show_columns = list_columns
    search_columns = ["report", "employee", "predikat", "decided_at", "updated_at"]
    order_columns = ["id", "decided_at", "updated_at"]
    base_order = ("id", "asc")


class DialogueNoteApi(KinerjaModelApi):
    """The performance dialogue on a report: ``POST {"report": id, "text": "…"}`` by the
    employee or the direct supervisor; notes are kept as written."""

    resource_name = "dialogue_note"
    datamodel = SQLAInterface(DialogueNote)
    class_permission_name = roles.DIALOGUE_NOTE
    method_permission_name = {**API_METHOD_PERMISSIONS, "post": "write"}
    base_permissions = ["can_read", "can_write"]
    list_columns = ["id", "report_id", "author_id", "text", "created_at", "updated_at"]
    show_columns = list_columns
    add_columns = ["report", "text"]
    search_columns = ["report", "created_at"]
    order_columns = ["id", "created_at"]
    base_order = ("id", "asc")
    add_query_rel_fields = {"report": scope_filter(ReadScopeFilter)}

    def post_headless(self) -> Any:
        data = request.get_json(silent=True) if request.is_json else None
        if not isinstance(data, dict):
            return self.response_400(message=gettext("Request body must be a JSON object."))
        errors = self.clean_payload(data)
        if errors:
            return self.response_422(message=errors)
        report = db.session.scalar(
            select(Report).where(
                Report.id == (parse_pk(data.get("report")) or 0),
                report_condition(current_scope()),
            )
        )
        if report is None:
            return self.response_422(message={"report": [gettext("Not a valid choice.")]})
        note, refused = self.use_case(
            lambda: reporting.add_note(report, _text(data.get("text")), current_scope())
        )
        if refused is not None:
            return refused
        return self.response(201, id=note.id, result=self.show_model_schema.dump(note))
