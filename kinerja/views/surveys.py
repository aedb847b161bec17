"""Back-office screens of the public satisfaction surveys (SKM): services, surveys with their
public link and printable QR poster, and the public's responses with comment moderation.

Scoped by :mod:`kinerja.security.policies.surveys` like every screen; saving through
:mod:`kinerja.services.surveys.catalogue`. Column lists are shared with the REST twins in
:mod:`kinerja.views.surveys_api`.
"""

from __future__ import annotations

from typing import Any

import segno
from flask import abort, current_app, flash, redirect, url_for
from flask_appbuilder import expose
from flask_appbuilder.actions import action
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from kinerja.domain.errors import DomainError
from kinerja.models.org import Unit
from kinerja.models.surveys import Service, Survey, SurveyResponse, SurveyStatus
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.security.policies import positions, services, surveys, units
from kinerja.services.surveys import catalogue
from kinerja.views.exports import CsvExportMixin, ExportMixin
from kinerja.views.fields import EagerInterface
from kinerja.views.filters import FilterRelatedName, FilterUnitText, condition_filter
from kinerja.views.labels import TIMESTAMP_LABELS
from kinerja.views.params import parse_pk
from kinerja.views.refusals import flash_refusal
from kinerja.views.screens import CRUD_METHOD_PERMISSIONS, READ_ONLY_METHODS, KinerjaModelView
from kinerja.views.widgets import RemoteChoice

UNIT_CHOICE = RemoteChoice(Unit, units.placeable, (Unit.code, Unit.name), Unit.code)
SERVICE_CHOICE = RemoteChoice(
    Service,
    services.manage,
    (Service.name,),
    Service.name,
    extra=lambda: Service.active.is_(True),
)


def public_url(token: str) -> str:
    """The survey's public address, as printed on the poster (the configured base URL, not
    whatever host a back-office request came through)."""
    base = str(current_app.config.get("KINERJA_BASE_URL") or "").rstrip("/")
    return f"{base}/skm/{token}"


def survey_status(schedule: Any) -> str:
    """The status of a survey today, from its :attr:`Survey.schedule`."""
    if not schedule:
        return ""
    opens_on, closes_on, closed = schedule
    day = catalogue.today()
    if closed or day > closes_on:
        status = SurveyStatus.CLOSED
    else:
        status = SurveyStatus.UPCOMING if day < opens_on else SurveyStatus.OPEN
    return gettext(status.label)


def public_link(token: Any) -> Markup:
    if not token:
        return Markup("")
    url = public_url(str(token))
    return Markup('<a href="{0}" rel="noopener" target="_blank">{0}</a>').format(url)


def poster_link(pk: Any) -> Markup:
    if not pk:
        return Markup("")
    href = url_for("SurveyView.poster", pk=pk)
    return Markup('<a href="{}"><i class="fa fa-qrcode"></i> {}</a>').format(
        href, gettext("Printable poster with QR code")
    )


# --- services -------------------------------------------------------------------------------

SERVICE_LABELS = {
    "unit": _l("Unit"),
    "unit_id": _l("Unit"),
    "name": _l("Service"),
    "description": _l("Description"),
    "yearly_population": _l("People served per year"),
    "required_sample": _l("Respondents needed"),
    "positions": _l("Delivering positions"),
    "active": _l("Active"),
    **TIMESTAMP_LABELS,
}
SERVICE_EDIT_COLUMNS = ["unit", "name", "description", "yearly_population", "positions", "active"]
SERVICE_SEARCH_COLUMNS = ["name", "unit", "yearly_population", "active", "updated_at"]
SERVICE_REL_FIELDS = {
    "unit": condition_filter(units.placeable),
    "positions": condition_filter(positions.manage),
}
SERVICE_DESCRIPTIONS = {
    "yearly_population": _l(
        "How many people use the service in a year: the population of the sample size."
    ),
    "positions": _l(
        "Positions of the unit that deliver the service: their holders see the unit's index."
    ),
    "active": _l("An inactive service is kept with its surveys but gets no new survey."),
}


