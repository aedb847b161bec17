"""REST resources of a report's parts: realizations, evidence, evaluations (read-only) and
the dialogue."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask_appbuilder import expose
from flask_appbuilder.api import safe
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import permission_name, protect
from flask_babel import gettext
from marshmallow import ValidationError
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound, RequestEntityTooLarge

from kinerja.models.reports import DialogueNote, Evaluation, Evidence, Realization
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.security.policies import reports
from kinerja.services.reports import dialogue
from kinerja.services.reports import reports as reporting
from kinerja.views.api_errors import error_response
from kinerja.views.fields import EagerInterface
from kinerja.views.filters import MANAGEABLE, READABLE
from kinerja.views.params import parse_pk
from kinerja.views.reports.files import evidence_file
from kinerja.views.reports.schemas import EvidenceSchema, NoteSchema, RealizationSchema
from kinerja.views.rest import API_METHOD_PERMISSIONS, KinerjaModelApi
from kinerja.views.schemas import translated_messages

NOT_A_CHOICE = "Not a valid choice."


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
        data = self.body(RealizationSchema())
        if isinstance(data, Response):
            return data
        value = data.get("value", line.value)
        note = data.get("note", line.note)
        _, refused = self.use_case(
            lambda: reporting.save_report(
                line.report,
                {line.indicator_id: value},
                current_scope(),
                notes={line.indicator_id: note},
            )
        )
        if refused is not None:
            return _per_line(refused)
        return self.response(200, result=self.show_model_schema.dump(line))


def _per_line(refused: Response) -> Response:
    """A realization's own errors are about its ``value`` (the report names them per
    indicator)."""
    body = refused.get_json(silent=True) or {}
    fields = body.get("fields")
    if refused.status_code == 422 and isinstance(fields, dict):
        renamed = {"value" if k.startswith("value_") else k: v for k, v in fields.items()}
        return error_response(422, body.get("message"), renamed)
    return refused


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
    add_query_rel_fields = {"report": MANAGEABLE, "indicator": READABLE}
    delete_item = staticmethod(reporting.delete_evidence)

    def post_headless(self) -> Any:
        upload = None
        if request.is_json:
            data = request.get_json(silent=True)
            if not isinstance(data, dict):
                return self.response_400(message=gettext("Request body must be a JSON object."))
        else:
            try:
                data = request.form.to_dict()
                upload = request.files.get("file")
            except RequestEntityTooLarge:
                return self.response(413, message={"file": [gettext("The file is too large.")]})
            if upload is None or not upload.filename:
                return self.response_422(message={"file": [gettext("Choose a file.")]})
        try:
            fields = EvidenceSchema().load(data)
        except ValidationError as err:
            return self.response_422(message=translated_messages(err))  # type: ignore[arg-type]
        report = reports.manageable(current_scope(), fields["report"])
        if report is None:
            return self.response_422(message={"report": [NOT_A_CHOICE]})
        item, refused = self.use_case(
            lambda: reporting.add_evidence(
                report,
                current_scope(),
                upload=upload.stream if upload is not None else None,
                filename=upload.filename if upload is not None else None,
                url=fields["url"],
                description=fields["description"],
                indicator_id=fields["indicator"],
            )
        )
        if refused is not None:
            return refused
        return self.response(201, id=item.id, result=self.show_model_schema.dump(item))

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
        try:
            return evidence_file(parse_pk(pk))
        except NotFound:  # FAB's @safe would turn the abort into a 500
            return self.response_404()


class EvaluationApi(KinerjaModelApi):
    """Evaluations (read-only): decided ratings, suggestions beside them, the predikat, and
    the level given to each qualitative indicator (``indicator_levels``). The evaluation of
    the annual report (its sub-period is ``annual``) is the year's annual evaluation."""

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
        "indicator_levels.indicator_id",
        "indicator_levels.level",
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
    add_query_rel_fields = {"report": READABLE}

    def post_headless(self) -> Any:
        if not request.is_json:
            return self.response_400(message=gettext("Request body must be a JSON object."))
        data = self.body(NoteSchema())
        if isinstance(data, Response):
            return data
        report = reports.readable(current_scope(), data["report"])
        if report is None:
            return self.response_422(message={"report": [NOT_A_CHOICE]})
        note, refused = self.use_case(
            lambda: dialogue.add_note(report, data["text"], current_scope())
        )
        if refused is not None:
            return refused
        return self.response(201, id=note.id, result=self.show_model_schema.dump(note))
