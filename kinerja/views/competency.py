"""Back-office screens of competency and development: the dictionary with its level
descriptions, position standards, assessments, the training catalogue, training records,
recommendations and reward candidates.

Scoped by :mod:`kinerja.security.policies.competency` like every screen; saving through
:mod:`kinerja.services.competency.catalogue`. Column lists are shared with the REST twins in
:mod:`kinerja.views.competency_api`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, g, redirect, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from kinerja.domain.errors import DomainError
from kinerja.models.competency import (
    Assessment,
    Competency,
    CompetencyLevel,
    PositionCompetency,
    Recommendation,
    RewardCandidate,
    Training,
    TrainingCompetency,
    TrainingRecord,
)
from kinerja.models.org import Employee, Position
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.security.policies import assessments, employees, position_competencies
from kinerja.services.competency import catalogue, requests
from kinerja.services.competency.certificates import readable_certificate
from kinerja.views.exports import CsvExportMixin
from kinerja.views.fields import EagerInterface
from kinerja.views.filters import FilterRelatedName, condition_filter
from kinerja.views.labels import TIMESTAMP_LABELS
from kinerja.views.params import parse_pk
from kinerja.views.refusals import flash_refusal
from kinerja.views.screens import CRUD_METHOD_PERMISSIONS, KinerjaModelView
from kinerja.views.widgets import RemoteChoice

LABELS = {
    "code": _l("Code"),
    "category": _l("Kind"),
    "name": _l("Name"),
    "name_en": _l("Name (English)"),
    "description": _l("Description"),
    "active": _l("Active"),
    "level": _l("Level"),
    "levels": _l("Levels"),
    "competency": _l("Competency"),
    "competency_id": _l("Competency"),
    "position": _l("Position"),
    "position_id": _l("Position"),
    "required_level": _l("Required level"),
    "employee": _l("Employee"),
    "employee_id": _l("Employee"),
    "employee.nip": _l("NIP"),
    "employee.name": _l("Employee"),
    "assessed_on": _l("Assessed on"),
    "source": _l("Source"),
    "note": _l("Note"),
    "title": _l("Title"),
    "provider": _l("Provider"),
    "mode": _l("Mode"),
    "jp": _l("Lesson hours (JP)"),
    "starts_on": _l("Starts on"),
    "ends_on": _l("Ends on"),
    "capacity": _l("Capacity"),
    "addresses": _l("Competencies addressed"),
    "raises": _l("Raises by (levels)"),
    "training": _l("Training"),
    "training_id": _l("Training"),
    "completed_on": _l("Completed on"),
    "year": _l("Year"),
    "certificate": _l("Certificate"),
    "rank": _l("Rank"),
    "gap_closed": _l("Gap closed (levels)"),
    "gap_total": _l("Gaps in all (levels)"),
    "priority": _l("First in line"),
    "predikat": _l("Latest predikat"),
    "two_good_years": _l("Two good years"),
    "match": _l("Job-person match (%)"),
    "computed_at": _l("Computed"),
    **TIMESTAMP_LABELS,
}
DESCRIPTIONS = {
    "raises": _l("How many levels the training raises the competency by (1–4)."),
    "required_level": _l("The level 1–5 the position requires (PermenPANRB 38/2017)."),
    "jp": _l("Lesson hours: every civil servant is entitled to at least 20 JP a year."),
    "priority": _l(
        "Rated Butuh Perbaikan, Kurang or Sangat Kurang: first in line for development."
    ),
}
EMPLOYEE_SEARCH = (Employee.name, Employee.nip)
ASSESSABLE = RemoteChoice(
    Employee, assessments.assessable_employees, EMPLOYEE_SEARCH, Employee.name
)
RECORDABLE = RemoteChoice(Employee, employees.manage, EMPLOYEE_SEARCH, Employee.name)
STANDARD_POSITION = RemoteChoice(
    Position,
    position_competencies.placeable_positions,
    (Position.name, Position.code),
    Position.name,
)


# --- the dictionary -------------------------------------------------------------------------


class CompetencyLevelView(KinerjaModelView):
    route_base = "/competency-levels"
    datamodel = EagerInterface(CompetencyLevel, eager=[selectinload(CompetencyLevel.competency)])
    class_permission_name = roles.COMPETENCY
    list_title = _l("Level descriptions")
    label_columns = LABELS
    list_columns = ["competency", "level", "description"]
    show_columns = add_columns = edit_columns = ["competency", "level", "description"]
    order_columns = ["level"]
    base_order = ("level", "asc")


# Columns the screens and the REST resources (kinerja.views.competency_api) share.
COMPETENCY_EDIT = ["code", "name", "name_en", "category", "description", "active"]
COMPETENCY_SEARCH = ["code", "name", "category", "active", "updated_at"]
TRAINING_EDIT = [
    "title",
    "provider",
    "mode",
    "jp",
    "starts_on",
    "ends_on",
    "capacity",
    "description",
    "active",
]
TRAINING_SEARCH = ["title", "provider", "mode", "jp", "starts_on", "active", "updated_at"]
STANDARD_SEARCH = ["position", "competency", "required_level", "updated_at"]
ASSESSMENT_ADD = ["employee", "competency", "level", "assessed_on", "source", "note"]
ASSESSMENT_SEARCH = ["employee", "competency", "level", "assessed_on", "source", "updated_at"]
RECORD_ADD = ["employee", "training", "title", "mode", "jp", "completed_on"]


class CompetencyView(CsvExportMixin, KinerjaModelView):
    route_base = "/competencies"
    datamodel = EagerInterface(Competency, eager=[selectinload(Competency.levels)])
    class_permission_name = roles.COMPETENCY
    list_title = _l("Competency dictionary")
    show_title = _l("Competency")
    add_title = _l("Add competency")
    edit_title = _l("Edit competency")
    label_columns = LABELS
    list_columns = ["code", "name", "category", "active"]
    show_columns = ["code", "name", "name_en", "category", "description", "active", "updated_at"]
    add_columns = edit_columns = COMPETENCY_EDIT
    search_columns = COMPETENCY_SEARCH
    order_columns = ["code", "name", "category"]
    base_order = ("code", "asc")
    related_views = [CompetencyLevelView]
    save_item = staticmethod(catalogue.save_competency)
    delete_item = staticmethod(catalogue.delete_competency)


# --- the training catalogue -----------------------------------------------------------------


class TrainingCompetencyView(KinerjaModelView):
    route_base = "/training-competencies"
    datamodel = EagerInterface(
        TrainingCompetency,
        eager=[
            selectinload(TrainingCompetency.training),
            selectinload(TrainingCompetency.competency),
        ],
    )
    class_permission_name = roles.TRAINING
    list_title = _l("Competencies addressed")
    label_columns = LABELS
    description_columns = DESCRIPTIONS
    list_columns = ["training", "competency", "raises"]
    show_columns = add_columns = edit_columns = ["training", "competency", "raises"]


class TrainingView(CsvExportMixin, KinerjaModelView):
    route_base = "/trainings"
    datamodel = EagerInterface(Training)
    class_permission_name = roles.TRAINING
    list_title = _l("Training catalogue")
    show_title = _l("Training")
    add_title = _l("Add training")
    edit_title = _l("Edit training")
    label_columns = LABELS
    description_columns = DESCRIPTIONS
    list_columns = ["title", "provider", "mode", "jp", "starts_on", "ends_on", "capacity", "active"]
    show_columns = [*list_columns, "description", "updated_at"]
    add_columns = edit_columns = TRAINING_EDIT
    search_columns = TRAINING_SEARCH
    order_columns = ["title", "mode", "jp", "starts_on"]
    base_order = ("title", "asc")
    related_views = [TrainingCompetencyView]
    save_item = staticmethod(catalogue.save_training)
    delete_item = staticmethod(catalogue.delete_training)


# --- position standards ---------------------------------------------------------------------


class PositionCompetencyView(CsvExportMixin, KinerjaModelView):
    route_base = "/position-standards"
    datamodel = EagerInterface(
        PositionCompetency,
        eager=[
            selectinload(PositionCompetency.position),
            selectinload(PositionCompetency.competency),
        ],
    )
    class_permission_name = roles.POSITION_COMPETENCY
    list_title = _l("Position competency standards")
    show_title = _l("Competency standard")
    add_title = _l("Add to a position's standard")
    edit_title = _l("Edit a position's standard")
    label_columns = LABELS
    description_columns = DESCRIPTIONS
    list_columns = ["position", "competency", "required_level"]
    show_columns = [*list_columns, "updated_at"]
    add_columns = edit_columns = list_columns
    search_columns = STANDARD_SEARCH
    text_filters = {"position": [FilterRelatedName]}
    remote_choices = {"position": STANDARD_POSITION}
    add_form_query_rel_fields = edit_form_query_rel_fields = {
        "position": condition_filter(position_competencies.placeable_positions)
    }
    order_columns = ["required_level", "updated_at"]
    base_order = ("position_id", "asc")
    save_item = staticmethod(catalogue.save_standard)
    delete_item = staticmethod(catalogue.delete_standard)


# --- people ---------------------------------------------------------------------------------


class AssessmentView(CsvExportMixin, KinerjaModelView):
    route_base = "/assessments"
    datamodel = EagerInterface(
        Assessment,
        eager=[selectinload(Assessment.employee), selectinload(Assessment.competency)],
    )
    class_permission_name = roles.ASSESSMENT
    list_title = _l("Competency assessments")
    show_title = _l("Assessment")
    add_title = _l("Record an assessment")
    edit_title = _l("Edit an assessment")
    label_columns = LABELS
    list_columns = ["employee.nip", "employee.name", "competency", "level", "assessed_on", "source"]
    export_columns = list_columns
    show_columns = [*list_columns, "note", "updated_at"]
    add_columns = edit_columns = ASSESSMENT_ADD
    search_columns = ASSESSMENT_SEARCH
    text_filters = {"employee": [FilterRelatedName]}
    remote_choices = {"employee": ASSESSABLE}
    add_form_query_rel_fields = edit_form_query_rel_fields = {
        "employee": condition_filter(assessments.assessable_employees)
    }
    order_columns = ["level", "assessed_on", "updated_at"]
    base_order = ("assessed_on", "desc")
    save_item = staticmethod(catalogue.save_assessment)
    delete_item = staticmethod(catalogue.delete_assessment)

    def prepare_form(self, form: Any, item: Any | None) -> None:
        if item is None and form.assessed_on.data is None:
            form.assessed_on.data = date.today()


class TrainingRecordView(CsvExportMixin, KinerjaModelView):
    route_base = "/training-records"
    datamodel = EagerInterface(
        TrainingRecord,
        eager=[selectinload(TrainingRecord.employee), selectinload(TrainingRecord.training)],
    )
    class_permission_name = roles.TRAINING_RECORD
    show_template = "kinerja/competency/training_record_show.html"  # with its certificate
    list_title = _l("Training records")
    show_title = _l("Training record")
    add_title = _l("Record completed training")
    edit_title = _l("Edit a training record")
    label_columns = LABELS
    description_columns = DESCRIPTIONS
    list_columns = ["employee.nip", "employee.name", "title", "mode", "jp", "completed_on", "year"]
    export_columns = list_columns
    show_columns = [*list_columns, "training", "updated_at"]
    add_columns = edit_columns = RECORD_ADD
    search_columns = ["employee", "training", "title", "mode", "year", "completed_on", "updated_at"]
    text_filters = {"employee": [FilterRelatedName]}
    remote_choices = {"employee": RECORDABLE}
    add_form_query_rel_fields = edit_form_query_rel_fields = {
        "employee": condition_filter(employees.manage)
    }
    optional_enum_columns = {"mode"}
    order_columns = ["jp", "completed_on", "year"]
    base_order = ("completed_on", "desc")
    save_item = staticmethod(catalogue.save_training_record)
    delete_item = staticmethod(catalogue.delete_training_record)

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk: Any) -> Any:
        """The record with its certificate (read through the record's policy)."""
        g.certificate = readable_certificate(current_scope(), parse_pk(pk))
        return super().show(pk)


class RecommendationView(CsvExportMixin, KinerjaModelView):
    """Read-only: written by the recommendation job; the Admin asks for a new computation."""

    route_base = "/recommendations"
    datamodel = EagerInterface(
        Recommendation,
        eager=[selectinload(Recommendation.employee), selectinload(Recommendation.training)],
    )
    class_permission_name = roles.RECOMMENDATION
    method_permission_name = {**CRUD_METHOD_PERMISSIONS, "compute": "compute"}
    base_permissions = ["can_read", "can_compute"]
    list_title = _l("Training recommendations")
    label_columns = LABELS
    description_columns = DESCRIPTIONS
    list_columns = [
        "employee.nip",
        "employee.name",
        "year",
        "rank",
        "training",
        "gap_closed",
        "gap_total",
        "priority",
        "predikat",
    ]
    export_columns = list_columns
    show_columns = [*list_columns, "computed_at"]
    search_columns = ["employee", "training", "year", "rank", "priority", "predikat"]
    text_filters = {"employee": [FilterRelatedName]}
    order_columns = ["year", "rank", "gap_closed", "priority"]
    base_order = ("priority", "desc")
    list_template = "kinerja/competency/recommendations.html"

    @expose("/compute", methods=["POST"])
    @has_access
    def compute(self) -> Any:
        """Ask for this year's recommendations; the job run's page follows it."""
        try:
            run = requests.request_recommendations(date.today().year, current_scope())
        except DomainError as refusal:
            flash_refusal(refusal)
            return redirect(url_for(".list"))
        flash(gettext("The recommendations are being computed."), "success")
        return redirect(url_for("JobRunView.show", pk=run.id))


class RewardCandidateView(CsvExportMixin, KinerjaModelView):
    route_base = "/reward-candidates"
    datamodel = EagerInterface(RewardCandidate, eager=[selectinload(RewardCandidate.employee)])
    class_permission_name = roles.REWARD_CANDIDATE
    base_permissions = ["can_read"]
    list_title = _l("Reward candidates")
    label_columns = LABELS
    list_columns = ["employee.nip", "employee.name", "year", "predikat", "two_good_years", "match"]
    export_columns = list_columns
    show_columns = [*list_columns, "computed_at"]
    search_columns = ["employee", "year", "predikat", "two_good_years"]
    text_filters = {"employee": [FilterRelatedName]}
    order_columns = ["year", "predikat", "match"]
    base_order = ("year", "desc")
