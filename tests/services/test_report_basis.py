"""Reports are made against the approved version in force, not a revision being drafted."""

from __future__ import annotations

from decimal import Decimal

from kinerja.domain.planning import Aspect
from kinerja.models.planning import Indicator
from kinerja.security.policies import SYSTEM, scope_for_user
from kinerja.services.plans import content, workflow
from kinerja.services.reports import reports
from kinerja.services.reports.achievement import progress
from tests.factories import Org, Planning, Reporting


def _revise(reporting: Reporting, org: Org) -> tuple[Indicator, Indicator]:
    """Open a revision of Epidemiolog Satu's plan: raise a target, add an indicator."""
    owner = scope_for_user(org.users.employee)
    plan = workflow.revise_plan(reporting.plan, owner, "Target naik")
    changed = plan.objectives[0].indicators[0]
    changed.target = Decimal(48)
    content.save_indicator(changed, owner)
    added = Indicator(
        objective=plan.objectives[0],
        text="Indikator baru",
        aspect=Aspect.QUANTITY,
        target=Decimal(4),
        unit="kali",
    )
    content.save_indicator(added, owner)
    return changed, added


def test_a_report_started_during_a_revision_uses_the_approved_indicators(
    org: Org, planning: Planning, reporting: Reporting
) -> None:
    changed, added = _revise(reporting, org)
    report = reports.start_report(reporting.plan.id, reporting.q1.id, SYSTEM)
    assert report.plan_version == 1
    lines = {line.indicator.id: line for line in progress(report)}
    assert added.id not in lines and {r.indicator_id for r in report.realizations} == set(lines)
    # 12 a year as approved, 3 due by Triwulan I — not the draft's 48 (12 due)
    assert lines[changed.id].indicator.target == Decimal(12)
    assert lines[changed.id].target_to_date == Decimal("3.00")


def test_once_the_revision_is_approved_the_report_follows_it(
    org: Org, planning: Planning, reporting: Reporting
) -> None:
    changed, added = _revise(reporting, org)
    report = reports.start_report(reporting.plan.id, reporting.q1.id, SYSTEM)
    workflow.submit_plan(reporting.plan, SYSTEM)
    workflow.approve_plan(reporting.plan, scope_for_user(planning.kasi))
    reports.save_report(report, {r.indicator_id: 3 for r in report.realizations}, SYSTEM)
    reports.sync_realizations(report)
    assert report.plan_version == 2
    lines = {line.indicator.id: line for line in progress(report)}
    assert added.id in lines
    assert lines[changed.id].target_to_date == Decimal("12.00")
