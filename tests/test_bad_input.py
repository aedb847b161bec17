"""Input that once answered 500 answers 400, 404 or 422 (issue 15), in the screens and the API.

The crawl test (:mod:`tests.test_crawl`) sends the same inputs as every demo role; here each
finding has its own test, with the answer it should get.
"""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.factories import Org, Planning, Reporting, api_token, login, submitted_report

HUGE = "9" * 30  # beyond 64 bits


def _q(*filters: str) -> str:
    return "?q=(filters:!(" + ",".join(f"({item})" for item in filters) + "))"


def test_a_url_naming_a_row_by_what_cannot_be_an_id_answers_404(client, org: Org) -> None:
    login(client, "admin")
    for url in (
        "/work-plans/show/abc",
        f"/jobs/show/{HUGE}",
        f"/users/show/{HUGE}",
        f"/users/edit/{HUGE}",
        f"/roles/show/{HUGE}",
        f"/plans/{HUGE}/",
        f"/report/{HUGE}/",
        f"/resetpassword/form?pk={HUGE}",
    ):
        assert client.get(url).status_code == 404, url
    headers = api_token(client, "admin")
    for method, url in (("GET", f"/api/v1/unit/{HUGE}"), ("POST", "/api/v1/work_plan/abc/submit")):
        response = client.open(url, method=method, headers=headers)
        assert response.status_code == 404 and response.is_json, url


def test_fab_user_statistics_by_an_unknown_grouping_answer_404(client, org: Org) -> None:
    login(client, "admin")
    assert client.get("/userstatschartview/chart/xx").status_code == 404
    assert client.get("/userstatschartview/chart/7").status_code == 404
    assert client.get("/userstatschartview/chart/1").status_code == 200


def test_list_filter_numbers_beyond_their_column_answer_400(client, org: Org) -> None:
    login(client, "admin")
    for url in (f"/positions/list/?_flt_0_grade={HUGE}", f"/positions/export/?_flt_0_grade={HUGE}"):
        assert client.get(url).status_code == 400, url
    assert client.get("/positions/list/?_flt_0_grade=40000").status_code == 400  # smallint
    assert client.get("/positions/list/?_flt_0_grade=7").status_code == 200
    assert client.get("/positions/list/?_flt_0_grade=abc").status_code == 200  # FAB: no grade


def test_list_filters_fab_would_choke_on_answer_400(client, org: Org) -> None:
    login(client, "admin")
    assert client.get("/units/list/?_flt_0_active=n").status_code == 400
    assert client.get("/users/list/?_flt_0_active=zzz").status_code == 400
    assert client.get("/positions/list/?_flt_9_grade=1").status_code == 400  # no such filter
    assert client.get("/units/list/?_flt_0_active=y").status_code == 200


@pytest.mark.parametrize(
    ("resource", "column"),
    [
        ("unit", "kind"),
        ("employee", "employment_type"),
        ("period", "status"),
        ("work_plan", "status"),
        ("report", "status"),
        ("evaluation", "predikat"),
        ("evidence", "kind"),
    ],
)
def test_api_filters_with_an_unknown_enum_value_answer_400(
    client, org: Org, resource: str, column: str
) -> None:
    headers = api_token(client, "admin")
    for operator in ("eq", "neq"):
        response = client.get(
            f"/api/v1/{resource}/" + _q(f"col:{column},opr:{operator},value:zzz"), headers=headers
        )
        assert response.status_code == 400, (resource, operator, response.get_json())
        assert column in response.get_json()["fields"]["q"][0]


def test_api_enum_filters_still_find_known_values(client, org: Org) -> None:
    headers = api_token(client, "admin")
    response = client.get(
        "/api/v1/unit/" + _q("col:kind,opr:eq,value:opd", "col:kind,opr:neq,value:seksi"),
        headers=headers,
    )
    assert response.status_code == 200
    assert {row["code"] for row in response.get_json()["result"]} == {"DINKES", "DISHUB"}


def test_api_filters_by_a_related_id_beyond_64_bits_answer_400(client, org: Org) -> None:
    headers = api_token(client, "admin")
    for operator in ("rel_o_m", "nrel_o_m", "in_unit_tree"):
        for value in (HUGE, "abc", "!(1,2.5)"):
            response = client.get(
                "/api/v1/employee/" + _q(f"col:unit,opr:{operator},value:{value}"),
                headers=headers,
            )
            assert response.status_code == 400, (operator, value)
    tree = client.get(
        "/api/v1/employee/" + _q(f"col:unit,opr:in_unit_tree,value:{org.units.p2p.id}"),
        headers=headers,
    )
    assert tree.status_code == 200 and tree.get_json()["count"] == 4  # Kabid, Kasi, 2 Epid


