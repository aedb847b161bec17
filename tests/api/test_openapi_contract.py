"""The OpenAPI spec against the answers: every documented operation, called by an Admin,
answers a documented status with a body its schema accepts; every undocumented method
answers 405; the examples fit their schemas."""

from __future__ import annotations

import io
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.api.contract import build_world, error_shape_is_live, problems, validator
from tests.factories import PASSWORD, Org, Planning, Reporting, api_token, make_nip

METHODS = ("get", "post", "put", "delete", "patch")
Body = Callable[[SimpleNamespace], Any]


@pytest.fixture
def world(org: Org, planning: Planning, reporting: Reporting) -> SimpleNamespace:
    built = build_world(org, planning, reporting)
    built.org, built.planning, built.reporting = org, planning, reporting
    return built


@pytest.fixture
def admin(client: FlaskClient) -> dict[str, str]:
    return api_token(client, "admin")


@pytest.fixture
def spec(client: FlaskClient, org: Org, admin: dict[str, str]) -> dict[str, Any]:
    answer = client.get("/api/v1/_openapi", headers=admin)
    assert answer.status_code == 200
    return answer.get_json()


def _operations(spec: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p, m) for p, ops in spec["paths"].items() for m in ops if m in METHODS]


def _first_id(client: FlaskClient, headers: dict[str, str], collection: str) -> int:
    body = client.get(collection, headers=headers).get_json()
    assert body["ids"], f"no rows in {collection}"
    return int(body["ids"][0])


# Calls that must succeed, in order (later ones use what earlier ones made): method, path
# (``{pk}`` from ``made``), body, and the key under which the answer's id is remembered.
def _successful_calls(w: SimpleNamespace) -> list[tuple[str, str, Body, str | None]]:
    org, rec = w.org, w.records
    return [
        (
            "post",
            "/api/v1/unit/",
            lambda m: {
                "code": "X1",
                "name": "Uji",
                "kind": "bidang",
                "parent": org.units.dinkes.id,
            },
            "unit",
        ),
        ("put", "/api/v1/unit/{unit}", lambda m: {"name": "Uji Ubah"}, None),
        (
            "post",
            "/api/v1/employee/",
            lambda m: {
                "nip": make_nip(start="201104"),
                "name": "Baru",
                "unit": m["unit"],
                "employment_type": "pns",
            },
            "employee",
        ),
        ("put", "/api/v1/employee/{employee}", lambda m: {"name": "Baru Ubah"}, None),
        ("post", "/api/v1/period/", lambda m: {"year": 2027, "cadence": "quarterly"}, "period"),
        (
            "post",
            "/api/v1/work_plan/",
            lambda m: {"period": m["period"], "employee": org.employees.perawat.id},
            "plan",
        ),
        (
            "post",
            "/api/v1/report/",
            lambda m: {"work_plan": w.reporting.plan2.id, "sub_period": w.reporting.q2.id},
            "report",
        ),
        ("put", "/api/v1/report/{report}", lambda m: {"note": "Catatan"}, None),
        ("put", "/api/v1/realization/{line}", lambda m: {"value": 2, "note": "ok"}, None),
        (
            "post",
            "/api/v1/evidence/",
            lambda m: {"report": m["report"], "url": "https://bukti.example/1"},
            None,
        ),
        (
            "post",
            "/api/v1/evidence/",
            lambda m: {
                "report": str(m["report"]),
                "file": (io.BytesIO(b"%PDF-1.4 bukti"), "bukti.pdf"),
            },
            "evidence",
        ),
        (
            "post",
            "/api/v1/dialogue_note/",
            lambda m: {"report": rec.reports.epid2_q1.id, "text": "Halo"},
            None,
        ),
        (
            "post",
            "/api/v1/unit_rating/",
            lambda m: {
                "unit": org.units.yankes.id,
                "period": w.planning.period.id,
                "predikat": "baik",
            },
            None,
        ),
        ("delete", "/api/v1/evidence/{evidence}", lambda m: None, None),
        ("delete", "/api/v1/work_plan/{plan}", lambda m: None, None),
        ("delete", "/api/v1/employee/{employee}", lambda m: None, None),
        ("delete", "/api/v1/unit/{unit}", lambda m: None, None),
    ]


