"""Every refusal under /api/ has one shape, in the caller's language."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_jwt_extended import create_access_token

from kinerja.extensions import db
from kinerja.models.security import KinerjaUser
from tests.factories import Org, api_token, login

SHAPE = {"status", "error", "message", "fields"}


def _shaped(response: Any, status: int, error: str) -> dict[str, Any]:
    body = response.get_json()
    assert response.status_code == status, body
    assert response.is_json and set(body) == SHAPE, body
    assert (body["status"], body["error"]) == (status, error)
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["fields"], dict)
    return body


def test_unknown_api_path_answers_json_404(client, org: Org) -> None:
    body = _shaped(client.get("/api/v1/no_such_thing/"), 404, "not_found")
    assert body["fields"] == {}


def test_row_out_of_reach_answers_404_in_the_shape(client, org: Org) -> None:
    headers = api_token(client, "integrator")
    _shaped(client.get("/api/v1/unit/999999", headers=headers), 404, "not_found")


def test_wrong_method_answers_405_with_allow(client, org: Org) -> None:
    headers = api_token(client, "admin")
    response = client.patch("/api/v1/unit/", headers=headers, json={})
    _shaped(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


def test_missing_token_answers_401(client, org: Org) -> None:
    _shaped(client.get("/api/v1/unit/"), 401, "unauthorized")


def test_malformed_token_answers_401_not_422(client, org: Org) -> None:
    headers = {"Authorization": "Bearer not.a.token"}
    _shaped(client.get("/api/v1/unit/", headers=headers), 401, "unauthorized")
    garbage = {"Authorization": "Bearer abc"}
    _shaped(client.get("/api/v1/unit/", headers=garbage), 401, "unauthorized")


def test_expired_token_answers_401(client, org: Org) -> None:
    user = db.session.query(KinerjaUser).filter_by(username="integrator").one()
    token = create_access_token(
        identity=str(user.id),
        expires_delta=timedelta(seconds=-5),
        additional_claims={"ver": user.token_version},
    )
    response = client.get("/api/v1/unit/?_l_=en", headers={"Authorization": f"Bearer {token}"})
    assert "expired" in _shaped(response, 401, "unauthorized")["message"]


def test_integrator_may_not_write_403(client, org: Org) -> None:
    headers = api_token(client, "integrator")
    response = client.post("/api/v1/unit/", headers=headers, json={"code": "X", "name": "X"})
    _shaped(response, 403, "forbidden")


def test_validation_error_names_the_fields(client, org: Org) -> None:
    headers = api_token(client, "admin")
    response = client.post(
        "/api/v1/employee/?_l_=en",
        headers=headers,
        json={"nip": "123", "name": "Salah", "unit": org.units.p2p.id, "catatan": 1},
    )
    body = _shaped(response, 422, "validation_error")
    assert body["fields"]["nip"] == ["NIP must have 18 digits, not 3."]
    assert body["fields"]["catatan"] == ["Unknown field."]


def test_bad_query_answers_400_naming_q(client, org: Org) -> None:
    headers = api_token(client, "admin")
    response = client.get("/api/v1/unit/?q=(((", headers=headers)
    body = _shaped(response, 400, "bad_request")
    assert list(body["fields"]) == ["q"]
    filtered = client.get("/api/v1/unit/?q=(filters:!((col:nope,opr:eq,value:1)))", headers=headers)
    assert list(_shaped(filtered, 400, "bad_request")["fields"]) == ["q"]


def test_conflict_answers_409_with_its_reason(client, org: Org) -> None:
    headers = api_token(client, "admin")
    response = client.delete(f"/api/v1/unit/{org.units.dinkes.id}", headers=headers)
    body = _shaped(response, 409, "conflict")
    assert body["fields"] == {}


def test_message_follows_accept_language(client, org: Org) -> None:
    english = client.get("/api/v1/no_such/", headers={"Accept-Language": "en-US,en;q=0.9"})
    indonesian = client.get("/api/v1/no_such/", headers={"Accept-Language": "id"})
    default = client.get("/api/v1/no_such/")
    assert english.get_json()["message"] == "Not found or not within your reach."
    assert indonesian.get_json()["message"] == (
        "Data tidak ditemukan atau berada di luar kewenangan Anda."
    )
    assert default.get_json()["message"] == indonesian.get_json()["message"]


def test_marshmallow_messages_follow_the_language(client, org: Org) -> None:
    headers = api_token(client, "admin")
    body = {"nip": "123", "name": "Salah", "unit": org.units.p2p.id, "catatan": 1}
    english = client.post(
        "/api/v1/employee/", headers={**headers, "Accept-Language": "en"}, json=body
    )
    indonesian = client.post(
        "/api/v1/employee/", headers={**headers, "Accept-Language": "id"}, json=body
    )
    assert english.get_json()["fields"]["catatan"] == ["Unknown field."]
    assert indonesian.get_json()["fields"]["catatan"] == ["Kolom tidak dikenal."]


def test_screens_keep_their_html_404(client, org: Org) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404 and not response.is_json


def test_a_body_too_large_answers_413_in_the_shape(app, client, org: Org) -> None:
    headers = api_token(client, "admin")
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        response = client.post("/api/v1/unit/?_l_=en", headers=headers, json={"name": "x" * 4096})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    body = _shaped(response, 413, "too_large")
    assert body["message"] == "The request is too large."
    assert body["fields"] == {}


def test_a_revoked_token_answers_401_in_the_shape(client, org: Org) -> None:
    headers = api_token(client, "integrator")
    assert client.post("/api/v1/security/logout", headers=headers).status_code in (200, 404, 405)
    user = db.session.query(KinerjaUser).filter_by(username="integrator").one()
    user.end_sessions()
    db.session.commit()
    body = _shaped(client.get("/api/v1/unit/?_l_=en", headers=headers), 401, "unauthorized")
    assert "sign in again" in body["message"]


def test_a_range_message_of_marshmallow_is_translated_by_its_template(app) -> None:
    from flask_babel import force_locale

    from kinerja.views.schema_messages import translate_message

    with app.test_request_context("/api/v1/unit/"), force_locale("en"):
        assert translate_message("Must be one of: a, b.") == "Must be one of: a, b."
        assert translate_message("Length must be between 1 and 9.") == (
            "Length must be between 1 and 9."
        )
        assert translate_message("Something else entirely.") == "Something else entirely."


def test_without_accept_language_the_callers_own_language_is_used(client, org: Org) -> None:
    org.users.integrator.locale = "en"
    db.session.commit()
    headers = api_token(client, "integrator")
    response = client.get("/api/v1/unit/999999", headers=headers)
    assert _shaped(response, 404, "not_found")["message"] == "Not found or not within your reach."
    asked = client.get("/api/v1/unit/999999", headers={**headers, "Accept-Language": "id"})
    assert asked.get_json()["message"].startswith("Data tidak ditemukan")


def test_a_failed_sign_in_says_so_in_the_callers_language(client, org: Org) -> None:
    refused = client.post(
        "/api/v1/security/login",
        json={"username": "integrator", "password": "salah", "provider": "db"},
    )
    body = _shaped(refused, 401, "unauthorized")
    assert body["message"] == "Nama pengguna atau kata sandi salah. Silakan coba lagi."


def test_a_signed_in_browser_gets_the_language_of_its_screens(client, org: Org) -> None:
    login(client, "admin")
    client.get("/lang/en")
    answer = client.get("/api/v1/no_such/", headers={"Accept-Language": "id"})
    assert answer.get_json()["message"] == "Not found or not within your reach."
