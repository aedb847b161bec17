"""Planning over REST: periods, plans and their workflow, cascading objectives, indicators."""

from __future__ import annotations

from sqlalchemy import func, select

from kinerja.extensions import db
from kinerja.models.planning import Indicator, Objective, Period, WorkPlan, WorkPlanEvent
from tests.factories import Org, Planning, api_token


def _count(model: type) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _new_plan(client, headers, employee_id: int, period_id: int) -> int:
    response = client.post(
        "/api/v1/work_plan/", headers=headers, json={"employee": employee_id, "period": period_id}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _objective(client, headers, plan_id: int, parent: int | None, text: str = "Analisis") -> int:
    response = client.post(
        "/api/v1/objective/",
        headers=headers,
        json={"work_plan": plan_id, "text": text, "parent": parent},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _indicator(client, headers, objective_id: int, **values) -> object:
    body = {
        "objective": objective_id,
        "text": "Dokumen analisis",
        "aspect": "quantity",
        "target": 52,
        "unit": "dokumen",
        **values,
    }
    return client.post("/api/v1/indicator/", headers=headers, json=body)


def _complete_plan(client, headers, org: Org, planning: Planning) -> int:
    plan_id = _new_plan(client, headers, org.employees.epid1.id, planning.period.id)
    objective = _objective(client, headers, plan_id, planning.kasi_plan.objectives[0].id)
    assert _indicator(client, headers, objective).status_code == 201
    return plan_id


def test_admin_opens_a_monthly_period_and_moves_it_to_closed(client, org: Org) -> None:
    headers = api_token(client, "admin")
    created = client.post(
        "/api/v1/period/", headers=headers, json={"year": 2027, "cadence": "monthly"}
    )
    assert created.status_code == 201, created.get_json()
    period = db.session.get(Period, created.get_json()["id"])
    assert period.name == "Periode Kinerja 2027"
    # twelve months, then the annual evaluation after them
    assert [s.annual for s in period.sub_periods] == [False] * 12 + [True]
    assert period.sub_periods[-1].name == "Akhir" and period.sub_periods[-1].number == 13
    duplicate = client.post("/api/v1/period/", headers=headers, json={"year": 2027})
    assert duplicate.status_code == 422 and "year" in duplicate.get_json()["fields"]
    statuses = [
        client.post(f"/api/v1/period/{period.id}/advance", headers=headers) for _ in range(4)
    ]
    assert [r.status_code for r in statuses] == [200, 200, 200, 409]
    assert statuses[2].get_json()["result"]["status"] == "closed"
    employee = api_token(client, "employee")
    assert client.post("/api/v1/period/", headers=employee, json={"year": 2030}).status_code == 403
    assert client.get("/api/v1/period/", headers=employee).status_code == 200


def test_a_second_plan_for_the_same_period_is_refused(client, org: Org, planning: Planning) -> None:
    headers = api_token(client, "employee")
    _new_plan(client, headers, org.employees.epid1.id, planning.period.id)
    again = client.post(
        "/api/v1/work_plan/",
        headers=headers,
        json={"employee": org.employees.epid1.id, "period": planning.period.id},
    )
    assert again.status_code == 422
    assert list(again.get_json()["fields"]) == ["period"]
    assert _count(WorkPlan) == 3


def test_an_employee_cannot_start_someone_elses_plan(client, org: Org, planning: Planning) -> None:
    headers = api_token(client, "employee")
    response = client.post(
        "/api/v1/work_plan/",
        headers=headers,
        json={"employee": org.employees.epid2.id, "period": planning.period.id},
    )
    assert response.status_code == 422
    assert list(response.get_json()["fields"]) == ["employee"]


def test_objectives_cascade_only_from_the_direct_supervisors_objectives(
    client, org: Org, planning: Planning
) -> None:
    headers = api_token(client, "employee")
    plan_id = _new_plan(client, headers, org.employees.epid1.id, planning.period.id)
    # The Kabid's objective belongs to the supervisor's supervisor: not allowed.
    wrong = client.post(
        "/api/v1/objective/",
        headers=headers,
        json={
            "work_plan": plan_id,
            "text": "Analisis",
            "parent": planning.kabid_plan.objectives[0].id,
        },
    )
    assert wrong.status_code == 422
    assert list(wrong.get_json()["fields"]) == ["parent"]
    assert _count(Objective) == 3
    _objective(client, headers, plan_id, planning.kasi_plan.objectives[1].id)


def test_cascade_choices_list_only_the_supervisors_objectives(
    client, org: Org, planning: Planning
) -> None:
    from tests.factories import login

    headers = api_token(client, "employee")
    plan_id = _new_plan(client, headers, org.employees.epid1.id, planning.period.id)
    login(client, "employee")
    offered = client.get(f"/objectives/choices/parent/?master={plan_id}").get_json()["results"]
    assert {o["id"] for o in offered} == {o.id for o in planning.kasi_plan.objectives}
    # Asking for the choices of the supervisor's own plan reveals nothing beyond one's reach.
    someone_else = client.get(f"/objectives/choices/parent/?master={planning.kasi_plan.id}")
    assert someone_else.get_json()["results"] == []
    info = client.get("/api/v1/objective/_info?q=(keys:!(add_columns))", headers=headers)
    parent_field = next(f for f in info.get_json()["add_columns"] if f["name"] == "parent")
    assert {v["id"] for v in parent_field["values"]} == {
        o.id for o in planning.kasi_plan.objectives
    }


def test_indicator_bad_input_and_default_direction(client, org: Org, planning: Planning) -> None:
    headers = api_token(client, "employee")
    plan_id = _new_plan(client, headers, org.employees.epid1.id, planning.period.id)
    objective = _objective(client, headers, plan_id, planning.kasi_plan.objectives[0].id)
    for target in (0, -5):
        response = _indicator(client, headers, objective, target=target)
        assert response.status_code == 422 and list(response.get_json()["fields"]) == ["target"]
    assert _indicator(client, headers, objective, target="banyak").status_code == 422
    timed = _indicator(client, headers, objective, aspect="time", target=2, unit="hari")
    assert timed.status_code == 201, timed.get_json()
    assert db.session.get(Indicator, timed.get_json()["id"]).direction.value == "less"


def test_accumulation_follows_the_aspect_unless_given(client, org: Org, planning: Planning) -> None:
    """A time indicator's quarters are averaged and a quality's last value counts: summing
    them would read 4 and 4 days against 5 as 0 %, and 90 % four times as 400 %."""
    headers = api_token(client, "employee")
    plan_id = _new_plan(client, headers, org.employees.epid1.id, planning.period.id)
    objective = _objective(client, headers, plan_id, planning.kasi_plan.objectives[0].id)
    expected = {"quantity": "sum", "quality": "last", "time": "average", "cost": "sum"}
    for aspect, mode in expected.items():
        created = _indicator(client, headers, objective, aspect=aspect, target=5, unit="x")
        assert created.status_code == 201, created.get_json()
        assert created.get_json()["result"]["accumulation"] == mode, aspect
    chosen = _indicator(client, headers, objective, aspect="time", accumulation="last")
    assert chosen.get_json()["result"]["accumulation"] == "last"


def test_workflow_submit_approve_revise_with_versions(client, org: Org, planning: Planning) -> None:
    employee, kasi, kabid = (api_token(client, u) for u in ("employee", "kasi", "supervisor"))
    plan_id = _new_plan(client, employee, org.employees.epid1.id, planning.period.id)
    incomplete = client.post(f"/api/v1/work_plan/{plan_id}/submit", headers=employee)
    assert incomplete.status_code == 422 and "objectives" in incomplete.get_json()["fields"]
    objective = _objective(client, employee, plan_id, planning.kasi_plan.objectives[0].id)
    indicator = _indicator(client, employee, objective).get_json()["id"]
    assert client.post(f"/api/v1/work_plan/{plan_id}/approve", headers=kasi).status_code == 409
    submitted = client.post(f"/api/v1/work_plan/{plan_id}/submit", headers=employee)
    assert submitted.get_json()["result"]["status"] == "submitted"
    assert client.post(f"/api/v1/work_plan/{plan_id}/submit", headers=employee).status_code == 409
    # Only the direct supervisor decides: the Kabid (indirect) may read but not approve.
    assert client.get(f"/api/v1/work_plan/{plan_id}", headers=kabid).status_code == 200
    assert client.post(f"/api/v1/work_plan/{plan_id}/approve", headers=kabid).status_code == 403
    assert client.post(f"/api/v1/work_plan/{plan_id}/approve", headers=employee).status_code == 403
    approved = client.post(f"/api/v1/work_plan/{plan_id}/approve", headers=kasi)
    assert approved.get_json()["result"] == {"id": plan_id, "status": "approved", "version": 1}
    locked = client.put(f"/api/v1/indicator/{indicator}", headers=employee, json={"target": 10})
    assert locked.status_code == 409
    assert _indicator(client, employee, objective).status_code == 409
    revised = client.post(
        f"/api/v1/work_plan/{plan_id}/revise",
        headers=employee,
        json={"reason": "Target disesuaikan"},
    )
    assert revised.get_json()["result"] == {"id": plan_id, "status": "draft", "version": 2}
    assert (
        client.put(
            f"/api/v1/indicator/{indicator}", headers=employee, json={"target": 48}
        ).status_code
        == 200
    )
    client.post(f"/api/v1/work_plan/{plan_id}/submit", headers=employee)
    client.post(f"/api/v1/work_plan/{plan_id}/approve", headers=kasi)
    plan = db.session.get(WorkPlan, plan_id)
    db.session.refresh(plan)
    assert [v.version for v in plan.versions] == [2, 1]
    targets = [v.snapshot["objectives"][0]["indicators"][0]["target"] for v in plan.versions]
    assert targets == ["48.00", "52.00"]
    actions = [e.action for e in reversed(plan.events)]
    assert actions == ["created", "submitted", "approved", "revision", "submitted", "approved"]


def test_return_needs_a_reason_and_the_plan_comes_back(
    client, org: Org, planning: Planning
) -> None:
    employee, kasi = api_token(client, "employee"), api_token(client, "kasi")
    plan_id = _complete_plan(client, employee, org, planning)
    client.post(f"/api/v1/work_plan/{plan_id}/submit", headers=employee)
    no_reason = client.post(f"/api/v1/work_plan/{plan_id}/return", headers=kasi, json={})
    assert no_reason.status_code == 422 and "reason" in no_reason.get_json()["fields"]
    returned = client.post(
        f"/api/v1/work_plan/{plan_id}/return",
        headers=kasi,
        json={"reason": "Target terlalu rendah"},
    )
    assert returned.get_json()["result"]["status"] == "returned"
    plan = db.session.get(WorkPlan, plan_id)
    assert plan.return_reason == "Target terlalu rendah"
    again = client.post(f"/api/v1/work_plan/{plan_id}/submit", headers=employee)
    assert again.get_json()["result"]["status"] == "submitted"


def test_closed_period_is_read_only(client, org: Org, planning: Planning) -> None:
    employee = api_token(client, "employee")
    plan_id = _new_plan(client, employee, org.employees.epid1.id, planning.period.id)
    objective = _objective(client, employee, plan_id, planning.kasi_plan.objectives[0].id)
    planning.period.status = "closed"
    db.session.commit()
    assert _indicator(client, employee, objective).status_code == 409
    assert client.delete(f"/api/v1/objective/{objective}", headers=employee).status_code == 409
    assert client.post(f"/api/v1/work_plan/{plan_id}/submit", headers=employee).status_code == 409
    late = client.post(
        "/api/v1/work_plan/",
        headers=employee,
        json={"employee": org.employees.epid1.id, "period": planning.period.id},
    )
    assert late.status_code == 422


def test_a_supervisors_objective_with_cascaded_children_cannot_go(
    client, org: Org, planning: Planning
) -> None:
    employee = api_token(client, "employee")
    plan_id = _new_plan(client, employee, org.employees.epid1.id, planning.period.id)
    _objective(client, employee, plan_id, planning.kasi_plan.objectives[0].id)
    kasi = api_token(client, "kasi")
    client.post(f"/api/v1/work_plan/{planning.kasi_plan.id}/revise", headers=kasi)
    response = client.delete(
        f"/api/v1/objective/{planning.kasi_plan.objectives[0].id}", headers=kasi
    )
    assert response.status_code == 409


def test_each_role_reads_exactly_its_plans(client, org: Org, planning: Planning) -> None:
    employee = api_token(client, "employee")
    own = _new_plan(client, employee, org.employees.epid1.id, planning.period.id)
    expected = {
        "admin": {own, planning.kasi_plan.id, planning.kabid_plan.id},
        "integrator": {own, planning.kasi_plan.id, planning.kabid_plan.id},
        "operator": {own, planning.kasi_plan.id, planning.kabid_plan.id},
        "supervisor": {own, planning.kasi_plan.id, planning.kabid_plan.id},  # self + below
        "kasi": {own, planning.kasi_plan.id},
        "employee": {own},
        "other": set(),
    }
    for role, plans in expected.items():
        headers = api_token(client, role)
        listed = client.get("/api/v1/work_plan/?q=(page_size:100)", headers=headers).get_json()
        assert {row["id"] for row in listed["result"]} == plans, role
        objectives = client.get("/api/v1/objective/?q=(page_size:100)", headers=headers)
        plan_of = {row["work_plan_id"] for row in objectives.get_json()["result"]}
        assert plan_of <= plans, role
    other = api_token(client, "other")
    assert client.get(f"/api/v1/work_plan/{own}", headers=other).status_code == 404
    assert client.post(f"/api/v1/work_plan/{own}/submit", headers=other).status_code == 404
    assert (
        client.get(
            f"/api/v1/objective/{planning.kasi_plan.objectives[0].id}", headers=other
        ).status_code
        == 404
    )


def test_operator_works_on_an_employees_behalf_and_it_is_recorded(
    client, org: Org, planning: Planning
) -> None:
    operator = api_token(client, "operator")
    plan_id = _new_plan(client, operator, org.employees.epid2.id, planning.period.id)
    _objective(client, operator, plan_id, planning.kasi_plan.objectives[0].id)
    events = db.session.scalars(
        select(WorkPlanEvent)
        .where(WorkPlanEvent.work_plan_id == plan_id)
        .order_by(WorkPlanEvent.id)
    ).all()
    assert [(e.action, e.on_behalf) for e in events] == [("created", True), ("edited", True)]
    assert events[0].actor_id == org.users.operator.id
    dishub = client.post(
        "/api/v1/work_plan/",
        headers=operator,
        json={"employee": org.employees.penguji.id, "period": planning.period.id},
    )
    assert dishub.status_code == 422


def test_a_year_out_of_range_is_a_field_error(client, org: Org) -> None:
    headers = api_token(client, "admin")
    for year in (-423230735, 1999, 2101):
        response = client.post(
            "/api/v1/period/",
            headers=headers,
            json={"year": year, "planning_deadline": "2026-01-31"},
        )
        assert response.status_code == 422 and "year" in response.get_json()["fields"], year
