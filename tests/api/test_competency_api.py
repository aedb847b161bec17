"""The competency resources' own operations over the API: standards set for many positions
and copied from one, and a year's recommendations computed in the background — each through
its use case, so an Operator reaches only their positions and a bad body names its field."""

from __future__ import annotations

from typing import Any

from kinerja.extensions import db
from kinerja.models.jobs import JobRun
from tests.development_factories import build_development, standard_of
from tests.factories import Org, api_token


def test_levels_are_set_for_many_positions_within_reach_only(client: Any, org: Org) -> None:
    made = build_development(org)
    p = org.positions
    m01, m05 = made.competencies["m01"], made.competencies["m05"]
    operator = api_token(client, "operator")
    url = "/api/v1/position_competency/bulk"
    body = {"positions": [p.epid.id, p.perawat.id], "levels": {str(m05): 2, str(m01): None}}
    answer = client.post(url, json=body, headers=operator)
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["result"]["written"] >= 2
    assert standard_of(p.epid) == {"M.02": 4, "M.05": 2}
    assert standard_of(p.perawat) == {"M.03": 3, "M.05": 2}
    before = standard_of(p.penguji)
    body = {"positions": [p.perawat.id, p.penguji.id], "levels": {str(m05): 4}}
    refused = client.post(url, json=body, headers=operator)  # Dishub is not the Operator's
    assert refused.status_code == 422 and "positions" in refused.get_json()["fields"]
    assert standard_of(p.penguji) == before and standard_of(p.perawat)["M.05"] == 2
    bad = client.post(url, json={"positions": "x", "levels": {}}, headers=operator)
    assert bad.status_code == 422 and "positions" in bad.get_json()["fields"]
    assert client.post(url, data="[1]", headers=operator).status_code == 400


def test_a_standard_is_copied_over_the_api(client: Any, org: Org) -> None:
    build_development(org)
    p = org.positions
    operator = api_token(client, "operator")
    url = "/api/v1/position_competency/copy"
    body = {"source": p.epid.id, "positions": [p.perawat.id, p.kasi_surv.id]}
    answer = client.post(url, json=body, headers=operator)
    assert answer.status_code == 200, answer.get_json()
    assert standard_of(p.perawat) == standard_of(p.kasi_surv) == {"M.01": 3, "M.02": 4}
    missing = client.post(url, json={"positions": [p.perawat.id]}, headers=operator)
    assert missing.status_code == 422 and "source" in missing.get_json()["fields"]


def test_recommendations_are_computed_by_a_job_the_admin_starts(client: Any, org: Org) -> None:
    build_development(org)
    url = "/api/v1/recommendation/compute"
    answer = client.post(url, json={"year": 2026}, headers=api_token(client, "admin"))
    assert answer.status_code == 202, answer.get_json()
    assert answer.get_json()["result"] == {"year": 2026}
    assert db.session.get(JobRun, answer.get_json()["id"]) is not None
    bad = client.post(url, json={"year": 1900}, headers=api_token(client, "admin"))
    assert bad.status_code == 422 and "year" in bad.get_json()["fields"]
    refused = client.post(url, json={"year": 2026}, headers=api_token(client, "operator"))
    assert refused.status_code == 403


def test_lesson_hours_and_capacity_out_of_range_name_their_field(client: Any, org: Org) -> None:
    """A JP or capacity past what the columns hold is a 422, never a database error."""
    admin = api_token(client, "admin")
    url = "/api/v1/training/"
    body = {"title": "Diklat PIM IV", "mode": "classical", "jp": 40}
    for field, value in (("jp", 40_000), ("jp", 0), ("capacity", 3_000_000_000)):
        bad = client.post(url, json={**body, field: value}, headers=admin)
        assert bad.status_code == 422, bad.get_json()
        assert field in bad.get_json()["fields"]
    made = client.post(url, json={**body, "jp": 1000, "capacity": 30}, headers=admin)
    assert made.status_code == 201, made.get_json()
