"""Use cases of the report (laporan capaian) of a sub-period or of the year: start it
against the approved plan, enter realizations and evidence while holding it, and submit it
into the direct supervisor's queue.

* A measurable indicator's line takes the sub-period's realization; a qualitative one's a
  description (the line's note) with evidence, which its evaluator gives a level.
* The annual report (*Akhir*) starts once the last regular sub-period has ended; its
  measurable lines are not typed in: they are the realizations of the periodic reports
  accumulated over the year, against the annual target.

State changes lock the report row, so a double submission (two tabs, a retry) cannot make
two evaluations: the second meets the new state and gets a conflict (HTTP 409).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import IO, Any
from urllib.parse import urlsplit

from sqlalchemy import func, select

from kinerja.domain.errors import N_, ConflictError, DomainError, FieldErrors
from kinerja.domain.numbers import parse_number
from kinerja.domain.ratings import Level
from kinerja.domain.reporting import (
    EvidenceKind,
    ReportAction,
    ReportStatus,
    next_report_status,
    report_opens_on,
)
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.planning import SubPeriod, WorkPlan
from kinerja.models.reports import Evaluation, Evidence, Realization, Report
from kinerja.security.policies import evidence as evidence_policy
from kinerja.security.policies import plans, reports
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import use_case
from kinerja.services.plans.periods import check_open
from kinerja.services.reports.achievement import progress, suggested_results
from kinerja.services.reports.activities import MAX_TEXT, today
from kinerja.services.reports.basis import BasisIndicator, basis, version_in_force
from kinerja.services.reports.files import remove_after_commit, store_upload
from kinerja.services.rows import lock
from kinerja.services.validation import NOT_FOUND, Errors
from kinerja.services.webhooks import announce


@use_case
def start_report(plan_id: int | None, sub_period_id: int | None, scope: Scope) -> Report:
    """Open the report of a sub-period, with a realization line for every indicator of the
    approved version in force."""
    plan = plans.manageable(scope, plan_id)
    sub_period = db.session.get(SubPeriod, sub_period_id) if sub_period_id else None
    errors = Errors()
    if plan is None:
        raise FieldErrors.single("work_plan", NOT_FOUND)
    if sub_period is None or sub_period.period_id != plan.period_id:
        raise FieldErrors.single("sub_period", N_("Choose a sub-period of the plan's period."))
    check_open(plan.period)
    version = version_in_force(plan)
    if version is None:
        errors.add("work_plan", N_("The work plan must be approved before reporting on it."))
    if opens_on(sub_period) > today():
        if sub_period.annual:
            errors.add(
                "sub_period",
                N_("The annual report starts once %(name)s has ended."),
                name=last_regular(sub_period).name,
            )
        else:
            errors.add("sub_period", N_("%(name)s has not started yet."), name=sub_period.name)
    existing = db.session.scalar(
        select(Report.id).where(
            Report.work_plan_id == plan.id, Report.sub_period_id == sub_period.id
        )
    )
    if existing is not None:
        errors.add(
            "sub_period", N_("The report for %(name)s exists already."), name=sub_period.name
        )
    errors.raise_if_any()
    assert version is not None
    report = Report(
        work_plan=plan,
        sub_period=sub_period,
        employee_id=plan.employee_id,
        unit_id=plan.unit_id,
        status=ReportStatus.DRAFT,
        plan_version=version,
    )
    report.realizations = [Realization(indicator_id=i.id) for i in basis(plan, version)]
    db.session.add(report)
    db.session.flush()
    return report


def last_regular(sub_period: SubPeriod) -> SubPeriod:
    """The last regular sub-period of ``sub_period``'s period (itself if none is found)."""
    found = db.session.scalar(
        select(SubPeriod)
        .where(SubPeriod.period_id == sub_period.period_id, SubPeriod.annual.is_(False))
        .order_by(SubPeriod.number.desc())
        .limit(1)
    )
    return found or sub_period