class ServiceView(CsvExportMixin, KinerjaModelView):
    route_base = "/services"
    datamodel = EagerInterface(
        Service, eager=[selectinload(Service.unit), selectinload(Service.positions)]
    )
    class_permission_name = roles.SERVICE
    list_title = _l("Services")
    show_title = _l("Service")
    add_title = _l("Add service")
    edit_title = _l("Edit service")
    label_columns = SERVICE_LABELS
    list_columns = ["name", "unit", "yearly_population", "required_sample", "active"]
    show_columns = [
        "name",
        "unit",
        "description",
        "yearly_population",
        "required_sample",
        "positions",
        "active",
        "created_at",
        "updated_at",
    ]
    add_columns = edit_columns = SERVICE_EDIT_COLUMNS
    search_columns = SERVICE_SEARCH_COLUMNS
    text_filters = {"unit": [FilterUnitText]}
    remote_choices = {"unit": UNIT_CHOICE}
    add_form_query_rel_fields = edit_form_query_rel_fields = SERVICE_REL_FIELDS
    order_columns = ["name", "yearly_population", "updated_at"]
    base_order = ("name", "asc")
    description_columns = SERVICE_DESCRIPTIONS
    save_item = staticmethod(catalogue.save_service)
    delete_item = staticmethod(catalogue.delete_service)


# --- surveys --------------------------------------------------------------------------------

SURVEY_LABELS = {
    "service": _l("Service"),
    "service_id": _l("Service"),
    "period": _l("Period"),
    "period_id": _l("Period"),
    "opens_on": _l("Opens on"),
    "closes_on": _l("Closes on"),
    "closed_at": _l("Closed early at"),
    "schedule": _l("Status"),
    "token": _l("Public link"),
    "poster": _l("Poster"),
    "response_count": _l("Responses"),
    "required_sample": _l("Respondents needed"),
    **TIMESTAMP_LABELS,
}
SURVEY_ADD_COLUMNS = ["service", "period", "opens_on", "closes_on"]
SURVEY_EDIT_COLUMNS = ["opens_on", "closes_on"]
SURVEY_SEARCH_COLUMNS = ["service", "period", "opens_on", "closes_on", "closed_at"]
SURVEY_REL_FIELDS = {"service": condition_filter(services.manage)}


class SurveyView(ExportMixin, KinerjaModelView):
    route_base = "/surveys"
    datamodel = EagerInterface(
        Survey,
        eager=[
            selectinload(Survey.service).selectinload(Service.unit),
            selectinload(Survey.period),
        ],
    )
    class_permission_name = roles.SURVEY
    method_permission_name = {**CRUD_METHOD_PERMISSIONS, "poster": "read", "close": "close"}
    base_permissions = ["can_read", "can_add", "can_edit", "can_delete", "can_close"]
    list_title = _l("Surveys")
    show_title = _l("Survey")
    add_title = _l("Open a survey")
    edit_title = _l("Change the survey's dates")
    label_columns = SURVEY_LABELS
    list_columns = [
        "service",
        "period",
        "opens_on",
        "closes_on",
        "schedule",
        "response_count",
        "required_sample",
    ]
    show_columns = [
        "service",
        "period",
        "opens_on",
        "closes_on",
        "schedule",
        "closed_at",
        "token",
        "poster",
        "response_count",
        "required_sample",
        "created_at",
    ]
    add_columns = SURVEY_ADD_COLUMNS
    edit_columns = SURVEY_EDIT_COLUMNS
    search_columns = SURVEY_SEARCH_COLUMNS
    text_filters = {"service": [FilterRelatedName]}
    remote_choices = {"service": SERVICE_CHOICE}
    add_form_query_rel_fields = SURVEY_REL_FIELDS
    order_columns = ["opens_on", "closes_on"]
    base_order = ("opens_on", "desc")
    formatters_columns = {"schedule": survey_status, "token": public_link, "poster": poster_link}
    description_columns = {
        "opens_on": _l("The first day the public can answer."),
        "closes_on": _l("The last day; both days lie within the period."),
    }
    save_item = staticmethod(catalogue.save_survey)
    delete_item = staticmethod(catalogue.delete_survey)

    @expose("/poster/<pk>")
    @has_access
    def poster(self, pk: Any) -> Any:
        """A page to print for the service counter: the QR code of the public link, drawn
        here (SVG, no outside service), and the link in words."""
        survey = surveys.readable(current_scope(), parse_pk(pk))
        if survey is None:
            abort(404)
        url = public_url(survey.token)
        qr = segno.make(url, error="m")
        return self.render_template(
            "kinerja/skm/poster.html",
            survey=survey,
            url=url,
            # segno's own SVG of a URL we built: no outside text reaches it unescaped
            qr=Markup(qr.svg_inline(scale=8, border=4, dark="#000", light="#fff")),  # noqa: S704
        )

    @action(
        "close",
        _l("Close early"),
        confirmation=_l("Close this survey now? The public can no longer answer it."),
        icon="fa-lock",
        multiple=False,
    )
    def close(self, item: Any) -> Any:
        try:
            catalogue.close_survey(item, current_scope())
        except DomainError as refusal:
            flash_refusal(refusal)
        else:
            flash(gettext("The survey is closed; its index is being computed."), "success")
        return redirect(url_for(".show", pk=item.id))