def _call(client: FlaskClient, headers: dict[str, str], method: str, url: str, body: Any) -> Any:
    if isinstance(body, dict) and any(isinstance(v, tuple) for v in body.values()):
        return client.open(url, method=method.upper(), headers=headers, data=body)
    return client.open(url, method=method.upper(), headers=headers, json=body)


def test_writes_answer_what_the_spec_documents(client, world, admin, spec) -> None:
    strict = error_shape_is_live(client.get("/api/v1/unit/99999999", headers=admin))
    made: dict[str, Any] = {}
    found: list[str] = []
    for method, template, body, remember in _successful_calls(world):
        if "{line}" in template:
            made["line"] = _first_id(
                client,
                admin,
                f"/api/v1/realization/?q=(filters:!((col:report,opr:rel_o_m,value:{made['report']})))",
            )
        url = template.format(**made)
        answer = _call(client, admin, method, url, body(made))
        assert answer.status_code < 300, (method, url, answer.status_code, answer.get_json())
        path = url.rsplit("/", 1)[0] + "/{pk}" if template.endswith("}") else url
        found += problems(spec, path, method, answer, strict)
        if remember:
            made[remember] = answer.get_json()["id"]
    assert found == [], "\n".join(found)


def test_every_documented_operation_answers_as_documented(client, world, admin, spec) -> None:
    """Reads must succeed; writes called with an empty body may refuse, but only with a
    documented status and body."""
    strict = error_shape_is_live(client.get("/api/v1/unit/99999999", headers=admin))
    found: list[str] = []
    operations = sorted(_operations(spec), key=lambda op: (op[1] == "delete", op))
    for path, method in operations:
        if path.startswith("/api/v1/security/"):
            continue  # signing in and refreshing: test_sign_in_is_documented
        url = path.replace("{version}", "v1")
        if "{pk}" in url:
            url = url.replace("{pk}", str(_first_id(client, admin, url.split("{pk}")[0])))
        url = url.replace("{kind}", "csv")
        if "{token}" in url:
            url = url.replace("{token}", world.survey.token)
        body = None if method in ("get", "delete") else {}
        answer = _call(client, admin, method, url, body)
        # a file or a self-evaluation may not exist for the first row: 404, as documented
        if method == "get" and not path.endswith(("/file", "/self_evaluation")):
            assert answer.status_code == 200, (url, answer.status_code, answer.get_json())
        assert answer.status_code < 500, (method, url, answer.get_data(as_text=True)[:300])
        found += problems(spec, path, method, answer, strict)
    assert found == [], "\n".join(found)


def test_sign_in_is_documented(client, org: Org, spec) -> None:
    good = client.post(
        "/api/v1/security/login",
        json={"username": "integrator", "password": PASSWORD, "provider": "db"},
    )
    bad = client.post(
        "/api/v1/security/login",
        json={"username": "integrator", "password": "salah", "provider": "db"},
    )
    strict = error_shape_is_live(bad)
    assert problems(spec, "/api/v1/security/login", "post", good, strict) == []
    assert problems(spec, "/api/v1/security/login", "post", bad, strict) == []


def test_undocumented_methods_answer_405(client, world, admin, spec) -> None:
    """``PUT /unit/_info`` names a row ``_info`` (the path is a ``{pk}`` path too for the
    methods ``/{pk}`` offers): there is no such row, 404. Any other method: 405."""
    wrong = []
    for path, operations in spec["paths"].items():
        url = path.replace("{version}", "v1").replace("{token}", world.survey.token)
        url = url.replace("{pk}", "1").replace("{kind}", "xlsx")
        row_path = spec["paths"].get(path.rsplit("/", 1)[0] + "/{pk}", {})
        for method in METHODS:
            if method in operations:
                continue
            last = path.rsplit("/", 1)[-1]
            names_a_row = last and not last.startswith("{") and method in row_path
            expected = 404 if names_a_row else 405
            answer = client.open(url, method=method.upper(), headers=admin, json={})
            if answer.status_code != expected:
                wrong.append((method, path, answer.status_code))
    assert wrong == [], wrong