def opens_on(sub_period: SubPeriod) -> date:
    """The first day the report of ``sub_period`` may be started."""
    last_end = None
    if sub_period.annual:
        last_end = db.session.scalar(
            select(func.max(SubPeriod.ends_on)).where(
                SubPeriod.period_id == sub_period.period_id, SubPeriod.annual.is_(False)
            )
        )
    return report_opens_on(sub_period.starts_on, bool(sub_period.annual), last_end)


def may_start(plan: WorkPlan, sub_period: SubPeriod) -> bool:
    """Whether a report of ``sub_period`` may be started now (as :func:`start_report`
    checks): an approved version, a sub-period that has begun (for the annual report: the
    last regular one has ended), an open period."""
    return (
        not plan.period.closed
        and version_in_force(plan) is not None
        and opens_on(sub_period) <= today()
    )


def ensure_editable(report: Report) -> None:
    check_open(report.work_plan.period)
    if not ReportStatus(report.status).editable:
        raise ConflictError(
            N_("The report is “%(status)s”: it cannot be changed."),
            status=ReportStatus(report.status),
        )


def sync_realizations(report: Report) -> None:
    """A report still held by its owner follows the approved version in force: indicators
    approved since the report began get their line too."""
    version = version_in_force(report.work_plan)
    if version is None:
        return
    report.plan_version = version
    have = {r.indicator_id for r in report.realizations}
    for indicator in basis(report.work_plan, version):
        if indicator.id not in have:
            report.realizations.append(Realization(indicator_id=indicator.id))


@use_case
def save_report(
    report: Report,
    values: Mapping[int, Any],
    scope: Scope,
    note: str | None = None,
    notes: Mapping[int, str | None] | None = None,
) -> None:
    """Keep the realizations entered so far (a draft may be incomplete); ``values`` maps
    indicator ids to numbers, an empty value clears one."""
    reports.check_manage(scope, report)
    ensure_editable(report)
    errors = Errors()
    lines = {r.indicator_id: r for r in report.realizations}
    indicators = basis_by_id(report)
    for indicator_id, raw in values.items():
        line = lines.get(indicator_id)
        if line is None:
            errors.add(f"value_{indicator_id}", N_("Not an indicator of this report."))
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            line.value = None
            continue
        problem = typed_value_problem(report, indicators.get(indicator_id))
        if problem is not None:
            errors[f"value_{indicator_id}"].append(problem)
            continue
        number = parse_number(raw)
        if number is None:
            errors.add(f"value_{indicator_id}", N_("Enter a number."))
        elif number < 0:
            errors.add(f"value_{indicator_id}", N_("The realization cannot be negative."))
        else:
            line.value = number.quantize(Decimal("0.01"))
    for indicator_id, text in (notes or {}).items():
        if indicator_id in lines:
            lines[indicator_id].note = (text or "").strip() or None
    if note is not None:
        if len(note) > MAX_TEXT:
            errors.add("note", N_("At most %(count)d characters."), count=MAX_TEXT)
        report.note = note.strip() or None
    errors.raise_if_any()


@use_case
def add_evidence(
    report: Report,
    scope: Scope,
    *,
    upload: IO[bytes] | None = None,
    filename: str | None = None,
    url: str | None = None,
    description: str | None = None,
    indicator_id: int | None = None,
) -> Evidence:
    """Attach a file or a link to a report (while the employee holds it)."""
    reports.check_manage(scope, report)
    ensure_editable(report)
    errors = Errors()
    if indicator_id is not None and indicator_id not in {
        r.indicator_id for r in report.realizations
    }:
        errors.add("indicator", N_("Not an indicator of this report."))
    description = (description or "").strip()[:300] or None
    if upload is None:
        url = (url or "").strip()
        parts = urlsplit(url)
        if not url:
            errors.add("url", N_("Choose a file or enter a link."))
        elif parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 1000:
            errors.add("url", N_("Enter a full web address starting with https://."))
    errors.raise_if_any()
    item = Evidence(
        report=report, indicator_id=indicator_id, description=description, kind=EvidenceKind.LINK
    )
    if upload is not None:
        item.kind = EvidenceKind.FILE
        item.attachment = store_upload(upload, filename, scope)
    else:
        item.url = url
    db.session.add(item)
    db.session.flush()
    return item


