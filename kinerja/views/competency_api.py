"""REST resources of competency and development: ``competency``, ``training``,
``position_competency`` (with ``POST /position_competency/bulk`` and ``/copy``),
``assessment``, ``training_record``, and the read-only ``recommendation`` (with
``POST /recommendation/compute``) and ``reward_candidate``. Scoped like their screens
(:mod:`kinerja.views.competency`), whose labels they share."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_appbuilder.api import expose, protect, safe
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import permission_name
from marshmallow import fields, validate

from kinerja.models.competency import (
    Assessment,
    Competency,
    PositionCompetency,
    Recommendation,
    RewardCandidate,
    Training,
    TrainingRecord,
)
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.security.policies import assessments, employees, position_competencies
from kinerja.services.competency import catalogue, requests
from kinerja.views.competency import (
    ASSESSMENT_ADD,
    ASSESSMENT_SEARCH,
    COMPETENCY_EDIT,
    COMPETENCY_SEARCH,
    LABELS,
    RECORD_ADD,
    STANDARD_SEARCH,
    TRAINING_EDIT,
    TRAINING_SEARCH,
)
from kinerja.views.filters import condition_filter
from kinerja.views.rest import API_METHOD_PERMISSIONS, KinerjaModelApi
from kinerja.views.schemas import StrictSchema

STAMPS = ["created_at", "updated_at"]
READ_ONLY = ["can_read"]


class CompetencyApi(KinerjaModelApi):
    resource_name = "competency"
    datamodel = SQLAInterface(Competency)
    class_permission_name = roles.COMPETENCY
    label_columns = LABELS
    list_columns = [
        "id",
        "code",
        "category",
        "name",
        "name_en",
        "description",
        "active",
        "levels.level",
        "levels.description",
        *STAMPS,
    ]
    show_columns = list_columns
    add_columns = edit_columns = COMPETENCY_EDIT
    search_columns = COMPETENCY_SEARCH
    order_columns = ["id", "code", "name", "updated_at"]
    base_order = ("code", "asc")
    save_item = staticmethod(catalogue.save_competency)
    delete_item = staticmethod(catalogue.delete_competency)


class TrainingApi(KinerjaModelApi):
    resource_name = "training"
    datamodel = SQLAInterface(Training)
    class_permission_name = roles.TRAINING
    label_columns = LABELS
    list_columns = [
        "id",
        *TRAINING_EDIT,
        "addresses.competency_id",
        "addresses.raises",
        *STAMPS,
    ]
    show_columns = list_columns
    add_columns = edit_columns = TRAINING_EDIT
    search_columns = TRAINING_SEARCH
    order_columns = ["id", "title", "jp", "starts_on", "updated_at"]
    base_order = ("id", "asc")
    save_item = staticmethod(catalogue.save_training)
    delete_item = staticmethod(catalogue.delete_training)


class StandardsSchema(StrictSchema):
    positions = fields.List(
        fields.Integer(strict=True), required=True, validate=validate.Length(min=1, max=2000)
    )
    levels = fields.Dict(
        keys=fields.Integer(),
        values=fields.Integer(allow_none=True, validate=validate.Range(1, 5)),
        required=True,
        validate=validate.Length(min=1, max=200),
    )


class CopySchema(StrictSchema):
    source = fields.Integer(strict=True, required=True)
    positions = fields.List(
        fields.Integer(strict=True), required=True, validate=validate.Length(min=1, max=2000)
    )


class PositionCompetencyApi(KinerjaModelApi):
    resource_name = "position_competency"
    datamodel = SQLAInterface(PositionCompetency)
    class_permission_name = roles.POSITION_COMPETENCY
    method_permission_name = {**API_METHOD_PERMISSIONS, "bulk": "edit", "copy": "edit"}
    label_columns = LABELS
    list_columns = [
        "id",
        "position_id",
        "position.code",
        "competency_id",
        "competency.code",
        "required_level",
        *STAMPS,
    ]
    show_columns = list_columns
    add_columns = ["position", "competency", "required_level"]
    edit_columns = ["required_level"]
    search_columns = STANDARD_SEARCH
    order_columns = ["id", "required_level", "updated_at"]
    base_order = ("id", "asc")
    add_query_rel_fields = {"position": condition_filter(position_competencies.placeable_positions)}
    save_item = staticmethod(catalogue.save_standard)
    delete_item = staticmethod(catalogue.delete_standard)

    @expose("/bulk", methods=["POST"])
    @protect()
    @safe
    @permission_name("edit")
    def bulk(self) -> Any:
        """Set the required levels of competencies for many positions at once
        ---
        post:
          description: "The body names positions (a list of ids) and levels (competency
            id to level 1-5, or null to remove the competency from those standards); all
            positions must be within reach, or nothing changes."
          responses:
            200:
              description: How many standard lines were written
            400: {$ref: '#/components/responses/400'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            422: {$ref: '#/components/responses/422'}
        """
        return self.from_body(
            StandardsSchema(),
            lambda body: catalogue.set_standards(
                body["positions"], body["levels"], current_scope()
            ),
            self._written,
        )

    @expose("/copy", methods=["POST"])
    @protect()
    @safe
    @permission_name("edit")
    def copy(self) -> Any:
        """Give positions the standard of another position
        ---
        post:
          description: 'Body {"source": id, "positions": [ids]}: their standards are replaced.'
          responses:
            200:
              description: How many standard lines were written
            400: {$ref: '#/components/responses/400'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            422: {$ref: '#/components/responses/422'}
        """
        return self.from_body(
            CopySchema(),
            lambda body: catalogue.copy_standard(
                body["source"], body["positions"], current_scope()
            ),
            self._written,
        )

    def _written(self, written: int, _body: dict[str, Any]) -> Response:
        return self.response(200, result={"written": written})


class AssessmentApi(KinerjaModelApi):
    resource_name = "assessment"
    datamodel = SQLAInterface(Assessment)
    class_permission_name = roles.ASSESSMENT
    label_columns = LABELS
    list_columns = [
        "id",
        "employee_id",
        "employee.nip",
        "competency_id",
        "competency.code",
        "level",
        "assessed_on",
        "source",
        "note",
        *STAMPS,
    ]
    show_columns = list_columns
    add_columns = ASSESSMENT_ADD
    edit_columns = ["level", "assessed_on", "source", "note"]
    search_columns = ASSESSMENT_SEARCH
    order_columns = ["id", "assessed_on", "level", "updated_at"]
    base_order = ("id", "asc")
    add_query_rel_fields = {"employee": condition_filter(assessments.assessable_employees)}
    save_item = staticmethod(catalogue.save_assessment)
    delete_item = staticmethod(catalogue.delete_assessment)


class TrainingRecordApi(KinerjaModelApi):
    resource_name = "training_record"
    datamodel = SQLAInterface(TrainingRecord)
    class_permission_name = roles.TRAINING_RECORD
    label_columns = LABELS
    list_columns = [
        "id",
        "employee_id",
        "employee.nip",
        "training_id",
        "title",
        "mode",
        "jp",
        "completed_on",
        "year",
        *STAMPS,
    ]
    show_columns = list_columns
    add_columns = RECORD_ADD
    edit_columns = ["training", "title", "mode", "jp", "completed_on"]
    search_columns = ["employee", "training", "mode", "year", "completed_on", "updated_at"]
    order_columns = ["id", "completed_on", "jp", "year", "updated_at"]
    base_order = ("id", "asc")
    add_query_rel_fields = {"employee": condition_filter(employees.manage)}
    save_item = staticmethod(catalogue.save_training_record)
    delete_item = staticmethod(catalogue.delete_training_record)


class ComputeSchema(StrictSchema):
    year = fields.Integer(strict=True, required=True, validate=validate.Range(2000, 2100))


class RecommendationApi(KinerjaModelApi):
    resource_name = "recommendation"
    datamodel = SQLAInterface(Recommendation)
    class_permission_name = roles.RECOMMENDATION
    method_permission_name = {**API_METHOD_PERMISSIONS, "compute": "compute"}
    base_permissions = ["can_read", "can_compute"]
    label_columns = LABELS
    list_columns = [
        "id",
        "employee_id",
        "employee.nip",
        "training_id",
        "training.title",
        "year",
        "rank",
        "gap_closed",
        "gap_total",
        "priority",
        "predikat",
        "computed_at",
        *STAMPS,
    ]
    show_columns = list_columns
    search_columns = ["employee", "training", "year", "rank", "priority", "predikat", "updated_at"]
    order_columns = ["id", "year", "rank", "priority", "updated_at"]
    base_order = ("id", "asc")

    @expose("/compute", methods=["POST"])
    @protect()
    @safe
    @permission_name("compute")
    def compute(self) -> Any:
        """Compute a year's recommendations and reward candidates in the background
        ---
        post:
          description: 'Body {"year": 2026}; the Admin only. Answers the job run.'
          responses:
            202:
              description: The job run that computes them
            400: {$ref: '#/components/responses/400'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            422: {$ref: '#/components/responses/422'}
        """
        return self.from_body(
            ComputeSchema(),
            lambda body: requests.request_recommendations(body["year"], current_scope()),
            lambda run, body: self.response(202, id=run.id, result={"year": body["year"]}),
        )


class RewardCandidateApi(KinerjaModelApi):
    resource_name = "reward_candidate"
    datamodel = SQLAInterface(RewardCandidate)
    class_permission_name = roles.REWARD_CANDIDATE
    base_permissions = READ_ONLY
    label_columns = LABELS
    list_columns = [
        "id",
        "employee_id",
        "employee.nip",
        "year",
        "predikat",
        "two_good_years",
        "match",
        "computed_at",
        *STAMPS,
    ]
    show_columns = list_columns
    search_columns = ["employee", "year", "predikat", "two_good_years", "updated_at"]
    order_columns = ["id", "year", "match", "updated_at"]
    base_order = ("id", "asc")
