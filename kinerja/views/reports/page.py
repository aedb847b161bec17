"""A report's page, periodic or annual. The owner fills realizations (a description for a
qualitative indicator) and evidence and submits; the direct supervisor reviews with the
computed achievements and the sub-period's daily log, gives each qualitative indicator a
level, rates, writes feedback and decides; both talk in the dialogue. The steps offered are
exactly those the report policy allows."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, jsonify, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext
from marshmallow import ValidationError

from kinerja.domain.errors import DomainError
from kinerja.domain.ratings import Level
from kinerja.models.ratings import UnitRating
from kinerja.models.reports import Report
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.security.policies import reports, self_evaluations
from kinerja.services.documents.evaluation import evaluation_document
from kinerja.services.plans.queries import behaviour_values
from kinerja.services.reports import activities, dialogue, evaluations, queries
from kinerja.services.reports import reports as reporting
from kinerja.services.reports.achievement import progress
from kinerja.services.reports.files import file_store
from kinerja.services.reports.self_evaluation import self_evaluation_of
from kinerja.services.surveys import results as survey_results
from kinerja.views.documents import document_response
from kinerja.views.formatters import waiting_time
from kinerja.views.params import parse_pk
from kinerja.views.refusals import as_seen, flash_refusal, screen_step, tr
from kinerja.views.reports.files import evidence_file
from kinerja.views.reports.schemas import RatingsSchema
from kinerja.views.schemas import field_errors


def indexed(form: Any, prefix: str) -> dict[int, str]:
    """Form fields ``<prefix><id>`` by id (realization values and notes per indicator)."""
    return {
        int(key.removeprefix(prefix)): value
        for key, value in form.items()
        if key.startswith(prefix) and key.removeprefix(prefix).isdigit()
    }


def form_ratings() -> evaluations.Ratings:
    """The evaluation form read by the same schema as the API (levels by BerAKHLAK code)."""
    form = request.form
    data = {
        "results": form.get("results"),
        "behaviour": form.get("behaviour"),
        "values": {k.removeprefix("level_"): v for k, v in form.items() if k.startswith("level_")},
        "indicator_levels": {str(k): v for k, v in indexed(form, "indicator_level_").items()},
        "feedback": form.get("feedback"),
    }
    try:
        loaded = RatingsSchema().load(data)
    except ValidationError as err:
        raise field_errors(err) from err
    return evaluations.ratings_from(
        loaded["results"],
        loaded["behaviour"],
        loaded["values"],
        loaded["feedback"],
        loaded["indicator_levels"],
    )


def unit_reason(rating: UnitRating | None) -> str:
    """Why a unit head's suggested results are what they are (empty for anybody else)."""
    if rating is None:
        return ""
    return gettext(
        "Follows the predikat “%(predikat)s” of %(unit)s for the period: the suggested "
        "results of a unit's head follow the unit's own predikat.",
        predikat=gettext(rating.predikat.label),
        unit=rating.unit.name,
    )


