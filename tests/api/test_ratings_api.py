"""Asking for the ratings of a period: the API call, the *Hitung predikat* action on the
period and ``flask kinerja ratings compute`` — the Admin for every unit, an Operator for
their units only, nobody else; a closed period refused."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from kinerja.cli import kinerja_cli
from kinerja.domain.planning import Aspect, PeriodStatus
from kinerja.domain.ratings import Level
from kinerja.extensions import db
from kinerja.models.jobs import JobName, JobRun, JobStatus
from kinerja.models.ratings import Rating
from tests.factories import Org, api_token, login
from tests.ratings_factories import Spec, evaluate, open_period, plan, regular, report

URL = "/api/v1/period/{}/ratings"


@pytest.fixture
def period(org: Org) -> Any:
    """A period in evaluation with a year for an epidemiologist (Dinkes) and the vehicle
    tester (Dishub)."""
    found = open_period()
    for employee in (org.employees.epid1, org.employees.penguji):
        work_plan = plan(employee, found, [Spec(Aspect.QUANTITY, 12)])
        rows = [report(work_plan, q, [3]) for q in regular(found)]
        evaluate(rows[-1], Level.AS_EXPECTED, Level.AS_EXPECTED)
    return found


def _runs() -> list[JobRun]:
    """The ratings runs (a run may schedule the sending of its emails besides)."""
    db.session.expire_all()
    query = select(JobRun).where(JobRun.name == JobName.COMPUTE_PERIOD_RATINGS.value)
    return list(db.session.scalars(query.order_by(JobRun.id)))


def _rated() -> set[int]:
    db.session.expire_all()
    return set(db.session.scalars(select(Rating.employee_id)))


def test_the_admin_asks_for_every_unit_and_gets_the_run(
    client, org: Org, period: Any, run_jobs
) -> None:
    headers = api_token(client, "admin")
    answer = client.post(URL.format(period.id), headers=headers)
    assert answer.status_code == 202, answer.get_json()
    (run,) = _runs()
    assert answer.get_json() == {"id": run.id, "result": {"period": period.id, "unit": None}}
    assert (run.name, run.status, run.requested_by_id) == (
        "compute_period_ratings",
        JobStatus.QUEUED,
        org.users.admin.id,
    )
    again = client.post(URL.format(period.id), headers=headers, json={})
    assert again.get_json()["id"] == run.id  # still waiting in line: the same run
    run_jobs()
    assert _runs()[0].status == JobStatus.SUCCEEDED
    assert _rated() == {org.employees.epid1.id, org.employees.penguji.id}


def test_an_operator_asks_for_their_units_only(client, org: Org, period: Any, run_jobs) -> None:
    headers = api_token(client, "operator")  # Operator of Dinas Kesehatan
    outside = client.post(
        URL.format(period.id), headers=headers, json={"unit": org.units.dishub.id}
    )
    assert outside.status_code == 422
    assert set(outside.get_json()["fields"]) == {"unit"}
    answer = client.post(URL.format(period.id), headers=headers)
    assert answer.status_code == 202
    assert answer.get_json()["result"] == {"period": period.id, "unit": org.units.dinkes.id}
    below = client.post(URL.format(period.id), headers=headers, json={"unit": org.units.surv.id})
    assert below.get_json()["result"]["unit"] == org.units.surv.id
    run_jobs()
    assert [r.status for r in _runs()] == [JobStatus.SUCCEEDED, JobStatus.SUCCEEDED]
    assert _rated() == {org.employees.epid1.id}  # Dishub's tester is not the Operator's


@pytest.mark.parametrize("username", ["supervisor", "employee", "integrator"])
def test_other_roles_may_not_ask(client, org: Org, period: Any, username: str) -> None:
    answer = client.post(URL.format(period.id), headers=api_token(client, username))
    assert answer.status_code == 403
    assert _runs() == []


def test_bad_requests_are_named(client, org: Org, period: Any) -> None:
    headers = api_token(client, "admin")
    assert client.post(URL.format(period.id)).status_code == 401
    assert client.post(URL.format(period.id + 100), headers=headers).status_code == 404
    unknown = client.post(URL.format(period.id), headers=headers, json={"units": 3})
    assert (unknown.status_code, set(unknown.get_json()["fields"])) == (422, {"units"})
    wrong = client.post(URL.format(period.id), headers=headers, json={"unit": "DINKES"})
    assert (wrong.status_code, set(wrong.get_json()["fields"])) == (422, {"unit"})
    period.status = PeriodStatus.CLOSED
    db.session.commit()
    assert client.post(URL.format(period.id), headers=headers).status_code == 409
    assert _runs() == []


def test_the_period_action_asks_and_shows_the_run(client, org: Org, period: Any) -> None:
    login(client, "operator")
    answer = client.post(f"/periods/action/compute_ratings/{period.id}")
    (run,) = _runs()
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/jobs/show/{run.id}")
    assert run.args == [period.id, org.units.dinkes.id]
    assert client.get(f"/jobs/show/{run.id}").status_code == 200
    login(client, "supervisor")
    client.post(f"/periods/action/compute_ratings/{period.id}")
    assert len(_runs()) == 1  # refused
    login(client, "admin")
    shown = client.get(f"/periods/show/{period.id}?_l_=en").get_data(as_text=True)
    assert "Compute ratings" in shown


def test_the_cli_computes_at_once_without_redis(
    app: Flask, org: Org, period: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = app.test_cli_runner()
    queued = runner.invoke(kinerja_cli, ["ratings", "compute", "--period", str(period.id)])
    assert queued.exit_code == 0, queued.output
    assert "queued" in queued.output
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    unit = str(org.units.dishub.id)
    inline = runner.invoke(
        kinerja_cli, ["ratings", "compute", "--period", str(period.id), "--unit", unit]
    )
    assert inline.exit_code == 0, inline.output
    assert "succeeded: 1 employees rated: 0 final, 1 provisional, 1 changed" in inline.output
    assert _rated() == {org.employees.penguji.id}
    refused = runner.invoke(kinerja_cli, ["ratings", "compute", "--period", "999999"])
    assert refused.exit_code != 0 and "Not found" in refused.output
