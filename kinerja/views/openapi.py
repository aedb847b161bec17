"""The OpenAPI 3 description of ``/api/v1``: FAB's generated spec, made true to the answers.

FAB describes every ``ModelRestApi`` alike: POST/PUT/DELETE on read-only resources, ``id``
as a string, the default add/edit schemas where our resources read their own, error
answers of its own shape, and an ``api_key`` scheme that does not exist. This module owns
what the spec says; each resource only declares what differs from the default
(:class:`DocumentedResource`), and the spec is refined in one pass:

* :func:`document_resource` — one resource's request bodies and POST/PUT results, examples;
* :func:`refine` — the whole spec: the ``Error`` schema and the error responses every
  operation can give, one bearer scheme, no 500 (a 500 is a bug, not a contract).

:class:`KinerjaOpenApi` serves it in place of FAB's view (``FAB_ADD_OPENAPI_VIEWS`` off).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app, request
from flask_appbuilder.api import BaseApi, expose, protect, safe
from flask_appbuilder.api.manager import OpenApi, resolver
from marshmallow import Schema, fields
from marshmallow_sqlalchemy.fields import Related, RelatedList

from kinerja.views.api_errors import ERROR_CODES
from kinerja.views.openapi_examples import EXAMPLES
from kinerja.views.schemas import RowId

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Every error answer under /api/.",
    "required": ["status", "error", "message"],
    "properties": {
        "status": {"type": "integer", "description": "The HTTP status, repeated."},
        "error": {
            "type": "string",
            "enum": sorted(set(ERROR_CODES.values())),
            "description": "A stable code per status (not_found, validation_error…).",
        },
        "message": {"type": "string", "description": "In the caller's language."},
        "fields": {
            "type": "object",
            "description": "Per request field, what is wrong with it.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "example": {
        "status": 422,
        "error": "validation_error",
        "message": "Beberapa kolom tidak valid: lihat fields.",
        "fields": {"nip": ["NIP harus 18 angka."]},
    },
}

ERROR_RESPONSES = {
    "400": "Bad request: an unreadable query or body",
    "401": "Not signed in: no, an expired or a malformed token",
    "403": "The role may not do this",
    "404": "No such row within the caller's reach",
    "405": "The resource does not offer this method",
    "409": "The row's state does not allow this",
    "410": "The change feed's cursor is older than the changes kept: resync",
    "413": "The body is too large",
    "422": "A field is invalid (named in fields)",
    "429": "Too many requests; see Retry-After",
}

BEARER = {
    "type": "http",
    "scheme": "bearer",
    "description": (
        "A JWT from POST /api/v1/security/login, or a service account's API key, sent as "
        "Authorization: Bearer <token>."
    ),
}

LOGIN = {
    "description": "Sign in with a password; the access token lasts an hour.",
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["username", "password", "provider"],
                    "properties": {
                        "username": {"type": "string"},
                        "password": {"type": "string"},
                        "provider": {"type": "string", "enum": ["db"]},
                        "refresh": {"type": "boolean"},
                    },
                },
                "example": {
                    "username": "integrator",
                    "password": "…",
                    "provider": "db",
                    "refresh": True,
                },
            }
        },
    },
    "responses": {
        "200": {
            "description": "Signed in",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["access_token"],
                        "properties": {
                            "access_token": {"type": "string"},
                            "refresh_token": {"type": "string"},
                        },
                    }
                }
            },
        },
        "401": {"$ref": "#/components/responses/401"},
        "429": {"$ref": "#/components/responses/429"},
    },
}
SECURITY_PATHS = "/api/v1/security/"
PATH_PARAMETER = re.compile(r"{[^}]+}")
METHODS = ("get", "put", "post", "delete", "patch")
WRITES = ("put", "post", "delete", "patch")


class DocumentedResource:
    """What a resource's POST and PUT read and answer, where it differs from FAB's default
    (the add/edit schema in, ``{"id": …, "result": <add schema>}`` out). ``*_result`` is
    ``"post"``, ``"put"``, ``"get"`` (the row as shown) or a schema of its own."""

    post_body: ClassVar[type[Schema] | None] = None
    post_form: ClassVar[type[Schema] | None] = None  # a multipart/form-data body as well
    post_result: ClassVar[str | type[Schema]] = "post"
    post_may_update: ClassVar[bool] = False  # 200 when the row existed already
    put_body: ClassVar[type[Schema] | None] = None
    put_result: ClassVar[str | type[Schema]] = "put"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _component(api: Any, api_spec: APISpec, kind: str | type[Schema]) -> dict[str, str]:
    if isinstance(kind, str):
        return _ref(f"{type(api).__name__}.{kind}")
    name = f"{type(api).__name__}.{kind.__name__.removesuffix('Schema')}"
    if name not in api_spec.components.schemas:
        api_spec.components.schema(name, schema=kind)
    return _ref(name)


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


FIELD_INFO = {"type": "array", "items": {"type": "object"}}


def _answer(operation: dict[str, Any] | None, status: str = "200") -> dict[str, Any]:
    """The JSON schema of an operation's answer (an empty dict when there is none)."""
    if operation is None:
        return {}
    content = operation.get("responses", {}).get(status, {}).get("content", {})
    schema: dict[str, Any] = content.get("application/json", {}).get("schema", {})
    return schema


