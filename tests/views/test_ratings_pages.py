"""A rating's page with its explanation, a unit's distribution against its curve with the
warnings and the assumed Baik, and the calibration list — in Indonesian and English, each
to those who may read it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from kinerja.domain.ratings import Level
from kinerja.domain.reporting import ReportStatus
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.planning import Period
from kinerja.models.reports import Evaluation, Report
from kinerja.security import roles
from kinerja.security.policies import SYSTEM
from kinerja.services.plans.periods import save_period
from tests.factories import (
    Org,
    Planning,
    Reporting,
    approved_plan,
    login,
    make_check,
    make_rating,
    make_user,
    submitted_report,
)


def _explanation(reporting: Reporting, evaluation_id: int | None) -> dict[str, Any]:
    """What the ratings job stores (services/ratings/reference.explanation) for Epidemiolog
    Satu's plan: 6 of 12 on the first indicator (50 %), 2 of 12 on the second."""
    first, second = (o.indicators[0].id for o in reporting.plan.objectives)
    return {
        "source": "periodic",
        "evaluation": evaluation_id,
        "counted": 2,
        "above": 0,
        "as_expected": 0,
        "below": 2,
        "unreported": 0,
        "main_below": [{"id": first, "achievement": 50.0}, {"id": second, "achievement": 16.67}],
        "strongest": {"id": first, "achievement": 50.0},
        "weakest": {"id": second, "achievement": 16.67},
        "indicator_results": "below",
        "unit_predikat": None,
        "results": {"suggested": "below", "given": "as_expected"},
        "behaviour": {"suggested": "as_expected", "given": "as_expected"},
    }


def _text(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    page = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", page)


# --- a rating's page --------------------------------------------------------------------------


@pytest.fixture
def explained(reporting: Reporting) -> Any:
    report = submitted_report(reporting, values=(6, 2))
    rating = make_rating(
        reporting.plan,
        "baik",
        results="as_expected",
        suggested_results="above",
        behaviour="as_expected",
        suggested_behaviour="as_expected",
        explanation=_explanation(reporting, report.evaluation.id),
    )
    db.session.commit()
    return rating


def test_a_provisional_ratings_page_explains_it_in_english(
    client: FlaskClient, explained: Any
) -> None:
    login(client, "employee")
    page = _text(client, f"/ratings/show/{explained.id}?_l_=en")
    assert "Epidemiolog Satu" in page and "Provisional" in page
    assert "This rating is provisional." in page
    assert "The latest approved periodic evaluation" in page
    # suggested beside given: results differ, behaviour does not
    assert "Results Above expectations As expected Yes" in page
    assert "Behaviour As expected As expected No" in page
    # every indicator of the approved version, as the rules read the year so far
    assert "Indikator Laporan surveilans mingguan" in page and "50 %" in page
    assert "Indikator Kader terlatih" in page and "16.67 %" in page
    assert "drove the rating: a main indicator below expectations" in page
    assert "the strongest" in page and "the weakest" in page
    assert "2 indicators counted: 0 above, 0 as expected, 2 below expectations" in page


def test_a_ratings_page_reads_in_indonesian(client: FlaskClient, explained: Any) -> None:
    login(client, "employee")
    page = _text(client, f"/ratings/show/{explained.id}?_l_=id")
    assert "Hasil Kerja Di Atas Ekspektasi Sesuai Ekspektasi Ya" in page
    assert "Perilaku Kerja Sesuai Ekspektasi Sesuai Ekspektasi Tidak" in page
    assert "16,67 %" in page


def test_a_final_rating_says_it_follows_the_annual_evaluation(
    client: FlaskClient, reporting: Reporting
) -> None:
    rating = make_rating(reporting.plan, "sangat_baik", final=True, explanation={"odd": [1]})
    db.session.commit()
    login(client, "employee")
    page = _text(client, f"/ratings/show/{rating.id}?_l_=en")
    assert "This rating is final" in page and "provisional" not in page.lower()
    assert "Indikator Laporan surveilans mingguan" in page  # an odd summary is ignored
    assert "Very good" in page


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("operator", 200), ("supervisor", 200), ("integrator", 200)],
)
def test_a_ratings_page_opens_to_those_who_read_the_rating(
    client: FlaskClient, explained: Any, role: str, status: int
) -> None:
    login(client, role)
    assert client.get(f"/ratings/show/{explained.id}").status_code == status


def test_a_ratings_page_is_not_found_outside_reach(
    client: FlaskClient, org: Org, explained: Any
) -> None:
    login(client, "other")  # Penguji, in Dinas Perhubungan
    assert client.get(f"/ratings/show/{explained.id}").status_code == 404
    assert client.get("/ratings/show/abc").status_code == 404
    assert client.get(f"/ratings/show/{'9' * 30}").status_code == 404


