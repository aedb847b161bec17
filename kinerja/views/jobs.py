"""Background jobs in the back office: status, progress, errors, and retry of a failure."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for
from flask_appbuilder import ModelView, expose
from flask_appbuilder.actions import action
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from kinerja.models.jobs import JobRun, JobStatus
from kinerja.security import roles
from kinerja.services import outbox
from kinerja.views.filters import READABLE
from kinerja.views.formatters import enum_formatter, local_datetime
from kinerja.views.screens import SafeActionsMixin


class JobRunView(SafeActionsMixin, ModelView):
    route_base = "/jobs"
    datamodel = SQLAInterface(JobRun)
    class_permission_name = roles.JOB_RUN
    method_permission_name = {
        "list": "read",
        "show": "read",
        "retry": "retry",
        "action": "read",
        "action_post": "read",
    }
    base_permissions = ["can_read", "can_retry"]
    base_filters = READABLE
    base_order = ("id", "desc")
    list_title = _l("Background jobs")
    show_title = _l("Background job")
    list_columns = [
        "id",
        "name",
        "status",
        "progress",
        "attempts",
        "created_at",
        "finished_at",
        "message",
    ]
    show_columns = [
        "id",
        "name",
        "status",
        "progress",
        "attempts",
        "message",
        "error",
        "created_at",
        "started_at",
        "finished_at",
        "requested_by_id",
    ]
    search_columns = ["name", "status", "created_at"]
    order_columns = ["id", "name", "status", "created_at"]
    label_columns = {
        "name": _l("Job"),
        "status": _l("Status"),
        "progress": _l("Progress"),
        "attempts": _l("Attempts"),
        "created_at": _l("Created"),
        "started_at": _l("Started"),
        "finished_at": _l("Finished"),
        "message": _l("Result"),
        "error": _l("Error"),
        "requested_by_id": _l("Requested by"),
    }
    formatters_columns = {
        "status": enum_formatter(JobStatus),
        **dict.fromkeys(("created_at", "started_at", "finished_at"), local_datetime),
    }

    @action("retry", _l("Retry"), _l("Run the failed job again?"), "fa-repeat", multiple=False)
    def retry(self, item: Any) -> Any:
        if outbox.retry(item.id):
            flash(gettext("The job was put back in line."), "success")
        else:
            flash(gettext("Only a failed job can be retried."), "warning")
        return redirect(url_for("JobRunView.show", pk=item.id))

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk: Any) -> Any:
        """FAB's detail page, refreshing itself while the job has not finished."""
        widgets = self._show(pk)
        run = self.datamodel.get(pk, self._base_filters)
        return self.render_template(
            "kinerja/job_show.html",
            pk=pk,
            title=self.show_title,
            widgets=widgets,
            related_views=self._related_views,
            running=run is not None and run.status not in (JobStatus.SUCCEEDED, JobStatus.FAILED),
        )