def _document_reads(api: Any, paths: dict[str, Any]) -> None:
    """FAB documents ids as strings and ``_info``'s field lists as objects; they are
    integers and arrays."""
    listing = _answer(paths.get(f"{api.route_base}/", {}).get("get"))
    if "properties" in listing:
        listing["properties"]["ids"]["items"] = {"type": "integer"}
        listing["required"] = ["count", "ids", "result"]
    shown = _answer(paths.get(f"{api.route_base}/{{pk}}", {}).get("get"))
    if "properties" in shown:
        shown["properties"]["id"] = {"type": "integer"}
        shown["required"] = ["id", "result"]
    info = _answer(paths.get(f"{api.route_base}/_info", {}).get("get"))
    if "properties" in info:
        info["properties"]["add_columns"] = FIELD_INFO
        info["properties"]["edit_columns"] = FIELD_INFO


def document_resource(api: Any, api_spec: APISpec) -> None:
    """Make one resource's reads, POST and PUT say what they read and answer, and put its
    examples on its schemas."""
    paths = api_spec._paths
    _document_reads(api, paths)
    for kind in ("get_list", "get"):
        # ``select_columns`` in ``q`` narrows a read to the columns asked for, so no
        # column of a read row is promised in every answer
        read = api_spec.components.schemas.get(f"{type(api).__name__}.{kind}")
        if read is not None:
            read.pop("required", None)
    post = paths.get(f"{api.route_base}/", {}).get("post")
    if post is not None:
        content = _json(_component(api, api_spec, api.post_body or "post"))
        if api.post_form is not None:
            form = _component(api, api_spec, api.post_form)
            content["multipart/form-data"] = {"schema": form}
        post["requestBody"] = {"required": True, "content": content}
        created = {
            "type": "object",
            "required": ["id", "result"],
            "properties": {
                "id": {"type": "integer"},
                "result": _component(api, api_spec, api.post_result),
            },
        }
        post["responses"]["201"] = {"description": "Created", "content": _json(created)}
        if api.post_may_update:
            post["responses"]["200"] = {"description": "Changed", "content": _json(created)}
    put = paths.get(f"{api.route_base}/{{pk}}", {}).get("put")
    if put is not None:
        put["requestBody"] = {
            "required": True,
            "content": _json(_component(api, api_spec, api.put_body or "put")),
        }
        changed = {
            "type": "object",
            "required": ["result"],
            "properties": {"result": _component(api, api_spec, api.put_result)},
        }
        put["responses"]["200"] = {"description": "Changed", "content": _json(changed)}
    if hasattr(api.datamodel.obj, "row_version"):
        _document_versions(api, paths)
    for kind, example in EXAMPLES.get(api.resource_name, {}).items():
        schema = api_spec.components.schemas.get(f"{type(api).__name__}.{kind}")
        if schema is not None:
            schema["example"] = example


ETAG_HEADER = {
    "description": (
        'The row\'s version, e.g. "3": send it back in If-Match to change the row only if '
        "nobody changed it since."
    ),
    "schema": {"type": "string"},
}
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": (
        "The ETag of the row as last read: a row changed since answers 409 and nothing is "
        "written. Without it the change is made whatever the row's version (clients "
        "written before the check)."
    ),
}


def _document_versions(api: Any, paths: dict[str, Any]) -> None:
    """A versioned resource: GET of one row answers its ETag; PUT and DELETE of the row and
    its state changes (``POST /<pk>/submit``…) take If-Match, and answer the new ETag."""
    one = f"{api.route_base}/{{pk}}"
    for path, operations in paths.items():
        if path != one and not path.startswith(f"{one}/"):
            continue
        for method, operation in operations.items():
            if method not in (("get", "put", "delete") if path == one else ("post",)):
                continue
            if method != "get":
                parameters = operation.setdefault("parameters", [])
                if not any(p.get("name") == "If-Match" for p in parameters):
                    parameters.append(dict(IF_MATCH))
            answer = operation.get("responses", {}).get("200")
            if isinstance(answer, dict) and method != "delete" and "$ref" not in answer:
                answer.setdefault("headers", {})["ETag"] = dict(ETAG_HEADER)


