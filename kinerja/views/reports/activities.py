"""Daily activities (laporan harian): the employee's quick log, the supervisor's view of the
team today, and the REST resource."""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy.orm import selectinload
from wtforms import FileField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from kinerja.models.planning import Indicator
from kinerja.models.reports import Activity
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.security.policies import activities as activity_policy
from kinerja.security.policies import employees
from kinerja.security.policies.scope import Scope
from kinerja.services.reports import activities as reporting
from kinerja.views.exports import CsvExportMixin
from kinerja.views.fields import EagerInterface
from kinerja.views.filters import FilterRelatedName, condition_filter
from kinerja.views.reports.files import send_attachment
from kinerja.views.rest import KinerjaModelApi
from kinerja.views.screens import CRUD_METHOD_PERMISSIONS, KinerjaModelView
from kinerja.views.widgets import RemoteChoice

ACTIVITY_LABELS = {
    "employee": _l("Employee"),
    "employee_id": _l("Employee"),
    "day": _l("Date"),
    "description": _l("What was done"),
    "duration_minutes": _l("Duration (minutes)"),
    "indicator": _l("Indicator (IKI)"),
    "indicator_id": _l("Indicator (IKI)"),
    "attachment": _l("Attachment"),
    "attachment_id": _l("Attachment"),
    "attachment_file": _l("Attachment"),
    "created_at": _l("Logged"),
    "updated_at": _l("Changed"),
}

OWN_INDICATOR = RemoteChoice(
    Indicator, activity_policy.own_indicators, (Indicator.text,), Indicator.text
)


def attachment_link(attachment: Any) -> Markup | str:
    if attachment is None:
        return ""
    url = url_for("ActivityView.attachment", attachment_id=attachment.id)
    return Markup(f'<a href="{escape(url)}">{escape(attachment.original_name)}</a>')  # noqa: S704


def save_activity(item: Activity, scope: Scope) -> None:
    """The form's file (if one was chosen) goes with the activity."""
    upload = request.files.get("attachment_file")
    if upload is not None and upload.filename:
        reporting.save_activity(item, scope, upload.stream, upload.filename)
    else:
        reporting.save_activity(item, scope)


class ActivityView(CsvExportMixin, KinerjaModelView):
    """One's own log (with a quick entry form above it), and the logs one may read."""

    route_base = "/activities"
    datamodel = EagerInterface(
        Activity,
        eager=[
            selectinload(Activity.employee),
            selectinload(Activity.indicator),
            selectinload(Activity.attachment),
        ],
    )
    class_permission_name = roles.ACTIVITY
    method_permission_name = {**CRUD_METHOD_PERMISSIONS, "attachment": "read"}
    list_template = "kinerja/activities_list.html"
    list_title = _l("Daily activities")
    add_title = _l("Log an activity")
    edit_title = _l("Edit activity")
    show_title = _l("Activity")
    label_columns = ACTIVITY_LABELS
    list_columns = ["day", "employee", "description", "duration_minutes", "indicator", "attachment"]
    show_columns = [
        "day",
        "employee",
        "description",
        "duration_minutes",
        "indicator",
        "attachment",
        "created_at",
    ]
    add_columns = ["day", "description", "duration_minutes", "indicator", "attachment_file"]
    edit_columns = ["day", "description", "duration_minutes", "indicator", "attachment_file"]
    add_form_extra_fields = edit_form_extra_fields = {
        "attachment_file": FileField(
            _l("Attachment"), description=_l("Optional: PDF, image, Office document, text.")
        ),
        "duration_minutes": IntegerField(
            _l("Duration (minutes)"),
            validators=[InputRequired(), NumberRange(min=1, max=1440)],
            default=60,
        ),
    }
    search_columns = ["day", "employee", "description"]
    text_filters = {"employee": [FilterRelatedName]}
    order_columns = ["day", "duration_minutes"]
    base_order = ("day", "desc")
    remote_choices = {"indicator": OWN_INDICATOR}
    save_item = staticmethod(save_activity)
    delete_item = staticmethod(reporting.delete_activity)
    description_columns = {
        "day": _l("Activities stay editable for a few days, then lock."),
        "indicator": _l("Optional: the indicator of your plan this work counts towards."),
    }
    formatters_columns = {"attachment": lambda a: attachment_link(a)}

    @expose("/attachment/<int:attachment_id>")
    @has_access
    def attachment(self, attachment_id: int) -> Any:
        """An activity's attachment, for those who may read the activity."""
        attachment = reporting.readable_attachment(current_scope(), attachment_id)
        if attachment is None:
            abort(404)
        return send_attachment(attachment)

    def prepare_form(self, form: Any, item: Any | None) -> None:
        if item is None and request.method == "GET":
            form.day.data = reporting.today()

    def after_save_url(self, item: Any) -> str:
        if request.form.get("another"):
            return url_for(f"{self.endpoint}.add")
        return url_for(f"{self.endpoint}.list")

    def render_template(self, template: str, **kwargs: Any) -> Any:
        scope = current_scope()
        kwargs.setdefault("can_log", scope.is_employee)
        kwargs.setdefault("today", reporting.today())
        kwargs.setdefault("edit_days", reporting.edit_days())
        return super().render_template(template, **kwargs)


class TeamTodayView(BaseView):
    """What one's subordinates logged today and this week, refreshed as they enter it."""

    route_base = "/team"
    class_permission_name = roles.ACTIVITY
    method_permission_name = {"today": "read", "feed": "read"}
    base_permissions = ["can_read"]
    default_view = "today"

    @expose("/today/")
    @has_access
    def today(self) -> Any:
        day = reporting.today()
        week = reporting.week_start(day)
        activities = reporting.team_activities(employees.team(current_scope()), week)
        return self.render_template(
            "kinerja/team_today.html",
            today=day,
            week=week,
            todays=[a for a in activities if a.day == day],
            weeks=[a for a in activities if a.day < day],
            minutes=sum(a.duration_minutes for a in activities if a.day == day),
        )

    @expose("/today/feed")
    @has_access
    def feed(self) -> Any:
        """Today's count, for the page to notice new entries without reloading."""
        day = reporting.today()
        activities = reporting.team_activities(employees.team(current_scope()), day)
        latest = max((a.updated_at for a in activities), default=None)
        return jsonify(count=len(activities), latest=latest.isoformat() if latest else None)


class ActivityApi(KinerjaModelApi):
    resource_name = "activity"
    datamodel = EagerInterface(Activity)
    class_permission_name = roles.ACTIVITY
    label_columns = ACTIVITY_LABELS
    list_columns = [
        "id",
        "employee_id",
        "day",
        "description",
        "duration_minutes",
        "indicator_id",
        "attachment_id",
        "created_at",
        "updated_at",
    ]
    show_columns = list_columns
    add_columns = ["day", "description", "duration_minutes", "indicator"]
    edit_columns = add_columns
    search_columns = ["employee", "day", "indicator", "updated_at"]
    order_columns = ["id", "day", "updated_at"]
    base_order = ("id", "asc")
    add_query_rel_fields = edit_query_rel_fields = {
        "indicator": condition_filter(activity_policy.own_indicators)
    }
    save_item = staticmethod(reporting.save_activity)
    delete_item = staticmethod(reporting.delete_activity)