# --- responses ------------------------------------------------------------------------------

RESPONSE_LABELS = {
    "survey": _l("Survey"),
    "survey_id": _l("Survey"),
    "submitted_at": _l("Submitted"),
    "answers": _l("Answers (1–4, elements 1–9)"),
    "age_range": _l("Age"),
    "sex": _l("Sex"),
    "education": _l("Education"),
    "occupation": _l("Occupation"),
    "comment": _l("Comment"),
    "comment_published": _l("Comment published"),
    **{f"a{n}": _l("Element %(number)d", number=n) for n in range(1, 10)},
}
RESPONSE_SEARCH_COLUMNS = ["survey", "submitted_at", "comment", "comment_published"]


def answers_text(answers: Any) -> str:
    return " ".join(str(answer) for answer in answers or ())


class SurveyResponseView(ExportMixin, KinerjaModelView):
    """Read-only: the public's answers are kept as given. Comments are approved (or
    withdrawn) for the transparency page by the actions."""

    route_base = "/survey-responses"
    datamodel = EagerInterface(
        SurveyResponse,
        eager=[selectinload(SurveyResponse.survey).selectinload(Survey.service)],
    )
    class_permission_name = roles.SURVEY_RESPONSE
    method_permission_name = {
        **READ_ONLY_METHODS,
        "action": "read",
        "action_post": "read",
        "publish_comments": "moderate",
        "withdraw_comments": "moderate",
    }
    base_permissions = ["can_read", "can_moderate"]
    list_title = _l("Survey responses")
    show_title = _l("Survey response")
    label_columns = RESPONSE_LABELS
    list_columns = ["survey", "submitted_at", "answers", "comment", "comment_published"]
    show_columns = [
        "survey",
        "submitted_at",
        *(f"a{n}" for n in range(1, 10)),
        "age_range",
        "sex",
        "education",
        "occupation",
        "comment",
        "comment_published",
    ]
    search_columns = RESPONSE_SEARCH_COLUMNS
    text_filters = {"survey": [FilterRelatedName]}
    order_columns = ["submitted_at"]
    base_order = ("submitted_at", "desc")
    formatters_columns = {"answers": answers_text}

    @action(
        "publish_comments",
        _l("Publish comments"),
        confirmation=_l("Publish the chosen comments on the transparency page?"),
        icon="fa-bullhorn",
    )
    def publish_comments(self, items: Any) -> Any:
        return self._moderate(items, True)

    @action("withdraw_comments", _l("Withdraw comments"), icon="fa-eye-slash")
    def withdraw_comments(self, items: Any) -> Any:
        return self._moderate(items, False)

    def _moderate(self, items: Any, published: bool) -> Any:
        chosen = items if isinstance(items, list) else [items]
        try:
            changed = catalogue.publish_comments(chosen, published, current_scope())
        except DomainError as refusal:
            flash_refusal(refusal)
        else:
            flash(
                ngettext("%(num)d comment changed.", "%(num)d comments changed.", changed),
                "success",
            )
        return redirect(url_for(".list"))
