"""Lists offer edit and delete only on rows the person may change (the model's policy)."""

from __future__ import annotations

from typing import Any

from kinerja.models.reports import Activity
from kinerja.security.policies import SYSTEM
from kinerja.services.reports.activities import save_activity, today
from tests.factories import Org, login


def test_the_operator_may_not_edit_their_own_top_unit(client, org: Org) -> None:
    login(client, "operator")
    page = client.get("/units/list/?psize_UnitView=100").get_data(as_text=True)
    assert f"/units/show/{org.units.dinkes.id}" in page
    assert f"/units/edit/{org.units.dinkes.id}" not in page
    assert f"/units/delete/{org.units.dinkes.id}" not in page
    assert f"/units/edit/{org.units.p2p.id}" in page


def test_a_supervisor_edits_their_own_activities_not_the_team_s(client, org: Org) -> None:
    own = _activity(org.employees.kabid_p2p)
    team = _activity(org.employees.epid1)
    login(client, "supervisor")
    page = client.get("/activities/list/").get_data(as_text=True)
    assert f"/activities/show/{team}" in page and f"/activities/show/{own}" in page
    assert f"/activities/edit/{own}" in page
    assert f"/activities/edit/{team}" not in page and f"/activities/delete/{team}" not in page


def _activity(employee: Any) -> int:
    activity = Activity(
        employee=employee, day=today(), description="Rapat koordinasi", duration_minutes=30
    )
    save_activity(activity, SYSTEM)
    return activity.id
