"""Journey 7: each role signs in through the login page and lands on a home page whose main
figure is the one counted here, from the rows themselves: the Admin's plans approved and
reports submitted in the running sub-period, the Operator's for their units only, the
supervisor's evaluation queue and the employee's realization against the target due and
their training JP. Each chart's numbers are there as a table, the page reads in
Indonesian, and the Admin reads the same figure under its English label."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from babel.numbers import format_decimal
from flask_babel import force_locale, gettext
from playwright.sync_api import expect
from sqlalchemy import select

from kinerja.domain.planning import PlanStatus
from kinerja.domain.reporting import ReportStatus
from kinerja.extensions import db
from kinerja.models.competency import TrainingRecord
from kinerja.models.org import Employee, Position, Unit
from kinerja.models.planning import WorkPlan
from kinerja.models.reports import Realization, Report
from kinerja.security.policies import SYSTEM
from kinerja.services.reports import reports as service
from tests.factories import (
    PASSWORD,
    Org,
    Planning,
    approved_plan,
    build_reporting,
    draft_plan,
    make_check,
    make_rating,
)
from tests.journeys.conftest import Browser, quarter, sign_in

pytestmark = [pytest.mark.journey]


def _report(plan: Any, sub_period: Any, values: tuple[int, ...]) -> Report:
    report = service.start_report(plan.id, sub_period.id, SYSTEM)
    ids = [line.indicator_id for line in report.realizations]
    service.save_report(report, dict(zip(ids, values, strict=True)), SYSTEM)
    service.submit_report(report, SYSTEM)
    return report


@pytest.fixture
def home(org: Org, planning: Planning) -> SimpleNamespace:
    """Plans in Dinas Kesehatan and Dinas Perhubungan (one still a draft), reports submitted
    in the first and in the running quarter, a report left unsubmitted, the units' predikat
    checks, a rating of the supervisor's team and the employee's training this year and last."""
    reporting = build_reporting(org, planning)
    staff = org.employees
    period = planning.period
    first, now = period.sub_periods[0], period.sub_periods[quarter() - 1]
    penguji = approved_plan(staff.penguji, period, ["Uji kendaraan bermotor"])
    draft_plan(staff.perawat, period, ["Asuhan keperawatan"])
    db.session.commit()
    _report(reporting.plan, first, (3, 2))
    _report(reporting.plan, now, (7, 4))
    _report(planning.kasi_plan, first, (3, 3))
    _report(planning.kasi_plan, now, (5, 6))
    _report(penguji, now, (9,))
    service.start_report(reporting.plan2.id, now.id, SYSTEM)  # opened, never submitted
    db.session.commit()
    make_check(org.units.surv, period, {"baik": 2, "butuh_perbaikan": 1}, "baik")
    make_check(org.units.dishub, period, {"kurang": 1}, "istimewa")
    make_rating(planning.kasi_plan, "baik")
    year = date.today().year
    for jp, in_year in ((8, year), (6, year), (30, year - 1)):
        db.session.add(
            TrainingRecord(
                employee_id=staff.epid1.id,
                title="Pelatihan surveilans",
                mode="classical",
                jp=jp,
                completed_on=date(in_year, 3, 1),
                year=in_year,
            )
        )
    db.session.commit()
    return SimpleNamespace(period=period, now=now, plan=reporting.plan)


def _within(unit_id: int, top: Unit) -> bool:
    """Is the unit ``top`` or below it, walking up the parents one row at a time."""
    unit = db.session.get(Unit, unit_id)
    while unit is not None:
        if unit.id == top.id:
            return True
        unit = db.session.get(Unit, unit.parent_id) if unit.parent_id else None
    return False


def _unit_figures(home: SimpleNamespace, top: Unit | None) -> tuple[str, int]:
    """Plans approved / plans of the period and reports submitted (or already evaluated) in
    the running sub-period, of the units under ``top`` (every unit for ``None``)."""
    plans = [
        p
        for p in db.session.scalars(select(WorkPlan))
        if p.period_id == home.period.id and (top is None or _within(p.unit_id, top))
    ]
    approved = [p for p in plans if p.status == PlanStatus.APPROVED]
    submitted = [
        r
        for r in db.session.scalars(select(Report))
        if r.sub_period_id == home.now.id
        and r.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
        and (top is None or _within(r.unit_id, top))
    ]
    return f"{len(approved)} / {len(plans)}", len(submitted)


def _indonesian(page: Any) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "id")


def _chart_table(page: Any, chart: str, row: str, value: int) -> None:
    """The chart's numbers as a table: the row's label and value, readable without the SVG."""
    table = page.locator(f"#{chart}-table")
    expect(table).to_have_count(1)
    with force_locale("id"):
        expect(table.locator("thead")).to_contain_text(gettext("Category"))
        label = re.compile(f"^{re.escape(gettext(row))}$")
    cells = table.locator("tbody tr", has=page.locator("th", has_text=label))
    expect(cells.locator("td")).to_have_text(str(value))


def test_the_admin_home_counts_every_unit_and_reads_in_english(
    journey: Browser, org: Org, home: SimpleNamespace
) -> None:
    plans, submitted = _unit_figures(home, None)
    assert plans == "5 / 6" and submitted == 3  # the rows built above, counted once more
    page = journey.tab()
    sign_in(page, "admin", PASSWORD)
    page.goto("/")
    _indonesian(page)
    expect(page.locator("#home-total-plans")).to_have_text(plans)
    expect(page.locator("#home-total-submitted")).to_have_text(str(submitted))
    with force_locale("id"):
        expect(page.locator(".panel-body", has=page.locator("#home-total-plans"))).to_contain_text(
            gettext("Plans approved")
        )
    expect(page.locator("#home-unit-progress")).to_contain_text("Dinas Perhubungan")
    _chart_table(page, "home-chart-predikat", "Good", 2)
    _chart_table(page, "home-chart-predikat", "Poor/Misconduct", 1)
    journey.shot(page, "admin-id")

    link = page.locator("a[href$='/lang/en']")
    page.locator("li.dropdown", has=link).locator("a.dropdown-toggle").click()
    link.click()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    panel = page.locator(".panel-body", has=page.locator("#home-total-plans"))
    expect(panel).to_contain_text("Plans approved")
    expect(page.locator("#home-total-plans")).to_have_text(plans)
    expect(page.locator("#home-chart-predikat-table thead")).to_contain_text("Category")
    journey.shot(page, "admin-en")


def test_the_operator_home_counts_only_their_units(
    journey: Browser, org: Org, home: SimpleNamespace
) -> None:
    plans, submitted = _unit_figures(home, org.units.dinkes)
    assert plans == "4 / 5" and submitted == 2
    page = journey.tab()
    sign_in(page, "operator", PASSWORD)
    page.goto("/")
    _indonesian(page)
    expect(page.locator("#home-total-plans")).to_have_text(plans)
    expect(page.locator("#home-total-submitted")).to_have_text(str(submitted))
    board = page.locator("#home-units")
    expect(board).to_contain_text("Seksi Surveilans")
    expect(board).not_to_contain_text("Dinas Perhubungan")
    expect(board).not_to_contain_text("DISHUB")
    _chart_table(page, "home-chart-predikat", "Good", 2)
    _chart_table(
        page, "home-chart-predikat", "Poor/Misconduct", 0
    )  # Dinas Perhubungan's is not theirs
    journey.shot(page, "operator")


def test_the_supervisor_home_shows_the_evaluation_queue(
    journey: Browser, org: Org, home: SimpleNamespace
) -> None:
    mine = org.employees.kabid_p2p.position_id
    team = {
        e.id
        for e in db.session.scalars(select(Employee))
        if e.position_id is not None
        and db.session.get(Position, e.position_id).supervisor_id == mine
    }
    waiting = [
        r
        for r in db.session.scalars(select(Report))
        if r.employee_id in team and r.status == ReportStatus.SUBMITTED
    ]
    assert len(waiting) == 2  # the Kepala Seksi's two quarters; the epidemiologists' are not
    page = journey.tab()
    sign_in(page, "supervisor", PASSWORD)
    page.goto("/")
    _indonesian(page)
    expect(page.locator("#home-queue-total")).to_have_text(str(len(waiting)))
    expect(page.locator("#home-queue-table tbody tr")).to_have_count(len(waiting))
    expect(page.locator("#home-queue-table")).to_contain_text("Kasi Surveilans Uji")
    expect(page.locator("#home-queue-table")).not_to_contain_text("Epidemiolog")
    with force_locale("id"):
        expect(page.locator("#home-team h4").first).to_contain_text(gettext("Evaluation queue"))
    _chart_table(page, "home-chart-team", "Good", 1)
    journey.shot(page, "supervisor")


def test_the_employee_home_shows_realized_against_due_and_training(
    journey: Browser, org: Org, home: SimpleNamespace
) -> None:
    me = org.employees.epid1.id
    indicator = home.plan.objectives[0].indicators[0]
    realized = sum(
        (
            line.value
            for line in db.session.scalars(select(Realization))
            if line.indicator_id == indicator.id and line.value is not None
        ),
        Decimal(0),
    )
    due = indicator.target * quarter() / 4  # a count pro-rated over the year's quarters
    jp = sum(
        t.jp
        for t in db.session.scalars(select(TrainingRecord))
        if t.employee_id == me and t.year == date.today().year
    )
    assert (realized, jp) == (10, 14)
    page = journey.tab()
    sign_in(page, "employee", PASSWORD)
    page.goto("/")
    _indonesian(page)
    row = page.locator(f"#home-indicators tr[data-indicator='{indicator.id}']")
    expect(row.locator("th")).to_contain_text(indicator.text)
    cell = row.locator("td").nth(quarter() - 1)
    expected = f"{format_decimal(realized, locale='id')} / {format_decimal(due, locale='id')}"
    expect(cell).to_have_text(expected)
    with force_locale("id"):
        caption = gettext("Realized so far against the target due by each sub-period")
    expect(page.locator("#home-indicators caption")).to_have_text(caption)
    _chart_table(page, "home-chart-jp", "JP earned", jp)
    journey.shot(page, "employee")
