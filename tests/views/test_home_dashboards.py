"""Each role's home page: its figures, its filters, and nothing beyond its reach."""

from __future__ import annotations

import re

from kinerja.extensions import db
from tests.factories import build_records, login, make_check, make_rating


def _home(client, username: str, query: str = "") -> str:
    login(client, username)
    response = client.get("/" + query)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _unit_rows(html: str) -> set[str]:
    table = html.split('id="home-unit-progress"', 1)
    if len(table) == 1:
        return set()
    return set(re.findall(r'data-unit="(\d+)"', table[1].split("</table>", 1)[0]))


def test_admin_home_shows_every_unit_and_the_charts_table(client, org, planning, reporting):
    build_records(org, planning, reporting)
    make_check(org.units.dishub, planning.period, {"sangat_baik": 9, "baik": 1}, "baik")
    db.session.commit()
    html = _home(client, "admin")
    assert str(org.units.dishub.id) in _unit_rows(html)
    assert 'id="home-chart-predikat-table"' in html
    assert 'id="home-broken-curve"' in html and "Dinas Perhubungan" in html
    assert 'id="home-failed-runs"' in html


def test_operator_never_sees_another_units_figures(client, org, planning, reporting):
    build_records(org, planning, reporting)
    make_check(org.units.dishub, planning.period, {"sangat_baik": 9, "baik": 1}, "baik")
    db.session.commit()
    html = _home(client, "operator")
    rows = _unit_rows(html)
    assert rows and str(org.units.dishub.id) not in rows
    assert "Dinas Perhubungan" not in html
    assert 'id="home-runs"' not in html
    # asking for the other unit is refused in the form, not answered
    html = _home(client, "operator", f"?unit={org.units.dishub.id}")
    assert 'id="home-filter-error-unit"' in html
    assert str(org.units.dishub.id) not in _unit_rows(html)


def test_bad_filter_values_give_a_form_message_not_a_500(client, org, planning):
    for query in ("?period=x", "?period=999999", "?sub_period=-1", "?unit=1e9", "?unit=%00"):
        html = _home(client, "admin", query)
        assert "kinerja-filter-error" in html, query


def test_supervisor_home_shows_the_queue_and_differences(client, org, planning, reporting):
    records = build_records(org, planning, reporting)
    make_rating(records.plans.epid1, "sangat_baik")
    db.session.commit()
    html = _home(client, "kasi")
    assert 'id="home-queue-table"' in html and "Epidemiolog Satu" in html
    assert 'id="home-team-progress"' in html
    assert 'id="home-chart-team-table"' in html
    assert "Penguji Uji" not in html
    assert 'id="home-units"' not in html


def test_employee_home_shows_only_their_own_plan(client, org, planning, reporting):
    build_records(org, planning, reporting)
    html = _home(client, "employee")
    assert 'id="home-indicators"' in html
    assert 'id="home-chart-jp-table"' in html
    for indicator in reporting.plan.objectives[0].indicators:
        assert f'data-indicator="{indicator.id}"' in html
    for indicator in reporting.plan2.objectives[0].indicators:
        assert f'data-indicator="{indicator.id}"' not in html
    assert 'id="home-units"' not in html and 'id="home-team"' not in html


def test_empty_states_without_data(client, org, planning):
    html = _home(client, "other")
    assert 'id="home-indicators-empty"' in html
    assert 'id="home-my-years-empty"' in html
    assert 'id="home-surveys-empty"' in html
    html = _home(client, "admin")
    assert 'id="home-predikat-empty"' in html and 'id="home-ikm-empty"' in html