# --- a unit's distribution --------------------------------------------------------------------


@pytest.fixture
def checks(org: Org, planning: Planning) -> Any:
    assumed = make_check(org.units.p2p, planning.period, {"sangat_baik": 3})
    crowded = make_check(org.units.surv, planning.period, {"baik": 8, "sangat_baik": 2}, "baik")
    db.session.commit()
    return assumed, crowded


def test_the_distribution_page_shows_counts_curve_and_warnings_in_english(
    client: FlaskClient, checks: Any
) -> None:
    _assumed, crowded = checks
    login(client, "admin")
    page = _text(client, f"/distributions/show/{crowded.id}?_l_=en")
    assert "Seksi Surveilans" in page and "Unit rating: Good" in page
    assert "No unit rating is set" not in page
    assert "“Good” is 80 % of the employees (8 of 10); at most 70 % is expected" in page
    assert "No employee is rated “Needs improvement” or “Poor/Misconduct”" in page
    assert "A warning only" in page
    # the numbers as a table, beside the chart
    assert "Good 8 80 % at most 70 % — not met" in page
    assert "Very good 2 20 % —" in page


def test_the_distribution_page_warns_in_indonesian(client: FlaskClient, checks: Any) -> None:
    _assumed, crowded = checks
    login(client, "operator")
    page = _text(client, f"/distributions/show/{crowded.id}?_l_=id")
    assert "“Baik” mencakup 80 % pegawai (8 dari 10)" in page
    assert "Tidak ada pegawai berpredikat “Butuh Perbaikan” atau “Kurang/Misconduct”" in page


def test_without_a_unit_predikat_the_page_says_baik_was_assumed_once(
    client: FlaskClient, checks: Any
) -> None:
    assumed, _crowded = checks
    login(client, "admin")
    response = client.get(f"/distributions/show/{assumed.id}?_l_=en")
    html = response.get_data(as_text=True)
    assert 'id="assumed-baik"' in html
    page = _text(client, f"/distributions/show/{assumed.id}?_l_=en")
    assert "No unit rating is set for this unit and period" in page
    assert "checked against the curve of a unit rated “Good”" in page
    assert page.count("No unit rating is set") == 1  # not again among the warnings
    assert "“Very good” is 100 % of the employees (3 of 3)" not in page  # Baik caps Baik only
    assert "No employee is rated “Needs improvement” or “Poor/Misconduct”" in page


def test_the_chart_is_svg_drawn_on_the_server_with_its_numbers(
    client: FlaskClient, checks: Any
) -> None:
    _assumed, crowded = checks
    login(client, "admin")
    html = client.get(f"/distributions/show/{crowded.id}?_l_=en").get_data(as_text=True)
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert svg.count('class="bar bar-') == 2  # Baik and Sangat Baik; empty bars not drawn
    assert "≤ 70 % !" in svg  # the broken limit of Baik
    assert "8 (80 %)" in svg
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    # nothing on the page is fetched from another site (the browser test checks the requests)
    assert re.search(r"""(src|href)=["']?(https?:)?//""", html) is None
    assert 'id="distribution-table"' in html


@pytest.mark.parametrize(
    ("role", "sees_p2p", "sees_surv"),
    [
        ("admin", True, True),
        ("integrator", True, True),
        ("operator", True, True),
        ("supervisor", False, True),  # the units of the people below the Kepala Bidang
        ("employee", False, False),
    ],
)
def test_each_role_reads_the_distributions_it_follows(
    client: FlaskClient, checks: Any, role: str, sees_p2p: bool, sees_surv: bool
) -> None:
    assumed, crowded = checks
    login(client, role)
    assert client.get(f"/distributions/show/{assumed.id}").status_code == (200 if sees_p2p else 404)
    assert client.get(f"/distributions/show/{crowded.id}").status_code == (
        200 if sees_surv else 404
    )
    listing = client.get("/distributions/list/").get_data(as_text=True)
    shown = {int(i) for i in re.findall(r'href="/distributions/show/(\d+)"', listing)}
    assert shown == {c.id for c, seen in ((assumed, sees_p2p), (crowded, sees_surv)) if seen}


def test_a_ratings_page_links_to_its_units_distribution(
    client: FlaskClient, explained: Any, checks: Any
) -> None:
    _assumed, crowded = checks
    login(client, "employee")  # reads their rating, not their unit's distribution
    assert 'id="unit-distribution"' not in client.get(f"/ratings/show/{explained.id}").get_data(
        as_text=True
    )
    login(client, "supervisor")
    html = client.get(f"/ratings/show/{explained.id}").get_data(as_text=True)
    assert f'href="/distributions/show/{crowded.id}"' in html


