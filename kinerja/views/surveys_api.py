"""REST resources of the public satisfaction surveys: ``service``, ``survey`` (with
``POST /survey/<pk>/close``) and the read-only ``survey_response``. Scoped like their
screens (:mod:`kinerja.views.surveys`), whose column lists they share; the public's own
submission endpoint is :class:`kinerja.views.survey_form.PublicSurveyApi`."""

from __future__ import annotations

from typing import Any

from flask_appbuilder.api import expose, protect, safe
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext

from kinerja.models.surveys import Service, Survey, SurveyResponse
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.services.surveys import catalogue
from kinerja.views.filters import FilterInUnitTree
from kinerja.views.params import parse_pk
from kinerja.views.rest import API_METHOD_PERMISSIONS, KinerjaModelApi
from kinerja.views.schemas import StrictSchema
from kinerja.views.surveys import (
    RESPONSE_LABELS,
    RESPONSE_SEARCH_COLUMNS,
    SERVICE_EDIT_COLUMNS,
    SERVICE_LABELS,
    SERVICE_REL_FIELDS,
    SERVICE_SEARCH_COLUMNS,
    SURVEY_ADD_COLUMNS,
    SURVEY_EDIT_COLUMNS,
    SURVEY_LABELS,
    SURVEY_REL_FIELDS,
    SURVEY_SEARCH_COLUMNS,
    public_url,
    survey_status,
)


class ServiceApi(KinerjaModelApi):
    resource_name = "service"
    datamodel = SQLAInterface(Service)
    class_permission_name = roles.SERVICE
    label_columns = SERVICE_LABELS
    list_columns = [
        "id",
        "unit_id",
        "name",
        "description",
        "yearly_population",
        "required_sample",
        "positions.id",
        "active",
        "created_at",
        "updated_at",
    ]
    show_columns = list_columns
    add_columns = edit_columns = SERVICE_EDIT_COLUMNS
    search_columns = SERVICE_SEARCH_COLUMNS
    search_filters = {"unit": [FilterInUnitTree]}
    order_columns = ["id", "name", "yearly_population", "created_at", "updated_at"]
    base_order = ("id", "asc")
    add_query_rel_fields = edit_query_rel_fields = SERVICE_REL_FIELDS
    save_item = staticmethod(catalogue.save_service)
    delete_item = staticmethod(catalogue.delete_service)

    def clean_payload(self, data: dict[str, Any]) -> dict[str, list[str]]:
        """``positions`` is a list of position ids (each checked like any related id)."""
        chosen = data.pop("positions", None)
        errors = super().clean_payload(data)
        if chosen is None:
            return errors
        values = chosen if isinstance(chosen, list) and len(chosen) <= 500 else [None]
        ids = [None if isinstance(v, bool) else parse_pk(v) for v in values]
        if any(number is None for number in ids):
            errors["positions"] = [gettext("Not a valid choice.")]
        else:
            data["positions"] = ids
        return errors


class EmptySchema(StrictSchema):
    pass


class SurveyApi(KinerjaModelApi):
    resource_name = "survey"
    datamodel = SQLAInterface(Survey)
    class_permission_name = roles.SURVEY
    method_permission_name = {**API_METHOD_PERMISSIONS, "close": "close"}
    label_columns = SURVEY_LABELS
    list_columns = [
        "id",
        "service_id",
        "period_id",
        "token",
        "opens_on",
        "closes_on",
        "closed_at",
        "required_sample",
        "created_at",
        "updated_at",
    ]
    show_columns = [*list_columns, "response_count"]
    add_columns = SURVEY_ADD_COLUMNS
    edit_columns = SURVEY_EDIT_COLUMNS
    search_columns = SURVEY_SEARCH_COLUMNS
    order_columns = ["id", "opens_on", "closes_on", "created_at", "updated_at"]
    base_order = ("id", "asc")
    add_query_rel_fields = SURVEY_REL_FIELDS
    save_item = staticmethod(catalogue.save_survey)
    delete_item = staticmethod(catalogue.delete_survey)

    @staticmethod
    def _state(survey: Survey) -> dict[str, Any]:
        return {
            "id": survey.id,
            "status": survey_status(survey.schedule),
            "closed_at": survey.closed_at.isoformat() if survey.closed_at else None,
            "public_url": public_url(survey.token),
        }

    @expose("/<pk>/close", methods=["POST"])
    @protect()
    @safe
    @permission_name("close")
    def close(self, pk: Any) -> Any:
        """Close an open or upcoming survey now (409 if already closed); its index job is
        scheduled at once.
        ---
        post:
          parameters:
          - {in: path, name: pk, schema: {type: integer}}
          responses:
            200: {description: 'The survey''s new state'}
            403: {description: Not the survey's manager}
            404: {$ref: '#/components/responses/404'}
            409: {description: Already closed}
        """
        return self.change_state(
            pk,
            EmptySchema(),
            lambda survey, data: catalogue.close_survey(survey, current_scope()),
            self._state,
        )


class SurveyResponseApi(KinerjaModelApi):
    """The public's answers, read only (no browser key: it identifies a device)."""

    resource_name = "survey_response"
    datamodel = SQLAInterface(SurveyResponse)
    class_permission_name = roles.SURVEY_RESPONSE
    base_permissions = ["can_read"]
    label_columns = RESPONSE_LABELS
    list_columns = [
        "id",
        "survey_id",
        "submitted_at",
        *(f"a{n}" for n in range(1, 10)),
        "age_range",
        "sex",
        "education",
        "occupation",
        "comment",
        "comment_published",
    ]
    show_columns = list_columns
    search_columns = RESPONSE_SEARCH_COLUMNS
    order_columns = ["id", "submitted_at"]
    base_order = ("id", "asc")
