"""``GET /api/v1/changes``: the change feed (see :mod:`kinerja.services.changes.feed`).

Each entry's ``data`` is the row as ``GET /api/v1/<resource>/<id>`` shows it, limited to
the row's own fields: related names (``employee.nip``…) change with the related row, which
has entries of its own. A resource the caller may not read at all is left out.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask_appbuilder import ModelRestApi
from flask_appbuilder.api import BaseApi, expose, protect
from flask_babel import gettext
from marshmallow import Schema, ValidationError, fields, validate, validates

from kinerja.models.changes import RESOURCES
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.services.changes import feed
from kinerja.views.api_errors import error_response
from kinerja.views.refusals import tr
from kinerja.views.schemas import StrictSchema, translated_messages

LOCALE_ARG = "_l_"


LATEST = "latest"
MAX_CURSOR = 2**62


class FeedQuery(StrictSchema):
    """The query string of the feed: ``cursor`` (the ``next_cursor`` of the previous page,
    0 or nothing from the start, ``latest`` for the head: no entries, the cursor to follow
    from after reading the lists), ``resources`` (comma-separated), ``limit``."""

    cursor = fields.String(load_default="0")
    resources = fields.String(load_default="")
    limit = fields.Integer(
        load_default=feed.DEFAULT_LIMIT, validate=validate.Range(min=1, max=feed.MAX_LIMIT)
    )

    @validates("cursor")
    def _cursor(self, value: str, **kwargs: Any) -> None:
        if value != LATEST and not (value.isdigit() and int(value) <= MAX_CURSOR):
            raise ValidationError(gettext("A cursor is a next_cursor of the feed, 0 or latest."))

    @validates("resources")
    def _known(self, value: str, **kwargs: Any) -> None:
        unknown = [name for name in _names(value) if name not in RESOURCES]
        if unknown:
            raise ValidationError(gettext("Unknown resource: %(names)s.", names=", ".join(unknown)))


def _names(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


class ChangesApi(BaseApi):
    """The change feed, in the caller's scope."""

    resource_name = "changes"
    class_permission_name = roles.CHANGE
    method_permission_name = {"changes": "read"}
    base_permissions = ["can_read"]
    openapi_spec_tag = "Changes"

    @expose("", methods=["GET"])
    @protect()
    def changes(self) -> Response:
        """The changes after a cursor, in commit order.
        ---
        get:
          summary: Every create, update and delete after a cursor, in commit order
          parameters:
          - in: query
            name: cursor
            description: >-
              the next_cursor of the previous page; 0 from the start; latest for the head
              (no entries: the cursor to follow from after reading every list)
            schema: {type: string, pattern: '^([0-9]{1,19}|latest)$'}
          - {in: query, name: resources, schema: {type: string}, description: comma-separated}
          - {in: query, name: limit, schema: {type: integer, minimum: 1, maximum: 1000}}
          responses:
            200:
              description: A page of changes and the cursor of the next one
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      changes:
                        type: array
                        items:
                          type: object
                          properties:
                            seq: {type: integer}
                            resource: {type: string}
                            id: {type: integer}
                            op: {type: string, enum: [create, update, delete]}
                            changed_at: {type: string, format: date-time}
                            data: {type: object, nullable: true}
                      next_cursor: {type: string}
                      has_more: {type: boolean}
            401:
              $ref: '#/components/responses/401'
            410:
              $ref: '#/components/responses/410'
            422:
              $ref: '#/components/responses/422'
        """
        args = {k: v for k, v in request.args.items() if k != LOCALE_ARG}
        try:
            query = FeedQuery().load(args)
        except ValidationError as err:
            return self.response_422(message=translated_messages(err))  # type: ignore[arg-type]
        apis = self._readable_apis()
        wanted = _names(query["resources"]) or sorted(RESOURCES)
        if query["cursor"] == LATEST:
            return self.response(200, changes=[], next_cursor=str(feed.head()), has_more=False)
        try:
            page = feed.read_page(
                current_scope(),
                int(query["cursor"]),
                [r for r in wanted if r in apis],
                query["limit"],
            )
        except feed.CursorExpired as expired:
            return error_response(410, tr(expired), {"cursor": [tr(expired)]})
        return self.response(
            200,
            changes=[_entry(entry, apis[entry.resource]) for entry in page.entries],
            next_cursor=str(page.next_cursor),
            has_more=page.has_more,
        )

    def _readable_apis(self) -> dict[str, ModelRestApi]:
        """The tracked resources' APIs the caller may read (their ``can_read``)."""
        sm = self.appbuilder.sm
        found: dict[str, ModelRestApi] = {}
        for view in self.appbuilder.baseviews:
            if not isinstance(view, ModelRestApi) or view.resource_name not in RESOURCES:
                continue
            if sm.has_access("can_read", view.class_permission_name):
                found[view.resource_name] = view
        return found


def _entry(entry: feed.Entry, api: ModelRestApi) -> dict[str, Any]:
    data = None
    if entry.row is not None:
        data = own_schema(api).dump(entry.row, many=False)
    return {
        "seq": entry.seq,
        "resource": entry.resource,
        "id": entry.row_id,
        "op": entry.op,
        "changed_at": entry.changed_at.isoformat(),
        "data": data,
    }


def own_columns(api: ModelRestApi) -> set[str]:
    """The fields of ``api``'s detail that belong to the row itself (no related names)."""
    return {column for column in api.show_columns if "." not in column}


_OWN_SCHEMAS: dict[str, Schema] = {}


def own_schema(api: ModelRestApi) -> Schema:
    """``api``'s detail schema limited to :func:`own_columns` (built once per resource): a
    page of entries loads no related row."""
    schema = _OWN_SCHEMAS.get(api.resource_name)
    if schema is None:
        schema = type(api.show_model_schema)(only=sorted(own_columns(api)))
        _OWN_SCHEMAS[api.resource_name] = schema
    return schema
