"""Background jobs in the back office: status, progress, result or error, and retry of a
failure — in the reader's language.

A run keeps its kind, state and result as message templates with parameters
(:class:`~kinerja.models.jobs.Message`); they are translated here, when shown. The list is a
:class:`KinerjaModelView`: scoped by the job-run policy (an Operator sees the runs they asked
for), with translated enum search fields (FAB's own fail on value-stored enums).
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, url_for
from flask_appbuilder import expose
from flask_appbuilder.actions import action
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import false

from kinerja.domain.errors import ConflictError, DomainError
from kinerja.models.jobs import JobName, JobRun, JobStatus, Message, job_label
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.services import job_runs
from kinerja.views.exports import ExportMixin
from kinerja.views.fields import TranslatedEnumField
from kinerja.views.formatters import local_datetime
from kinerja.views.refusals import flash_refusal, tr
from kinerja.views.screens import READ_ONLY_METHODS, KinerjaModelView


def message_text(message: Message | None) -> str:
    """A run's message (its state, its result) in the reader's language."""
    if message is None:
        return ""
    template, params = message
    return gettext(template, **params) if params else gettext(template)


def job_name_text(name: str) -> str:
    return gettext(job_label(name))


def or_blank(value: Any) -> str:
    return "" if value is None else str(value)


class FilterJobName(BaseFilter):
    """Search by kind of job, chosen by its label (an unknown kind matches nothing)."""

    name = _l("Equal to")
    arg_name = "eq"

    def apply(self, query: Any, value: Any) -> Any:
        try:
            name = JobName(value)
        except ValueError:
            return query.filter(false())
        return query.filter(JobRun.name == name.value)


JOB_LABELS = {
    "name": _l("Job"),
    "status": _l("Status"),
    "state": _l("Status"),
    "progress": _l("Progress"),
    "attempts": _l("Attempts"),
    "created_at": _l("Created"),
    "started_at": _l("Started"),
    "finished_at": _l("Finished"),
    "outcome": _l("Result"),
    "error": _l("Error"),
    "requested_by": _l("Requested by"),
}


class JobRunView(ExportMixin, KinerjaModelView):
    route_base = "/jobs"
    datamodel = SQLAInterface(JobRun)
    class_permission_name = roles.JOB_RUN
    method_permission_name = {
        **READ_ONLY_METHODS,
        "retry": "retry",
        "action": "read",
        "action_post": "read",
    }
    base_permissions = ["can_read", "can_retry"]
    base_order = ("id", "desc")
    list_title = _l("Background jobs")
    show_title = _l("Background job")
    list_columns = [
        "id",
        "name",
        "state",
        "progress",
        "attempts",
        "created_at",
        "finished_at",
        "outcome",
    ]
    show_columns = [
        "id",
        "name",
        "state",
        "progress",
        "attempts",
        "outcome",
        "error",
        "created_at",
        "started_at",
        "finished_at",
        "requested_by",
    ]
    search_columns = ["name", "status", "created_at"]
    order_columns = ["id", "name", "attempts", "created_at", "finished_at"]
    label_columns = JOB_LABELS
    formatters_columns = {
        "name": job_name_text,
        "state": message_text,
        "outcome": message_text,
        "error": or_blank,
        "requested_by": or_blank,
        **dict.fromkeys(("created_at", "started_at", "finished_at"), local_datetime),
    }

    def _init_properties(self) -> None:
        super()._init_properties()
        by_label = [FilterJobName("name", self.datamodel)]
        self._filters._search_filters["name"] = by_label
        self._filters._all_filters["name"] = by_label

    def _init_forms(self) -> None:
        super()._init_forms()
        self.search_form.name = TranslatedEnumField(
            self.label_columns["name"], enum_class=JobName, allow_blank=True
        )

    @action("retry", _l("Retry"), _l("Run the failed job again?"), "fa-repeat", multiple=False)
    def retry(self, item: Any) -> Any:
        try:
            job_runs.retry(item.id, current_scope())
        except ConflictError as refusal:
            flash(tr(refusal), "warning")
        except DomainError as refusal:
            flash_refusal(refusal)
        else:
            flash(gettext("The job was put back in line."), "success")
        return redirect(url_for("JobRunView.show", pk=item.id))

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk: Any) -> Any:
        """FAB's detail page, refreshing itself while the job has not finished; *Retry* is
        offered only on a failed run (the only one it can put back in line)."""
        run = self.datamodel.get(pk, self._base_filters)
        if run is None:
            abort(404)
        widgets = self._show(pk)
        if run.status != JobStatus.FAILED:
            shown = widgets["show"].template_args
            shown["actions"] = {k: a for k, a in shown["actions"].items() if k != "retry"}
        return self.render_template(
            "kinerja/job_show.html",
            pk=pk,
            title=self.show_title,
            widgets=widgets,
            related_views=self._related_views,
            running=not run.status.finished,
            download=url_for("UnitPlansPrintView.download", run_id=run.id)
            if run.name == JobName.PRINT_UNIT_PLANS and run.status == JobStatus.SUCCEEDED
            else None,
        )