class ReportPageView(BaseView):
    route_base = "/report"
    class_permission_name = roles.REPORT
    method_permission_name = {
        "mine": "write",
        "start": "write",
        "report": "read",
        "evaluation_pdf": "read",
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
        plans = [
            (plan, queries.reportable_sub_periods(plan))
            for plan in queries.own_plans(current_scope())
        ]
        return self.render_template(
            "kinerja/reports_mine.html", plans=plans, today=activities.today()
        )

    @expose("/start", methods=["POST"])
    @has_access
    def start(self) -> Any:
        try:
            report = reporting.start_report(
                parse_pk(request.form.get("work_plan")),
                parse_pk(request.form.get("sub_period")),
                current_scope(),
            )
        except DomainError as refusal:
            flash_refusal(refusal)
            return redirect(url_for("ReportPageView.mine"))
        flash(gettext("The report was started: enter the realizations."), "success")
        return redirect(url_for("ReportPageView.report", pk=report.id))

    @expose("/<int:pk>/")
    @has_access
    def report(self, pk: int) -> Any:
        report = self._readable(pk)
        actions = reports.actions(current_scope(), report)
        evaluation = report.evaluation
        sub_period = report.sub_period
        logged = activities.team_activities(
            [report.employee_id], sub_period.starts_on, sub_period.ends_on
        )
        suggestion = evaluations.preview(report, evaluations.Ratings()) if actions.decide else None
        self.update_redirect()
        return self.render_template(
            "kinerja/report.html",
            report=report,
            annual=bool(sub_period.annual),
            progress=progress(report),
            actions=actions,
            evaluation=evaluation if actions.see_evaluation else None,
            ratings=evaluations.decided_levels(evaluation),
            given_levels=reporting.given_levels(evaluation) if actions.see_evaluation else {},
            unit_reason=unit_reason(suggestion.unit_rating) if suggestion else "",
            survey_indices=survey_results.delivered_indices(
                current_scope(), report.employee.position_id, report.work_plan.period_id
            ),
            values=behaviour_values(),
            levels=list(Level),
            problems=reporting.completeness_problems(report),
            activities=logged,
            activity_minutes=sum(a.duration_minutes for a in logged),
            max_upload_mb=file_store().max_bytes // 2**20,
            waiting=waiting_time(report.waiting_since),
            self_evaluation=self_evaluation_of(report, current_scope()),
            may_self_evaluate=self_evaluations.may_self_evaluate(current_scope(), report),
            tr=tr,
        )

    @expose("/<int:pk>/evaluation.pdf")
    @has_access
    def evaluation_pdf(self, pk: int) -> Any:
        """The evaluation document, to whoever sees the evaluation on this page."""
        return document_response(lambda: evaluation_document(parse_pk(pk), current_scope()))

    # --- the owner's steps --------------------------------------------------------------

    @expose("/<int:pk>/save", methods=["POST"])
    @has_access
    def save(self, pk: int) -> Any:
        report = self._readable(pk)
        values, notes = indexed(request.form, "value_"), indexed(request.form, "note_")
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
        chosen = upload if upload is not None and upload.filename else None
        return self._act(
            report,
            lambda: reporting.add_evidence(
                report,
                current_scope(),
                upload=chosen.stream if chosen else None,
                filename=chosen.filename if chosen else None,
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
        item = next((e for e in report.evidence if e.id == evidence_id), None)
        if item is None:
            abort(404)
        return self._act(
            report,
            lambda: reporting.delete_evidence(item, current_scope()),
            gettext("The evidence was removed."),
        )

    @expose("/evidence/<int:evidence_id>/file")
    @has_access
    def download(self, evidence_id: int) -> Any:
        return evidence_file(parse_pk(evidence_id))

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
            as_seen(
                lambda: reporting.delete_report(report, current_scope()), (report, "row_version")
            )()
        except DomainError as refusal:
            flash_refusal(refusal)
            return redirect(url_for("ReportPageView.report", pk=pk))
        flash(gettext("The report was deleted."), "success")
        return redirect(url_for("ReportPageView.mine"))

    # --- the supervisor's steps ---------------------------------------------------------

    @expose("/<int:pk>/evaluate", methods=["POST"])
    @has_access
    def evaluate(self, pk: int) -> Any:
        report = self._readable(pk)
        scope = current_scope()
        approve = request.form.get("decision") == "approve"

        def step() -> None:
            ratings = form_ratings()
            evaluations.save_evaluation(report, ratings, scope)  # kept even if approval is refused
            if approve:
                evaluations.approve_report(report, ratings, scope)

        done = (
            gettext("The report was evaluated; the employee sees your feedback.")
            if approve
            else gettext("Your ratings were saved; the report is still in your queue.")
        )
        seen = as_seen(step, (report.evaluation, "evaluation_version"))
        return self._act(report, seen, done)

    @expose("/<int:pk>/preview", methods=["POST"])
    @has_access
    def preview(self, pk: int) -> Any:
        """The suggestion and predikat for the choices so far (rules stay on the server)."""
        report = self._readable(pk)
        if not reports.may_decide(current_scope(), report):
            abort(403)
        try:
            ratings = form_ratings()
        except DomainError:
            ratings = evaluations.Ratings()
        result = evaluations.preview(report, ratings)
        suggested_behaviour = result.suggested_behaviour
        return jsonify(
            suggested_results=result.suggested_results.value,
            suggested_results_label=gettext(result.suggested_results.label),
            suggested_behaviour=suggested_behaviour.value if suggested_behaviour else None,
            suggested_behaviour_label=gettext(suggested_behaviour.label)
            if suggested_behaviour
            else "",
            suggested_results_reason=unit_reason(result.unit_rating),
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
            lambda: evaluations.return_report(report, reason, current_scope()),
            gettext("The report was returned with your reason."),
        )

    @expose("/<int:pk>/notes", methods=["POST"])
    @has_access
    def add_note(self, pk: int) -> Any:
        report = self._readable(pk)
        return self._act(
            report,
            lambda: dialogue.add_note(report, request.form.get("text"), current_scope()),
            gettext("Your note was added to the dialogue."),
            anchor="dialogue",
        )

    # --- helpers --------------------------------------------------------------------------

    def _act(self, report: Report, step: Any, done: str, anchor: str | None = None) -> Any:
        """Run a step of the report's page, refused if the report changed since it was shown."""
        return screen_step(
            as_seen(step, (report, "row_version")),
            done,
            url_for("ReportPageView.report", pk=report.id, _anchor=anchor),
        )

    @staticmethod
    def _readable(pk: int) -> Report:
        report = reports.readable(current_scope(), parse_pk(pk))
        if report is None:
            abort(404)
        return report
