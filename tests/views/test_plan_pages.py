"""The planning screens: a plan from start to approval, the queue, expectations, print,
templates given to many holders, and starting from last year's plan."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from kinerja.domain.planning import PlanStatus
from kinerja.extensions import db
from kinerja.models.planning import (
    BehaviourValue,
    Indicator,
    Objective,
    Period,
    PlanTemplate,
    WorkPlan,
)
from kinerja.security.policies import SYSTEM
from kinerja.services.plans.periods import save_period
from tests.factories import Org, Planning, approved_plan, login


def _plan_of(employee_id: int) -> WorkPlan | None:
    db.session.expire_all()
    return db.session.scalar(select(WorkPlan).where(WorkPlan.employee_id == employee_id))


def _start(client, planning: Planning, employee_id: int, **form) -> int:
    response = client.post(
        "/plans/new",
        data={"period": planning.period.id, "employee": employee_id, "source": "blank", **form},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(re.search(r"/plans/(\d+)/", response.headers["Location"]).group(1))


def test_a_plan_from_start_to_approval_in_the_screens(client, org: Org, planning: Planning) -> None:
    login(client, "employee")
    plan_id = _start(client, planning, org.employees.epid1.id)
    page = client.get(f"/plans/{plan_id}/?_l_=en").get_data(as_text=True)
    assert "Draft" in page and "Add at least one main objective." in page
    added = client.post(
        f"/objectives/add?_flt_0_work_plan={plan_id}",
        data={
            "kind": "main",
            "text": "Tersusunnya analisis surveilans",
            "parent": planning.kasi_plan.objectives[0].id,
            "order": "0",
        },
    )
    assert added.status_code == 302 and added.headers["Location"].endswith(f"/plans/{plan_id}/")
    objective = db.session.scalar(select(Objective).where(Objective.work_plan_id == plan_id))
    bad = client.post(
        f"/indicators/add?_flt_0_objective={objective.id}&_l_=en",
        data={
            "text": "Dokumen analisis",
            "aspect": "quantity",
            "target": "0",
            "unit": "dokumen",
            "direction": "",
            "accumulation": "sum",
            "order": "0",
        },
    )
    assert bad.status_code == 200
    assert "The target must be greater than 0." in bad.get_data(as_text=True)
    good = client.post(
        f"/indicators/add?_flt_0_objective={objective.id}",
        data={
            "text": "Dokumen analisis",
            "aspect": "quantity",
            "target": "52",
            "unit": "dokumen",
            "direction": "",
            "accumulation": "sum",
            "order": "0",
        },
    )
    assert good.status_code == 302
    assert client.post(f"/plans/{plan_id}/submit").status_code == 302
    assert _plan_of(org.employees.epid1.id).status == PlanStatus.SUBMITTED

    login(client, "kasi")
    queue = client.get("/plans/queue/").get_data(as_text=True)
    assert "Epidemiolog Satu" in queue
    assert client.post(f"/plans/{plan_id}/return", data={"reason": ""}).status_code == 302
    assert _plan_of(org.employees.epid1.id).status == PlanStatus.SUBMITTED
    assert client.post(f"/plans/{plan_id}/approve").status_code == 302
    plan = _plan_of(org.employees.epid1.id)
    assert plan.status == PlanStatus.APPROVED and len(plan.versions) == 1
    assert "Epidemiolog Satu" not in client.get("/plans/queue/").get_data(as_text=True)
    history = client.get(f"/plans/{plan_id}/").get_data(as_text=True)
    assert "<td>Kasi Uji</td>" in history and "<td>kasi</td>" not in history  # names, not logins

    login(client, "employee")
    printed = client.get(f"/plans/{plan_id}/print").get_data(as_text=True)
    assert "SASARAN KINERJA PEGAWAI" in printed
    assert "Tersusunnya analisis surveilans" in printed
    assert "Surveilans tepat waktu" in printed  # the supervisor's objective it cascades from
    assert "Kasi Surveilans Uji" in printed  # the evaluator
    kept = client.get(f"/plans/{plan_id}/versions/1").get_data(as_text=True)
    assert "Dokumen analisis" in kept


def test_only_the_direct_supervisor_sets_expectations(client, org: Org, planning: Planning) -> None:
    value = db.session.scalar(select(BehaviourValue).where(BehaviourValue.code == "service"))
    plan = approved_plan(
        org.employees.epid1,
        planning.period,
        ["Analisis"],
        parents=[planning.kasi_plan.objectives[0]],
    )
    db.session.commit()
    login(client, "employee")
    assert client.get(f"/plans/{plan.id}/expectations").status_code == 403
    login(client, "supervisor")  # the Kabid: the epidemiologist's indirect supervisor
    assert (
        client.post(f"/plans/{plan.id}/expectations", data={f"value_{value.id}": "X"}).status_code
        == 403
    )
    login(client, "kasi")
    client.post(
        f"/plans/{plan.id}/expectations", data={f"value_{value.id}": "Ramah kepada puskesmas"}
    )
    login(client, "employee")
    page = client.get(f"/plans/{plan.id}/").get_data(as_text=True)
    assert "Ramah kepada puskesmas" in page


def test_plan_pages_answer_404_outside_ones_reach(client, org: Org, planning: Planning) -> None:
    login(client, "other")
    for url in (
        f"/plans/{planning.kasi_plan.id}/",
        f"/plans/{planning.kasi_plan.id}/print",
        f"/plans/{planning.kasi_plan.id}/versions/1",
    ):
        assert client.get(url).status_code == 404, url
    login(client, "employee")
    assert client.get(f"/plans/{planning.kasi_plan.id}/").status_code == 404
    login(client, "supervisor")
    assert client.get(f"/plans/{planning.kasi_plan.id}/").status_code == 200
    assert client.post(f"/plans/{planning.kasi_plan.id}/submit").status_code == 403


def test_template_given_to_every_holder_of_the_position(
    client, org: Org, planning: Planning
) -> None:
    mine = approved_plan(
        org.employees.epid1,
        planning.period,
        ["Analisis", "Validasi"],
        parents=[planning.kasi_plan.objectives[0]] * 2,
    )
    db.session.commit()
    login(client, "operator")
    saved = client.post(f"/plans/{mine.id}/save-template", data={"name": "SKP Epidemiolog"})
    assert saved.status_code == 302
    template = db.session.scalar(select(PlanTemplate))
    assert template.position_id == org.positions.epid.id
    assert [o.text for o in template.objectives] == ["Analisis", "Validasi"]
    client.post(f"/plan-templates/action/assign/{template.id}")
    second = _plan_of(org.employees.epid2.id)
    assert second is not None and [o.text for o in second.objectives] == ["Analisis", "Validasi"]
    assert second.objectives[0].parent_id is None  # each holder chooses the cascade
    assert len(_plan_of(org.employees.epid1.id).objectives) == 2  # left alone


def test_start_from_last_years_plan(client, org: Org, planning: Planning) -> None:
    previous = Period(year=2025, cadence="quarterly")
    save_period(previous, SYSTEM)
    approved_plan(org.employees.epid1, previous, ["Analisis tahun lalu"])
    db.session.commit()
    login(client, "employee")
    plan_id = _start(client, planning, org.employees.epid1.id, source="previous")
    plan = db.session.get(WorkPlan, plan_id)
    assert [o.text for o in plan.objectives] == ["Analisis tahun lalu"]
    assert plan.objectives[0].indicators[0].target == Decimal("12.00")
    assert plan.status == PlanStatus.DRAFT and plan.period.year == date(2026, 1, 1).year


def test_a_second_plan_is_a_form_error(client, org: Org, planning: Planning) -> None:
    login(client, "employee")
    _start(client, planning, org.employees.epid1.id)
    again = client.post(
        "/plans/new?_l_=en",
        data={"period": planning.period.id, "employee": org.employees.epid1.id, "source": "blank"},
    )
    assert again.status_code == 200
    assert "already has a work plan" in again.get_data(as_text=True)


def test_indicator_direction_follows_the_aspect_unless_chosen(
    client, org: Org, planning: Planning
) -> None:
    login(client, "employee")
    plan_id = _start(client, planning, org.employees.epid1.id)
    client.post(
        f"/objectives/add?_flt_0_work_plan={plan_id}",
        data={
            "kind": "main",
            "text": "Layanan cepat",
            "order": "0",
            "parent": planning.kasi_plan.objectives[0].id,
        },
    )
    objective = db.session.scalar(select(Objective).where(Objective.work_plan_id == plan_id))
    client.post(
        f"/indicators/add?_flt_0_objective={objective.id}",
        data={
            "text": "Waktu layanan",
            "aspect": "time",
            "target": "3",
            "unit": "hari",
            "direction": "",
            "accumulation": "average",
            "order": "0",
        },
    )
    indicator = db.session.scalar(select(Indicator).where(Indicator.objective_id == objective.id))
    assert indicator.direction.value == "less"


def test_home_page_shows_ones_plan_and_the_approval_queue(
    client, org: Org, planning: Planning
) -> None:
    login(client, "employee")
    assert "/plans/new" in client.get("/").get_data(as_text=True)
    plan_id = _start(client, planning, org.employees.epid1.id)
    home = client.get("/").get_data(as_text=True)
    assert f"/plans/{plan_id}/" in home
    plan = db.session.get(WorkPlan, plan_id)
    plan.status = PlanStatus.SUBMITTED
    db.session.commit()
    login(client, "kasi")
    assert 'id="home-queue"' in client.get("/").get_data(as_text=True)
    login(client, "supervisor")  # the Kabid has nothing waiting from the Kasi
    assert 'id="home-queue"' not in client.get("/").get_data(as_text=True)


def test_admin_opens_and_advances_a_period_in_the_screens(client, org: Org) -> None:
    login(client, "admin")
    created = client.post(
        "/periods/add",
        data={"year": "2027", "name": "", "cadence": "monthly", "planning_deadline": ""},
    )
    assert created.status_code == 302
    period = db.session.scalar(select(Period).where(Period.year == 2027))
    assert len(period.sub_periods) == 12 + 1  # the months and the annual evaluation
    assert period.planning_deadline == date(2027, 1, 31)
    again = client.post("/periods/add?_l_=en", data={"year": "2027", "cadence": "quarterly"})
    assert "A period for 2027 exists already." in again.get_data(as_text=True)
    january = period.sub_periods[0]
    bad = client.post(
        f"/sub-periods/edit/{january.id}?_l_=en",
        data={
            "name": "Januari",
            "report_deadline": "2026-12-01",
            "evaluation_deadline": "2027-02-20",
        },
    )
    assert "Reports are due after the sub-period ends." in bad.get_data(as_text=True)
    for _ in range(3):
        client.post(f"/periods/action/advance/{period.id}")
    db.session.expire_all()
    assert db.session.get(Period, period.id).status.value == "closed"
    closed = client.post(
        f"/periods/edit/{period.id}?_l_=en",
        data={"name": "Ganti", "planning_deadline": "2027-01-31"},
        follow_redirects=True,
    )
    assert "is closed" in closed.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Period, period.id).name == "Periode Kinerja 2027"
    login(client, "employee")
    assert client.get("/periods/add").status_code == 403
    assert client.get("/periods/list/").status_code == 200


def test_plan_list_and_export_hold_only_ones_plans(client, org: Org, planning: Planning) -> None:
    login(client, "employee")
    _start(client, planning, org.employees.epid1.id)
    exported = client.get("/work-plans/export/").get_data(as_text=True)
    assert "Epidemiolog Satu" in exported and "Kasi Surveilans Uji" not in exported
    login(client, "kasi")
    exported = client.get("/work-plans/export/").get_data(as_text=True)
    assert "Epidemiolog Satu" in exported and "Kabid P2P Uji" not in exported