@use_case
def delete_evidence(item: Evidence, scope: Scope) -> None:
    """Remove one piece of evidence and its own file; nobody else's file is touched."""
    evidence_policy.check_manage(scope, item)
    ensure_editable(item.report)
    attachment = item.attachment
    db.session.delete(item)
    db.session.flush()
    remove_after_commit([attachment])


@use_case
def delete_report(report: Report, scope: Scope) -> None:
    """A draft that was never submitted can be thrown away with its evidence."""
    reports.check_manage(scope, report)
    check_open(report.work_plan.period)
    if not report.deletable:
        raise ConflictError(N_("Only a draft that was never submitted can be deleted."))
    attachments = [e.attachment for e in report.evidence]
    db.session.delete(report)
    db.session.flush()
    remove_after_commit(attachments)


def basis_by_id(report: Report) -> dict[int, BasisIndicator]:
    """The report's indicators as approved, by id."""
    return {i.id: i for i in basis(report.work_plan, report.plan_version)}


def typed_value_problem(report: Report, indicator: BasisIndicator | None) -> DomainError | None:
    """Why a number cannot be entered on a line: a qualitative indicator is described, and
    the annual report's lines are the year's periodic realizations accumulated."""
    if indicator is not None and indicator.qualitative:
        return DomainError(
            N_("“%(indicator)s” is qualitative: describe its realization instead."),
            indicator=indicator.text,
        )
    if report.sub_period.annual:
        return DomainError(
            N_("The annual realization is accumulated from the periodic reports: enter it there.")
        )
    return None


def completeness_problems(report: Report) -> list[DomainError]:
    """What keeps the report from being submitted: a measurable line without its
    realization (in the annual report: without any in the periodic reports), a qualitative
    line without its description."""
    problems: list[DomainError] = []
    if not report.realizations:
        problems.append(DomainError(N_("The plan has no indicators to report on.")))
    indicators = basis_by_id(report)
    annual = bool(report.sub_period.annual)
    accumulated = {line.indicator.id: line.to_date for line in progress(report)} if annual else {}
    for line in report.realizations:
        approved = indicators.get(line.indicator_id)
        text = approved.text if approved is not None else line.indicator.text
        qualitative = approved.qualitative if approved is not None else line.indicator.qualitative
        if qualitative:
            if not line.note:
                problems.append(
                    DomainError(N_("Describe the realization of “%(indicator)s”."), indicator=text)
                )
        elif annual:
            if accumulated.get(line.indicator_id) is None:
                problems.append(
                    DomainError(
                        N_(
                            "“%(indicator)s” has no realization in the periodic reports: "
                            "enter it in a periodic report first."
                        ),
                        indicator=text,
                    )
                )
        elif line.value is None:
            problems.append(
                DomainError(N_("Enter the realization of “%(indicator)s”."), indicator=text)
            )
    return problems


@use_case
def submit_report(report: Report, scope: Scope) -> Report:
    """Hand the complete report to the direct supervisor: it enters their queue. The report
    row is locked first, so two submissions at once make one evaluation and one 409."""
    reports.check_manage(scope, report)
    report = lock(Report, report.id)
    check_open(report.work_plan.period)
    new_status = next_report_status(report.status, ReportAction.SUBMIT)
    sync_realizations(report)
    problems = completeness_problems(report)
    if problems:
        raise FieldErrors({"realizations": problems})
    report.status = new_status
    report.submitted_at = utcnow()
    report.return_reason = None
    evaluation = evaluation_of(report)
    evaluation.suggested_results = suggested_results(report, given_levels(evaluation))
    announce.report_submitted(report)
    return report


def given_levels(evaluation: Evaluation | None) -> dict[int, Level]:
    """The levels given to qualitative indicators in ``evaluation``, by indicator id."""
    return (
        {r.indicator_id: Level(r.level) for r in evaluation.indicator_levels} if evaluation else {}
    )


def evaluation_of(report: Report) -> Evaluation:
    """The report's one evaluation, made at its first submission (the row lock held by the
    caller and the unique constraint keep it one)."""
    if report.evaluation is None:
        report.evaluation = Evaluation(employee_id=report.employee_id)
        db.session.add(report.evaluation)
    return report.evaluation
