"""Qualitative indicators: planned without a target (form, API, templates), shown as such
on the plan, its print and its kept versions; described in a report; given a level by the
supervisor in the evaluation, which the suggested results count."""

from __future__ import annotations

import re

from sqlalchemy import select

from kinerja.domain.reporting import ReportStatus
from kinerja.extensions import db
from kinerja.models.planning import Indicator, Objective, PlanTemplate, WorkPlan
from kinerja.models.reports import Evaluation, IndicatorLevel
from kinerja.security.policies import SYSTEM
from kinerja.services.plans import templates
from kinerja.services.reports import reports as service
from tests.annual import QUALITATIVE_TEXT, approve, qualitative_indicator
from tests.factories import Org, Planning, Reporting, api_token, draft_plan, login
from tests.views.test_plan_pages import _start
from tests.views.test_report_pages import _report

VALUES = {
    code: "as_expected"
    for code in (
        "service",
        "accountable",
        "competent",
        "harmonious",
        "loyal",
        "adaptive",
        "collaborative",
    )
}


def _no_none(page: str) -> bool:
    """No missing target or unit printed as Python's ``None`` ("None yet." is a message)."""
    return re.search(r"\bNone\b(?! yet\.)", page) is None


def _described_plan(reporting: Reporting, planning: Planning) -> tuple[WorkPlan, Indicator]:
    """Epidemiolog Satu's approved plan: one measurable indicator and one qualitative."""
    employee = reporting.plan.employee
    db.session.delete(reporting.plan)
    db.session.flush()
    plan = draft_plan(
        employee, planning.period, ["Analisis kasus"], [planning.kasi_plan.objectives[0]]
    )
    plan.objectives[0].indicators.append(qualitative_indicator())
    db.session.flush()
    approve(plan)
    db.session.commit()
    return plan, plan.objectives[0].indicators[1]


def test_a_qualitative_indicator_is_planned_in_the_form_without_a_target(
    client, org: Org, planning: Planning
) -> None:
    login(client, "employee")
    plan_id = _start(client, planning, org.employees.epid1.id)
    client.post(
        f"/objectives/add?_flt_0_work_plan={plan_id}",
        data={
            "kind": "main",
            "text": "Koordinasi lintas program",
            "parent": planning.kasi_plan.objectives[0].id,
            "order": "0",
        },
    )
    objective = db.session.scalar(select(Objective).where(Objective.work_plan_id == plan_id))
    form = client.get(f"/indicators/add?_flt_0_objective={objective.id}&_l_=en")
    assert 'id="qualitative"' in form.get_data(as_text=True)
    fields = {"text": QUALITATIVE_TEXT, "aspect": "quality", "direction": "", "order": "0"}
    missing = client.post(
        f"/indicators/add?_flt_0_objective={objective.id}&_l_=en",
        data={**fields, "accumulation": "", "target": "", "unit": ""},
    )
    assert missing.status_code == 200  # measurable by default: a target and a unit needed
    assert "The target must be greater than 0." in missing.get_data(
        as_text=True
    ) or "This field is required." in missing.get_data(as_text=True)
    saved = client.post(
        f"/indicators/add?_flt_0_objective={objective.id}",
        data={**fields, "accumulation": "", "qualitative": "y", "target": "", "unit": ""},
    )
    assert saved.status_code == 302
    indicator = db.session.scalar(select(Indicator).where(Indicator.objective_id == objective.id))
    assert indicator.qualitative and indicator.target is None and indicator.unit is None

    page = client.get(f"/plans/{plan_id}/?_l_=en").get_data(as_text=True)
    assert "Qualitative" in page and _no_none(page)
    printed = client.get(f"/plans/{plan_id}/print?_l_=en").get_data(as_text=True)
    assert "Qualitative" in printed and _no_none(printed)
    listed = client.get("/indicators/list/?_l_=en").get_data(as_text=True)
    assert "Qualitative" in listed and _no_none(listed)
    assert client.post(f"/plans/{plan_id}/submit").status_code == 302
    login(client, "kasi")
    assert client.post(f"/plans/{plan_id}/approve").status_code == 302
    kept = client.get(f"/plans/{plan_id}/versions/1?_l_=en").get_data(as_text=True)
    assert QUALITATIVE_TEXT in kept and "Qualitative" in kept and _no_none(kept)


