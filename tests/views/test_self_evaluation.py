"""The self-evaluation before the annual evaluation: the employee rates their own results
and values on their annual report (screen and API), the supervisor sees it beside the
suggestion, and it closes when the annual evaluation is approved."""

from __future__ import annotations

from sqlalchemy import select

from kinerja.domain.ratings import Level
from kinerja.extensions import db
from kinerja.models.self_evaluations import SelfEvaluation
from kinerja.security.policies import SYSTEM, scope_for_user
from kinerja.services.reports import evaluations
from kinerja.services.reports import reports as service
from tests.annual import all_values, build_last_year, the_quarters
from tests.factories import Org, Planning, api_token, login, submitted_report

CODES = ("service", "accountable", "competent", "harmonious", "loyal", "adaptive", "collaborative")


def _annual_report(org: Org, planning: Planning, submit: bool = False):
    year = build_last_year(org, planning)
    if submit:
        the_quarters(year, planning, [[3, 3]] * 4)
    report = service.start_report(year.plan.id, year.annual.id, SYSTEM)
    if submit:
        service.save_report(report, {}, SYSTEM, notes={year.described.id: "Rapat rutin."})
        service.submit_report(report, SYSTEM)
    db.session.commit()
    return year, report


def _values(level: str = "as_expected", **others: str) -> dict[str, str]:
    return {code: others.get(code, level) for code in CODES}


def test_the_employee_rates_themselves_on_the_annual_report_page(
    client, org: Org, planning: Planning
) -> None:
    _year, report = _annual_report(org, planning)
    login(client, "employee")
    page = client.get(f"/report/{report.id}/?_l_=en").get_data(as_text=True)
    assert 'id="self-evaluation-form"' in page
    form = {"results": "above", "note": "Target tercapai."}
    form.update({f"level_{c}": v for c, v in _values("above", loyal="below").items()})
    saved = client.post(f"/self-evaluation/{report.id}", data=form)
    assert saved.status_code == 302
    row = db.session.scalar(select(SelfEvaluation).where(SelfEvaluation.report_id == report.id))
    assert (row.results, row.behaviour, row.note) == (Level.ABOVE, Level.ABOVE, "Target tercapai.")
    assert row.values["loyal"] == "below" and len(row.values) == 7


def test_a_self_evaluation_missing_a_value_is_refused_and_nothing_saved(
    client, org: Org, planning: Planning
) -> None:
    _year, report = _annual_report(org, planning)
    headers = api_token(client, "employee")
    values = _values()
    del values["loyal"]
    refused = client.put(
        f"/api/v1/report/{report.id}/self_evaluation?_l_=en",
        headers=headers,
        json={"results": "above", "values": values},
    )
    assert refused.status_code == 422
    assert "values" in refused.get_json()["fields"]
    unknown = client.put(
        f"/api/v1/report/{report.id}/self_evaluation",
        headers=headers,
        json={"results": "great", "values": _values()},
    )
    assert unknown.status_code == 422 and "results" in str(unknown.get_json())
    assert db.session.scalar(select(SelfEvaluation.id)) is None


def test_the_supervisor_sees_the_self_evaluation_beside_the_suggestion(
    client, org: Org, planning: Planning
) -> None:
    _year, report = _annual_report(org, planning, submit=True)
    headers = api_token(client, "employee")
    saved = client.put(
        f"/api/v1/report/{report.id}/self_evaluation",
        headers=headers,
        json={"results": "below", "values": _values("below"), "note": "Perlu pelatihan."},
    )
    assert saved.status_code == 200
    assert saved.get_json()["result"]["behaviour"] == "below"
    kasi = api_token(client, "kasi")
    assert (
        client.put(
            f"/api/v1/report/{report.id}/self_evaluation",
            headers=kasi,
            json={"results": "above", "values": _values("above")},
        ).status_code
        == 403
    )
    shown = client.get(f"/api/v1/report/{report.id}/self_evaluation", headers=kasi)
    assert shown.get_json()["result"]["results"] == "below"
    login(client, "kasi")
    page = client.get(f"/report/{report.id}/?_l_=en").get_data(as_text=True)
    assert 'id="evaluation-form"' in page
    assert 'id="self-results">· self-evaluation: <strong>Below expectations' in page
    assert 'id="self-behaviour">· self-evaluation: <strong>Below expectations' in page
    assert "Perlu pelatihan." in page and 'id="self-evaluation-form"' not in page
    login(client, "other")  # outside the chain: neither the page nor the self-evaluation
    assert client.get(f"/api/v1/report/{report.id}/self_evaluation").status_code in (401, 404)


def test_the_self_evaluation_closes_with_the_annual_evaluation(
    client, org: Org, planning: Planning
) -> None:
    year, report = _annual_report(org, planning, submit=True)
    headers = api_token(client, "employee")
    body = {"results": "above", "values": _values()}
    assert (
        client.put(f"/api/v1/report/{report.id}/self_evaluation", headers=headers, json=body)
    ).status_code == 200
    ratings = evaluations.Ratings(
        results=Level.AS_EXPECTED,
        behaviour=Level.AS_EXPECTED,
        values=all_values(),
        feedback="Baik.",
        indicator_levels={year.described.id: Level.AS_EXPECTED},
    )
    evaluations.approve_report(report, ratings, scope_for_user(planning.kasi))
    late = client.put(f"/api/v1/report/{report.id}/self_evaluation", headers=headers, json=body)
    assert late.status_code == 409
    login(client, "employee")
    page = client.get(f"/report/{report.id}/?_l_=en").get_data(as_text=True)
    assert 'id="self-evaluation-result"' in page and 'id="self-evaluation-form"' not in page


def test_a_quarterly_report_has_no_self_evaluation(client, org: Org, planning, reporting) -> None:
    report = submitted_report(reporting)
    headers = api_token(client, "employee")
    refused = client.put(
        f"/api/v1/report/{report.id}/self_evaluation",
        headers=headers,
        json={"results": "above", "values": _values()},
    )
    assert refused.status_code == 409