def refine(spec: dict[str, Any]) -> dict[str, Any]:
    """The whole spec: one error shape, the errors each operation can answer, one bearer
    scheme."""
    components = spec.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    components["responses"] = {
        code: {"description": text, "content": _json(_ref("Error"))}
        for code, text in ERROR_RESPONSES.items()
    }
    schemes = components.setdefault("securitySchemes", {})
    schemes.pop("api_key", None)
    schemes.pop("jwt", None)
    schemes["bearer"] = BEARER
    paths = spec.get("paths", {})
    if "post" in paths.get(f"{SECURITY_PATHS}login", {}):
        paths[f"{SECURITY_PATHS}login"]["post"].update(LOGIN)
    menu = _answer(paths.get("/api/v1/menu/", {}).get("get"))
    if "properties" in menu:  # FAB's menu lists a separator as the text "-"
        items = menu["properties"]["result"]["items"]["properties"]["childs"]
        items["items"] = {"oneOf": [{"type": "object"}, {"type": "string"}]}
    for path, operations in paths.items():
        for method, operation in operations.items():
            if method in METHODS:
                _refine_operation(path, method, operation)
    return spec


def _refine_operation(path: str, method: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    responses.pop("500", None)
    security = operation.get("security")
    if security and any("jwt" in item or "api_key" in item for item in security):
        operation["security"] = [{"bearer": []}]
    codes = {"400"}
    if operation.get("security"):
        codes |= {"401", "403", "429"}
    if PATH_PARAMETER.search(path):
        codes.add("404")
    if "requestBody" in operation:
        codes |= {"413", "422"}
    if method in WRITES and operation.get("security") and not path.startswith(SECURITY_PATHS):
        codes.add("409")
    for code in codes:
        responses.setdefault(code, {"$ref": f"#/components/responses/{code}"})
    for code, answer in responses.items():
        if code >= "400" and "$ref" not in answer and "content" not in answer:
            answer["content"] = _json(_ref("Error"))


def _field_properties(
    converter: Any, field: fields.Field, ret: dict[str, Any], **_: Any
) -> dict[str, Any]:
    """What apispec cannot tell of our fields: a related row or ``RowId`` is an integer id,
    a nested list is an array, an enum column that may be empty is nullable."""
    if isinstance(field, RowId | Related):
        return {"type": "integer"}
    if isinstance(field, fields.Decimal):  # the JSON answer writes a decimal as text
        return {"type": "string", "format": "decimal"}
    if isinstance(field, RelatedList):
        return {"type": "array", "items": {"type": "integer"}}
    nested = isinstance(field, fields.Nested) and not isinstance(field, fields.Pluck)
    if nested and getattr(field, "many", False) and ret.get("type") != "array":
        items = {"$ref": ret.pop("$ref")} if "$ref" in ret else ret.pop("allOf", [{}])[0]
        return {"type": "array", "items": items}
    if nested and not field.required and "$ref" in ret:  # a relation that may be empty
        return {"allOf": [{"$ref": ret.pop("$ref")}], "nullable": True}
    if isinstance(field, fields.Enum) and not field.required and "enum" in ret:
        return {"nullable": True, "enum": [*ret["enum"], None]}
    return {}


class KinerjaOpenApi(OpenApi):
    """FAB's ``/api/<version>/_openapi``, refined by :func:`refine`."""

    class_permission_name = "OpenApi"
    allow_browser_login = True

    @expose("/<version>/_openapi")
    @protect()
    @safe
    def get(self, version: str) -> Any:
        """The OpenAPI spec of one API version.
        ---
        get:
          parameters:
          - {in: path, name: version, required: true, schema: {type: string}}
          responses:
            200:
              description: The OpenAPI spec
              content:
                application/json:
                  schema: {type: object}
        """
        api_spec = self._create_api_spec(version)
        found = False
        for view in current_app.appbuilder.baseviews:  # type: ignore[attr-defined]
            if isinstance(view, BaseApi) and view.version == version:
                view.add_api_spec(api_spec)
                found = True
        if not found:
            return self.response_404()
        return self.response(200, **refine(api_spec.to_dict()))

    @staticmethod
    def _create_api_spec(version: str) -> APISpec:
        plugin = MarshmallowPlugin(schema_name_resolver=resolver)
        api_spec = APISpec(
            title=current_app.appbuilder.app_name,  # type: ignore[attr-defined]
            version=version,
            openapi_version="3.0.2",
            info={
                "description": (
                    "Kinerja's REST API: every resource is scoped to the caller's reach "
                    "(a row outside it answers 404); lists take rison q=(filters:!(…),"
                    "order_column:…,page:…,page_size:…)."
                )
            },
            plugins=[plugin],
            servers=current_app.config.get("FAB_OPENAPI_SERVERS", [{"url": request.host_url}]),
        )
        if plugin.converter is not None:  # set by APISpec's init_spec
            plugin.converter.add_attribute_function(_field_properties)
        return api_spec