# --- calibration ------------------------------------------------------------------------------


def _decided(
    plan: Any,
    number: int,
    evaluator: Any,
    given: tuple[Level, Level],
    suggested: tuple[Level, Level],
) -> None:
    """A decided evaluation of ``plan``'s sub-period ``number`` by ``evaluator``."""
    sub_period = plan.period.sub_periods[number - 1]
    report = Report(
        work_plan_id=plan.id,
        sub_period_id=sub_period.id,
        employee_id=plan.employee_id,
        unit_id=plan.unit_id,
        status=ReportStatus.APPROVED,
        decided_at=utcnow(),
    )
    db.session.add(report)
    db.session.flush()
    db.session.add(
        Evaluation(
            report_id=report.id,
            employee_id=plan.employee_id,
            results=given[0],
            behaviour=given[1],
            suggested_results=suggested[0],
            suggested_behaviour=suggested[1],
            evaluator_id=evaluator.id,
            decided_at=utcnow(),
        )
    )
    db.session.flush()


SAME = (Level.AS_EXPECTED, Level.AS_EXPECTED)


@pytest.fixture
def evaluated(org: Org, planning: Planning, reporting: Reporting) -> Any:
    """The Kepala Seksi decided 4 (1 differs in results), the Kepala Bidang 2 (both differ
    in behaviour), the Kepala Dinas Perhubungan 1 (differs in both)."""
    kasi, kabid = planning.kasi, org.users.supervisor
    kadishub = make_user(
        "kadishub", roles.SUPERVISOR, roles.EMPLOYEE, employee=org.employees.kadishub
    )
    penguji_plan = approved_plan(org.employees.penguji, planning.period, ["Uji berkala"])
    _decided(reporting.plan, 1, kasi, (Level.ABOVE, Level.AS_EXPECTED), SAME)
    _decided(reporting.plan, 2, kasi, SAME, SAME)
    _decided(reporting.plan2, 1, kasi, SAME, SAME)
    _decided(reporting.plan2, 2, kasi, SAME, SAME)
    _decided(planning.kasi_plan, 1, kabid, (Level.AS_EXPECTED, Level.ABOVE), SAME)
    _decided(planning.kasi_plan, 2, kabid, (Level.AS_EXPECTED, Level.BELOW), SAME)
    _decided(penguji_plan, 1, kadishub, (Level.BELOW, Level.BELOW), SAME)
    db.session.commit()


def _evaluators(client: FlaskClient, query: str = "") -> list[str]:
    html = client.get(f"/ratings/calibration/{query}").get_data(as_text=True)
    return re.findall(r'<td class="name">([^<]+)</td>', html)


def test_calibration_lists_the_most_differing_evaluators_first(
    client: FlaskClient, org: Org, evaluated: Any
) -> None:
    login(client, "admin")
    assert _evaluators(client) == ["Kabid P2P Uji", "Kadishub Uji", "Kasi Surveilans Uji"]
    page = _text(client, "/ratings/calibration/?_l_=en")
    kabid = org.employees.kabid_p2p.nip
    assert f"Kabid P2P Uji {kabid} 2 0 2 2 100 %" in page
    assert f"Kasi Surveilans Uji {org.employees.kasi_surv.nip} 4 1 0 1 25 %" in page


def test_calibration_keeps_the_operator_within_their_units(
    client: FlaskClient, evaluated: Any
) -> None:
    login(client, "operator")
    assert _evaluators(client) == ["Kabid P2P Uji", "Kasi Surveilans Uji"]


def test_calibration_chooses_a_period_or_all(
    client: FlaskClient, planning: Planning, evaluated: Any
) -> None:
    login(client, "admin")
    assert len(_evaluators(client, f"?period={planning.period.id}")) == 3
    assert len(_evaluators(client, "?period=all")) == 3
    assert len(_evaluators(client, "?period=abc")) == 3  # the newest period
    earlier = Period(year=2025, cadence="quarterly")
    save_period(earlier, SYSTEM)
    db.session.commit()
    page = _text(client, f"/ratings/calibration/?period={earlier.id}&_l_=en")
    assert "No decided evaluations within your reach" in page
    assert len(_evaluators(client)) == 3  # the newest period by default


@pytest.mark.parametrize("role", ["supervisor", "employee", "integrator"])
def test_calibration_is_for_the_admin_and_the_operator(
    client: FlaskClient, evaluated: Any, role: str
) -> None:
    login(client, role)
    assert client.get("/ratings/calibration/").status_code == 403
