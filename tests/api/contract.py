"""What the contract tests share: a world with rows in every resource, and the check that
an answer is one the spec documents (status and body).

The spec is OpenAPI 3.0, whose schemas are not quite JSON Schema (``nullable``); they are
translated once and validated with ``jsonschema`` against the whole spec, so ``$ref``s to
components resolve.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from jsonschema import Draft4Validator
from werkzeug.test import TestResponse

from kinerja.extensions import db
from tests.development_factories import build_development
from tests.factories import (
    Org,
    Planning,
    Reporting,
    build_ratings,
    build_records,
    build_unit_ratings,
)
from tests.survey_factories import computed_results, random_answers, surveyed
from tests.test_access_matrix import build_webhook

ERROR_KEYS = {"status", "error", "message"}


def build_world(org: Org, planning: Planning, reporting: Reporting) -> SimpleNamespace:
    """Rows in every resource: records, ratings, unit predikat, a computed survey, a
    webhook with a delivery, competency and development rows."""
    records = build_records(org, planning, reporting)
    build_ratings(org, planning, records)
    build_unit_ratings(org, planning)
    survey = surveyed(org.units.p2p, planning.period, random_answers(12))
    computed_results({"p2p": survey.id})
    build_webhook()
    build_development(org)
    db.session.commit()
    return SimpleNamespace(records=records, survey=survey)


def json_schema(node: Any) -> Any:
    """An OpenAPI 3.0 schema as JSON Schema: ``nullable`` becomes a ``null`` alternative."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: json_schema(value) for key, value in node.items()}
    if converted.pop("nullable", False):
        if "type" in converted and isinstance(converted["type"], str):
            converted["type"] = [converted["type"], "null"]
        elif "enum" in converted:
            converted["enum"] = [v for v in converted["enum"] if v is not None] + [None]
        else:
            return {"anyOf": [converted, {"type": "null"}]}
    return converted


def validator(spec: dict[str, Any], schema: dict[str, Any]) -> Draft4Validator:
    """A validator of ``schema`` whose ``#/components/...`` references resolve in ``spec``."""
    document = {**json_schema(schema), "components": json_schema(spec["components"])}
    return Draft4Validator(document)


def documented(spec: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    return spec["paths"][path][method]


def response_schema(spec: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any] | None:
    if "$ref" in answer:
        answer = spec["components"]["responses"][answer["$ref"].rsplit("/", 1)[-1]]
    content = answer.get("content", {})
    media = content.get("application/json")
    return media.get("schema") if media else None


def problems(
    spec: dict[str, Any],
    path: str,
    method: str,
    response: TestResponse,
    strict_errors: bool,
) -> list[str]:
    """Why ``response`` is not an answer the spec documents for ``method path`` (empty
    when it is). Error bodies are held to the ``Error`` schema once the API answers in
    that shape (``strict_errors``)."""
    operation = documented(spec, path, method)
    status = str(response.status_code)
    answer = operation["responses"].get(status)
    if answer is None:
        return [f"{method.upper()} {path}: status {status} is not documented"]
    schema = response_schema(spec, answer)
    if schema is None or (response.status_code >= 400 and not strict_errors):
        return []
    body = response.get_json(silent=True)
    if body is None:
        return [f"{method.upper()} {path}: {status} is not JSON"]
    return [
        f"{method.upper()} {path} {status}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(spec, schema).iter_errors(body)
    ]


def error_shape_is_live(response: TestResponse) -> bool:
    """Whether the API already answers errors as ``{"status", "error", "message"}``."""
    body = response.get_json(silent=True)
    return isinstance(body, dict) and body.keys() >= ERROR_KEYS