def test_api_filter_numbers_beyond_their_column_answer_400(client, org: Org) -> None:
    headers = api_token(client, "admin")
    for item in (
        f"col:grade,opr:eq,value:{HUGE}",
        "col:grade,opr:gt,value:40000",
        f"col:grade,opr:in,value:!(7,{HUGE})",
    ):
        assert client.get("/api/v1/position/" + _q(item), headers=headers).status_code == 400
    fits = client.get("/api/v1/position/" + _q("col:grade,opr:in,value:!(7)"), headers=headers)
    assert fits.status_code == 200 and fits.get_json()["count"] == 9


def test_api_text_filters_read_numbers_and_lists_as_text(client, org: Org) -> None:
    headers = api_token(client, "admin")
    nip = org.employees.epid1.nip
    for item in (
        f"col:name,opr:nip_or_name,value:!({nip[:8]},Satu)",
        f"col:name,opr:nip_or_name,value:{nip}",
        "col:name,opr:nip_or_name,value:!('Epidemiolog','Satu')",
    ):
        response = client.get("/api/v1/employee/" + _q(item), headers=headers)
        assert response.status_code == 200, item
        assert {row["name"] for row in response.get_json()["result"]} == {"Epidemiolog Satu"}
    numbers = client.get("/api/v1/unit/" + _q("col:name,opr:sw,value:1"), headers=headers)
    assert numbers.status_code == 200 and numbers.get_json()["count"] == 0
    flag = client.get("/api/v1/unit/" + _q("col:name,opr:ct,value:!t"), headers=headers)
    assert flag.status_code == 400


def test_api_queries_nested_too_deeply_answer_400(client, org: Org) -> None:
    headers = api_token(client, "admin")
    for q in (
        "(a:" * 2000 + "1" + ")" * 2000,
        "!(" * 2000 + ")" * 2000,
        "[" * 2000 + "]" * 2000,
        '{"a":' * 2000 + "1" + "}" * 2000,
        "(a:" * 20 + "1" + ")" * 20,  # parses, but no query of the API is that deep
    ):
        response = client.get("/api/v1/employee/", query_string={"q": q}, headers=headers)
        assert response.status_code == 400, q[:10]


def test_json_bodies_nested_too_deeply_answer_400(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    report_id = submitted_report(reporting).id
    kasi = {**api_token(client, "kasi"), "Content-Type": "application/json"}
    admin = {**api_token(client, "admin"), "Content-Type": "application/json"}
    deep = "[" * 100_000 + "]" * 100_000
    for method, url, headers in (
        ("POST", f"/api/v1/report/{report_id}/approve", kasi),
        ("POST", "/api/v1/unit/", admin),
        ("PUT", f"/api/v1/unit/{org.units.p2p.id}", admin),
    ):
        response = client.open(url, method=method, headers=headers, data=deep)
        assert response.status_code == 400, url


@pytest.mark.parametrize(
    "body",
    [
        {"feedback": 123},
        {"feedback": ["Pertahankan."]},
        {"results": ["above"]},
        {"values": ["above"]},
        {"values": {"service": ["above"]}},
    ],
)
def test_an_approval_with_values_of_the_wrong_type_answers_422(
    client, org: Org, planning: Planning, reporting: Reporting, body: dict[str, object]
) -> None:
    report_id = submitted_report(reporting).id
    kasi = api_token(client, "kasi")
    response = client.post(f"/api/v1/report/{report_id}/approve", headers=kasi, json=body)
    assert response.status_code == 422
    # nested problems are named by their dotted path (values.service.value)
    assert {name.split(".")[0] for name in response.get_json()["fields"]} == set(body)


@pytest.mark.parametrize("reason", [123, ["Ulang"], {"text": "Ulang"}, True])
def test_a_return_with_a_reason_that_is_not_text_answers_422(
    client, org: Org, planning: Planning, reporting: Reporting, reason: object
) -> None:
    kasi = api_token(client, "kasi")
    report_id = submitted_report(reporting).id
    for url in (
        f"/api/v1/work_plan/{reporting.plan.id}/return",
        f"/api/v1/report/{report_id}/return",
    ):
        response = client.post(url, headers=kasi, json={"reason": reason})
        assert response.status_code == 422, url
        assert list(response.get_json()["fields"]) == ["reason"]


def test_a_body_over_the_limit_goes_back_to_its_own_page_never_to_the_referer(
    app: Flask, client: FlaskClient, org: Org, planning: Planning, reporting: Reporting
) -> None:
    report_id = submitted_report(reporting).id
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 1024

    def upload(url: str) -> TestResponse:
        return client.post(
            url,
            headers={"Referer": "https://evil.example/phish"},
            data={"file": (io.BytesIO(b"0" * 4096), "besar.pdf")},
            content_type="multipart/form-data",
        )

    try:
        login(client, "operator")
        imported = upload("/import/")
        login(client, "employee")
        evidence = upload(f"/report/{report_id}/evidence")
        unknown = upload("/nowhere/at/all")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert imported.status_code == 302 and imported.headers["Location"] == "/import/"
    assert evidence.status_code == 302
    assert evidence.headers["Location"] == f"/report/{report_id}/"
    assert unknown.status_code in (302, 404)
    assert "evil" not in unknown.headers.get("Location", "")