def test_a_qualitative_indicator_over_the_api(client, org: Org, planning: Planning) -> None:
    headers = api_token(client, "employee")
    plan = client.post(
        "/api/v1/work_plan/",
        headers=headers,
        json={"period": planning.period.id, "employee": org.employees.epid1.id},
    ).get_json()["id"]
    objective = client.post(
        "/api/v1/objective/",
        headers=headers,
        json={
            "work_plan": plan,
            "kind": "main",
            "text": "Koordinasi",
            "parent": planning.kasi_plan.objectives[0].id,
        },
    ).get_json()["id"]
    body = {"objective": objective, "text": QUALITATIVE_TEXT, "aspect": "quality"}
    measurable = client.post("/api/v1/indicator/", headers=headers, json=body)
    assert measurable.status_code == 422
    assert {"target", "unit"} <= set(measurable.get_json()["fields"])
    created = client.post(
        "/api/v1/indicator/", headers=headers, json={**body, "qualitative": True, "target": 5}
    )
    assert created.status_code == 201, created.get_json()
    shown = client.get(f"/api/v1/indicator/{created.get_json()['id']}", headers=headers)
    result = shown.get_json()["result"]
    assert (result["qualitative"], result["target"], result["unit"]) == (True, None, None)
    info = client.get("/api/v1/indicator/_info?q=(keys:!(add_columns))", headers=headers)
    described = {c["name"]: c for c in info.get_json()["add_columns"]}
    assert "qualitative" in described and described["qualitative"]["description"]
    spec = client.get("/api/v1/_openapi", headers=api_token(client, "integrator")).get_json()
    assert '"qualitative": true' in spec["paths"]["/api/v1/indicator/"]["post"]["description"]


def test_a_template_keeps_its_indicator_qualitative_in_the_plans_it_gives(
    client, org: Org, planning: Planning
) -> None:
    plan = draft_plan(org.employees.epid1, planning.period, ["Koordinasi lintas program"])
    plan.objectives[0].indicators.append(qualitative_indicator())
    db.session.commit()
    template = templates.save_template_from_plan(plan, "Epidemiolog", SYSTEM)
    kept = [i for o in template.objectives for i in o.indicators]
    assert [(i.qualitative, i.target) for i in kept][-1] == (True, None)
    login(client, "admin")
    shown = client.get(f"/template-objectives/show/{template.objectives[0].id}?_l_=en")
    assert "Qualitative" in shown.get_data(as_text=True)
    assert _no_none(shown.get_data(as_text=True))
    db.session.delete(plan)
    db.session.commit()
    result = templates.assign_template(
        db.session.get(PlanTemplate, template.id), planning.period, SYSTEM
    )
    assert result.created
    given = db.session.scalar(
        select(WorkPlan).where(WorkPlan.employee_id == org.employees.epid1.id)
    )
    assert [i.qualitative for o in given.objectives for i in o.indicators] == [False, True]