def test_read_only_resources_neither_offer_nor_route_writes(client, world, admin, spec) -> None:
    assert set(spec["paths"]["/api/v1/evaluation/"]) == {"get"}
    assert set(spec["paths"]["/api/v1/evaluation/{pk}"]) == {"get"}
    evaluation = world.records.reports.epid1_q1.evaluation.id
    assert client.post("/api/v1/evaluation/", headers=admin, json={}).status_code == 405
    assert client.put(f"/api/v1/evaluation/{evaluation}", headers=admin, json={}).status_code == 405
    assert client.delete(f"/api/v1/evaluation/{evaluation}", headers=admin).status_code == 405


def test_work_plan_creation_documents_its_source_and_integer_id(spec) -> None:
    post = spec["paths"]["/api/v1/work_plan/"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    fields = spec["components"]["schemas"][body.rsplit("/", 1)[-1]]["properties"]
    assert fields["source"]["enum"] == ["blank", "previous"]
    created = post["responses"]["201"]["content"]["application/json"]["schema"]
    assert created["properties"]["id"] == {"type": "integer"}


def test_evidence_upload_is_documented_as_multipart(spec) -> None:
    content = spec["paths"]["/api/v1/evidence/"]["post"]["requestBody"]["content"]
    form = spec["components"]["schemas"][content["multipart/form-data"]["schema"]["$ref"][21:]]
    assert form["properties"]["file"] == {"type": "string", "format": "binary"}
    assert "application/json" in content


def test_errors_share_one_schema_and_one_bearer_scheme(spec) -> None:
    assert set(spec["components"]["securitySchemes"]) == {"bearer", "jwt_refresh"}
    error = spec["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"status", "error", "message", "fields"}
    for code in ("400", "401", "403", "404", "405", "409", "413", "422", "429"):
        content = spec["components"]["responses"][code]["content"]["application/json"]
        assert content["schema"] == {"$ref": "#/components/schemas/Error"}
    securities = [op.get("security") for ops in spec["paths"].values() for op in ops.values()]
    assert not any("api_key" in str(s) or "'jwt'" in str(s) for s in securities)


def test_examples_fit_their_schemas(spec) -> None:
    examples = {
        name: schema["example"]
        for name, schema in spec["components"]["schemas"].items()
        if "example" in schema
    }
    for resource in ("Unit", "Employee", "WorkPlan", "Report", "Evaluation"):
        assert f"{resource}Api.get" in examples
    for name, example in examples.items():
        schema = {"$ref": f"#/components/schemas/{name}"}
        errors = [e.message for e in validator(spec, schema).iter_errors(example)]
        assert errors == [], name


def test_swagger_ui_is_for_signed_in_users_only(client, org: Org) -> None:
    assert client.get("/swagger/v1").status_code in (302, 401, 403)
    assert client.get("/api/v1/_openapi").status_code == 401


def test_info_describes_fields_without_the_catalogues_header(client, org: Org, admin) -> None:
    fields = client.get("/api/v1/employee/_info", headers=admin).get_json()["add_columns"]
    assert fields
    assert not any("Project-Id-Version" in f.get("description", "") for f in fields)


def test_a_related_id_without_its_row_is_refused_naming_the_field(client, world, admin) -> None:
    service = world.survey.service_id
    answer = client.post(
        "/api/v1/survey/",
        headers=admin,
        json={
            "service": service,
            "period": 99999,
            "opens_on": "2026-02-01",
            "closes_on": "2026-02-20",
        },
    )
    assert answer.status_code == 422
    assert "period" in answer.get_json()["fields"]


def test_a_key_that_cannot_be_an_id_answers_404(client, org: Org, admin) -> None:
    for key in ("-1569", "abc", "0"):
        assert client.get(f"/api/v1/unit/{key}", headers=admin).status_code == 404


def test_evaluation_labels_speak_one_language(client, org: Org, admin) -> None:
    english = ("Suggested", "Results", "Behaviour", "Created", "Updated", "Decided", "Evaluator")
    for locale, foreign in (("id", english), ("en", ("Saran", "Dibuat", "Diubah"))):
        answer = client.get(f"/api/v1/evaluation/?_l_={locale}", headers=admin).get_json()
        labels = answer["label_columns"]
        assert set(labels) == set(answer["list_columns"])
        assert not [label for label in labels.values() if label.startswith(foreign)], locale


def test_the_error_example_fits_the_error_schema(spec) -> None:
    error = spec["components"]["schemas"]["Error"]
    schema = {"$ref": "#/components/schemas/Error"}
    assert [e.message for e in validator(spec, schema).iter_errors(error["example"])] == []
