"""Access to self-evaluations: the employee writes their own, on their annual report, until
the annual evaluation is decided and while the period is open (never an Operator or the
Admin on their behalf: it is the employee's own view); it is read with the report, so the
supervisor sees it beside the suggestion while evaluating."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true

from kinerja.domain.reporting import ReportStatus
from kinerja.models.reports import Report
from kinerja.models.self_evaluations import SelfEvaluation
from kinerja.security.policies.base import Policy
from kinerja.security.policies.reports import reports
from kinerja.security.policies.scope import Scope


class SelfEvaluationPolicy(Policy[SelfEvaluation]):
    model = SelfEvaluation

    def read(self, scope: Scope) -> ColumnElement[bool]:
        if scope.sees_all:
            return true()
        return SelfEvaluation.report_id.in_(reports.ids(reports.read(scope)))

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        if scope.employee_id is None:
            return false()
        return SelfEvaluation.employee_id == scope.employee_id

    def may_self_evaluate(self, scope: Scope, report: Report) -> bool:
        """The owner, on the annual report, before its evaluation is approved, in an open
        period."""
        return (
            scope.employee_id is not None
            and report.employee_id == scope.employee_id
            and bool(report.sub_period.annual)
            and not report.work_plan.period.closed
            and ReportStatus(report.status) != ReportStatus.APPROVED
        )


self_evaluations = SelfEvaluationPolicy()