def test_a_qualitative_indicator_is_described_and_given_its_level(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    plan, described = _described_plan(reporting, planning)
    measured = plan.objectives[0].indicators[0]
    report = service.start_report(plan.id, reporting.q1.id, SYSTEM)
    headers = api_token(client, "employee")
    service.save_report(report, {measured.id: 3}, SYSTEM)  # 3 of 3 due: as expected
    refused = client.post(f"/api/v1/report/{report.id}/submit?_l_=en", headers=headers)
    assert refused.get_json()["fields"] == {
        "realizations": [f"Describe the realization of “{QUALITATIVE_TEXT}”."]
    }
    line = next(r for r in report.realizations if r.indicator_id == described.id)
    number = client.put(f"/api/v1/realization/{line.id}?_l_=en", headers=headers, json={"value": 2})
    assert number.status_code == 422 and "qualitative" in number.get_json()["fields"]["value"][0]
    noted = client.put(
        f"/api/v1/realization/{line.id}", headers=headers, json={"note": "Rapat tiap bulan."}
    )
    assert noted.status_code == 200
    assert client.post(f"/api/v1/report/{report.id}/submit", headers=headers).status_code == 200

    login(client, "kasi")
    page = client.get(f"/report/{report.id}/?_l_=en").get_data(as_text=True)
    assert "Rapat tiap bulan." in page and f'name="indicator_level_{described.id}"' in page
    # the measurable indicator as expected and the qualitative one below: no majority
    preview = client.post(
        f"/report/{report.id}/preview", data={f"indicator_level_{described.id}": "below"}
    ).get_json()
    assert preview["suggested_results"] == "as_expected"
    kasi = api_token(client, "kasi")
    approve = {"results": "as_expected", "behaviour": "as_expected", "values": VALUES}
    missing = client.post(
        f"/api/v1/report/{report.id}/approve?_l_=en",
        headers=kasi,
        json={**approve, "feedback": "Baik."},
    )
    assert missing.status_code == 422
    assert missing.get_json()["fields"] == {
        "indicator_levels": [f"Give “{QUALITATIVE_TEXT}” a level: it is qualitative."]
    }
    unknown = client.post(
        f"/api/v1/report/{report.id}/approve?_l_=en",
        headers=kasi,
        json={**approve, "feedback": "Baik.", "indicator_levels": {str(measured.id): "above"}},
    )
    assert unknown.status_code == 422 and "indicator_levels" in unknown.get_json()["fields"]
    wrong = client.post(
        f"/api/v1/report/{report.id}/approve",
        headers=kasi,
        json={**approve, "feedback": "Baik.", "indicator_levels": {str(described.id): "top"}},
    )
    assert wrong.status_code == 422
    assert list(wrong.get_json()["fields"]) == [f"indicator_levels.{described.id}.value"]
    approved = client.post(
        f"/api/v1/report/{report.id}/approve",
        headers=kasi,
        json={**approve, "feedback": "Baik.", "indicator_levels": {str(described.id): "below"}},
    )
    assert approved.status_code == 200, approved.get_json()
    assert _report(report.id).status == ReportStatus.APPROVED
    level = db.session.scalar(select(IndicatorLevel))
    assert (level.indicator_id, level.level.value) == (described.id, "below")
    evaluation = db.session.scalar(select(Evaluation).where(Evaluation.report_id == report.id))
    assert evaluation.suggested_results.value == "as_expected"


def test_the_suggestion_counts_the_given_levels(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    """The measurable indicator above (4 of 3 due) and the qualitative one given above:
    a majority above with no main indicator below suggests above; given below, a main
    indicator is below: above is blocked and the tie is as expected."""
    plan, described = _described_plan(reporting, planning)
    measured = plan.objectives[0].indicators[0]
    report = service.start_report(plan.id, reporting.q1.id, SYSTEM)
    service.save_report(report, {measured.id: 4}, SYSTEM, notes={described.id: "Rapat."})
    service.submit_report(report, SYSTEM)
    assert report.evaluation.suggested_results.value == "above"  # not yet given: not counted
    login(client, "kasi")
    levels = {
        level: client.post(
            f"/report/{report.id}/preview", data={f"indicator_level_{described.id}": level}
        ).get_json()["suggested_results"]
        for level in ("above", "as_expected", "below")
    }
    assert levels == {"above": "above", "as_expected": "as_expected", "below": "as_expected"}
    saved = client.post(
        f"/report/{report.id}/evaluate",
        data={f"indicator_level_{described.id}": "above", "decision": "save"},
    )
    assert saved.status_code == 302
    assert _report(report.id).evaluation.suggested_results.value == "above"
    page = client.get(f"/report/{report.id}/").get_data(as_text=True)
    checked = re.search(rf'name="indicator_level_{described.id}" value="above"[^>]*>', page)
    assert checked is not None and "checked" in checked.group(0)
