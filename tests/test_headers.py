"""Security headers (issue 15): every answer says nosniff, may not be framed and sends no
referrer to other sites; pages allow only the app's own scripts and styles."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.factories import Org, api_token, login

NONCE = re.compile(r"""<script[^>]* nonce="([^"]+)\"""")


def _policy(response: TestResponse) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def _assert_common_headers(response: TestResponse) -> None:
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert _policy(response)["frame-ancestors"] == "'none'"


def test_a_screen_allows_only_the_apps_own_scripts_and_styles(
    client: FlaskClient, org: Org
) -> None:
    login(client, "admin")
    response = client.get("/employees/list/")
    assert response.status_code == 200
    _assert_common_headers(response)
    policy = _policy(response)
    nonces = set(NONCE.findall(response.get_data(as_text=True)))
    assert len(nonces) == 1, "FAB's inline scripts carry this request's nonce"
    assert policy["script-src"] == f"'self' 'nonce-{nonces.pop()}'"
    assert policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    for directive, sources in policy.items():
        assert "http" not in sources and "*" not in sources, (directive, sources)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]


def test_each_page_gets_its_own_nonce(client: FlaskClient, org: Org) -> None:
    first, second = (client.get("/login/") for _ in range(2))
    assert _policy(first)["script-src"] != _policy(second)["script-src"]


def test_a_json_answer_says_nosniff_and_may_not_be_framed(client: FlaskClient, org: Org) -> None:
    response = client.get("/api/v1/unit/", headers=api_token(client, "integrator"))
    assert response.status_code == 200 and response.is_json
    _assert_common_headers(response)
    refused = client.get("/api/v1/unit/")
    assert refused.status_code == 401
    _assert_common_headers(refused)


def test_a_file_download_says_nosniff_and_may_not_be_framed(client: FlaskClient, org: Org) -> None:
    login(client, "admin")
    response = client.get("/units/export/")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    _assert_common_headers(response)


def test_error_answers_carry_the_headers_too(client: FlaskClient, org: Org) -> None:
    login(client, "admin")
    for url in ("/users/show/abc", "/positions/list/?_flt_0_grade=99999999"):
        response = client.get(url)
        assert response.status_code in (400, 404)
        _assert_common_headers(response)


def test_the_swagger_page_runs_only_the_apps_own_files(client: FlaskClient, org: Org) -> None:
    login(client, "admin")
    page = client.get("/swagger/v1").get_data(as_text=True)
    scripts = re.findall(r"<script([^>]*)>", page)
    assert any("swagger-ui-bundle.js" in attributes for attributes in scripts)
    assert all("src=" in attributes or "nonce=" in attributes for attributes in scripts)
    assert not re.search(r"""(src|href)=["']https?:""", page)


def test_the_user_statistics_load_no_chart_library_from_another_site(
    client: FlaskClient, org: Org
) -> None:
    """FAB's chart loader fetches Google Charts and hands it the page's nonce."""
    login(client, "admin")
    page = client.get("/userstatschartview/chart/").get_data(as_text=True)
    assert "google_charts.js" not in page and "google.load" not in page
    assert '<table class="table table-condensed table-striped" id="UserStatsChartView">' in page


def test_the_session_cookie_keeps_its_configured_flags(
    app: Flask, client: FlaskClient, org: Org
) -> None:
    """flask-talisman would otherwise turn ``Secure`` on even for plain-http development."""
    login(client, "admin")
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
