"""Schemathesis over every documented operation, in-process, as an Integrator and as an
Admin: no answer is a 5xx, and every answer's status, content type and body are the ones
the spec documents.

The credential is pluggable (:data:`CREDENTIALS`): the Integrator calls with a service
account's API key, the Admin (no service account may hold that role) with a JWT from the
password login; both go in the ``Authorization: Bearer`` header.
Error bodies are held to the ``Error`` schema once the API answers in that shape (see
:func:`tests.api.contract.error_shape_is_live`). Examples per operation are few
(``EXAMPLES``) so that both roles run in about a minute.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kinerja.security import roles
from kinerja.security.policies import SYSTEM
from kinerja.services import service_accounts as accounts
from tests.api.contract import build_world, error_shape_is_live
from tests.factories import Org, Planning, Reporting, api_token

EXAMPLES = 8
Credential = Callable[[FlaskClient, str], dict[str, str]]
SERVICE_ROLES = {"integrator": roles.INTEGRATOR}


def api_key(client: FlaskClient, username: str) -> dict[str, str]:
    """A service account with the role of ``username`` and its key (service accounts hold
    read-only roles only)."""
    account = accounts.create_service_account(SYSTEM, f"svc-{username}", SERVICE_ROLES[username])
    return {"Authorization": f"Bearer {accounts.issue_key(SYSTEM, account.id).key}"}


CREDENTIALS: dict[str, Credential] = {"jwt": api_token, "api_key": api_key}


def _conforming_body(strict_errors: bool) -> Any:
    def conforming_body(ctx: Any, response: Any, case: Any) -> bool | None:
        if response.status_code >= 400 and not strict_errors:
            return None
        return response_schema_conformance(ctx, response, case)

    return conforming_body


def _run(operation: Any, client: FlaskClient, headers: dict[str, str], checks: list[Any]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def call(case: Any) -> None:
        response = case.call(session=client, headers=headers)
        case.validate_response(response, checks=checks, headers=headers)

    call()


@pytest.mark.parametrize(("username", "credential"), [("integrator", "api_key"), ("admin", "jwt")])
def test_every_operation_conforms_and_never_fails(
    app: Flask,
    client: FlaskClient,
    org: Org,
    planning: Planning,
    reporting: Reporting,
    username: str,
    credential: str,
) -> None:
    build_world(org, planning, reporting)
    headers = CREDENTIALS[credential](client, username)
    spec = client.get("/api/v1/_openapi", headers=headers).get_json()
    strict = error_shape_is_live(client.get("/api/v1/unit/99999999", headers=headers))
    schema = schemathesis.openapi.from_dict(spec)
    schema.app = app
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        _conforming_body(strict),
    ]
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith("/api/v1/security/"):
            continue  # signing in is not fuzzed: the sign-in limit would lock the caller out
        operations += 1
        try:
            _run(operation, client, headers, checks)
        except (Exception, BaseExceptionGroup) as failure:  # every operation is reported
            failures.append(f"{operation.label}: {str(failure)[:600]}")
    assert operations > 80
    assert failures == [], "\n\n".join(failures)
