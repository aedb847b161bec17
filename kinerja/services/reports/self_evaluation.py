"""The employee's self-evaluation before the annual evaluation: their own results level
and a level for each BerAKHLAK value, on their annual report. The supervisor's review page
shows it beside the suggestion; it never changes the suggestion or the rating."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from kinerja.domain.errors import N_, AccessDenied, ConflictError, NotFoundError
from kinerja.domain.ratings import Level, suggest_behaviour
from kinerja.domain.reporting import ReportStatus
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.reports import Report
from kinerja.models.self_evaluations import SelfEvaluation
from kinerja.security.policies import reports, self_evaluations
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import use_case
from kinerja.services.plans.periods import check_open
from kinerja.services.reports.evaluations import value_ids_by_code
from kinerja.services.validation import Errors


def self_evaluation_of(report: Report, scope: Scope) -> SelfEvaluation | None:
    """The report's self-evaluation, if there is one and ``scope`` may read it."""
    found = db.session.scalar(select(SelfEvaluation).where(SelfEvaluation.report_id == report.id))
    return found if self_evaluations.may_read(scope, found) else None


@use_case
def save_self_evaluation(
    report: Report,
    results: Level | None,
    values: Mapping[str, Level | None],
    note: str | None,
    scope: Scope,
) -> SelfEvaluation:
    """Rate oneself for the year: results required, each value rated (by BerAKHLAK code),
    at most once per value. Changeable until the annual evaluation is approved."""
    if not reports.may_read(scope, report):
        raise NotFoundError()
    check_open(report.work_plan.period)
    if not report.sub_period.annual:
        raise ConflictError(N_("Only the annual report has a self-evaluation."))
    if ReportStatus(report.status) == ReportStatus.APPROVED:
        raise ConflictError(N_("The annual evaluation is decided: the self-evaluation is closed."))
    if not self_evaluations.may_self_evaluate(scope, report):
        raise AccessDenied(N_("Only the employee evaluates themselves."))
    codes = set(value_ids_by_code())
    errors = Errors()
    if results is None:
        errors.add("results", N_("This field is required."))
    unknown = sorted(set(values) - codes)
    for code in unknown:
        errors.add("values", N_("Unknown behaviour value “%(value)s”."), value=code)
    chosen = {code: level for code, level in values.items() if level is not None}
    if not unknown and set(chosen) != codes:
        errors.add("values", N_("Rate each of the seven BerAKHLAK values."))
    errors.raise_if_any()
    assert results is not None
    row = db.session.scalar(select(SelfEvaluation).where(SelfEvaluation.report_id == report.id))
    if row is None:
        row = SelfEvaluation(report_id=report.id, employee_id=report.employee_id)
        db.session.add(row)
    row.results = results
    row.values = {code: Level(level).value for code, level in sorted(chosen.items())}
    row.behaviour = suggest_behaviour(chosen.values())
    row.note = (note or "").strip() or None
    row.submitted_at = utcnow()
    db.session.flush()
    return row
