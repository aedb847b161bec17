"""Access to reporting: daily activities, periodic reports with their realizations, evidence
and dialogue notes, and evaluations.

* A report is read like its owner's plan; written (realizations, evidence, note) by its
  owner, the owner's Operator (on the owner's behalf) and the Admin; evaluated by the
  direct supervisor.
* The employee reads their own evaluation only once it is decided: a supervisor's draft
  ratings are not theirs to read yet.
* The daily log is personal: only its owner (and the Admin) writes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, or_, select, true

from kinerja.domain.planning import PeriodStatus
from kinerja.models.planning import Indicator, Objective, Period, SubPeriod, WorkPlan
from kinerja.models.reports import (
    Activity,
    DialogueNote,
    Evaluation,
    Evidence,
    Realization,
    Report,
)
from kinerja.models.trees import direct_subordinate_ids
from kinerja.security.policies.base import Policy, any_of
from kinerja.security.policies.org import employees
from kinerja.security.policies.scope import Scope


@dataclass(frozen=True)
class ReportActions:
    """What one person may do with one report now (the report page shows exactly these)."""

    write: bool = False
    edit: bool = False
    delete: bool = False
    decide: bool = False
    talk: bool = False
    see_evaluation: bool = False


class ReportPolicy(Policy[Report]):
    model = Report

    def read(self, scope: Scope) -> ColumnElement[bool]:
        if scope.sees_all:
            return true()
        return Report.employee_id.in_(employees.readable_ids(scope))

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        if scope.manages_all:
            return true()
        conditions: list[ColumnElement[bool]] = []
        if scope.is_employee:
            conditions.append(Report.employee_id == scope.employee_id)
        if scope.is_operator:
            conditions.append(Report.employee_id.in_(employees.ids(employees.manage(scope))))
        return any_of(conditions)

    def decide(self, scope: Scope) -> ColumnElement[bool]:
        """Reports of one's direct subordinates: one's evaluation queue."""
        if not scope.is_supervisor:
            return false()
        assert scope.employee_position_id is not None
        return Report.employee_id.in_(direct_subordinate_ids(scope.employee_position_id))

    def queue(self, scope: Scope) -> ColumnElement[bool]:
        """One's evaluation queue: reports one decides, of periods still open (a closed
        period is read-only: its undecided reports wait for nobody)."""
        open_sub_periods = (
            select(SubPeriod.id)
            .join(Period, Period.id == SubPeriod.period_id)
            .where(Period.status != PeriodStatus.CLOSED)
        )
        return self.decide(scope) & Report.sub_period_id.in_(open_sub_periods)

    def may_talk(self, scope: Scope, report: Report) -> bool:
        """The employee and the direct supervisor hold the dialogue (and the Admin)."""
        return (
            scope.manages_all
            or report.employee_id == scope.employee_id
            or self.may_decide(scope, report)
        )

    def actions(self, scope: Scope, report: Report) -> ReportActions:
        write = self.may_manage(scope, report)
        decider = self.may_decide(scope, report)
        edit = write and report.editable
        evaluation = report.evaluation
        return ReportActions(
            write=write,
            edit=edit,
            delete=edit and report.deletable,
            decide=decider and report.awaiting_evaluation,
            talk=not report.work_plan.period.closed
            and (scope.manages_all or report.employee_id == scope.employee_id or decider),
            see_evaluation=evaluation is not None
            and (decider or (evaluation.decided and evaluations.may_read(scope, evaluation))),
        )


def _report_part_read(
    model: type[Realization] | type[Evidence] | type[DialogueNote], scope: Scope
) -> ColumnElement[bool]:
    """Rows hanging off a report are read with the report."""
    if scope.sees_all:
        return true()
    return model.report_id.in_(reports.ids(reports.read(scope)))


class RealizationPolicy(Policy[Realization]):
    model = Realization

    def read(self, scope: Scope) -> ColumnElement[bool]:
        return _report_part_read(Realization, scope)

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        return Realization.report_id.in_(reports.ids(reports.manage(scope)))


class EvidencePolicy(Policy[Evidence]):
    model = Evidence

    def read(self, scope: Scope) -> ColumnElement[bool]:
        return _report_part_read(Evidence, scope)

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        return Evidence.report_id.in_(reports.ids(reports.manage(scope)))


class DialogueNotePolicy(Policy[DialogueNote]):
    """Notes are kept as written: nobody changes or deletes one."""

    model = DialogueNote

    def read(self, scope: Scope) -> ColumnElement[bool]:
        return _report_part_read(DialogueNote, scope)


class EvaluationPolicy(Policy[Evaluation]):
    """Evaluations change only through the report's evaluation steps, never directly."""

    model = Evaluation

    def read(self, scope: Scope) -> ColumnElement[bool]:
        if scope.sees_all:
            return true()
        others = Evaluation.employee_id.in_(employees.readable_ids(scope))
        if scope.employee_id is None:
            return others
        return or_(
            others & (Evaluation.employee_id != scope.employee_id),
            (Evaluation.employee_id == scope.employee_id) & Evaluation.decided_at.is_not(None),
        )


class ActivityPolicy(Policy[Activity]):
    model = Activity

    def read(self, scope: Scope) -> ColumnElement[bool]:
        """One's own, one's subordinates' and (Operator) one's units' daily activities."""
        if scope.sees_all:
            return true()
        return Activity.employee_id.in_(employees.readable_ids(scope))

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        if scope.manages_all:
            return true()
        if not scope.is_employee:
            return false()
        return Activity.employee_id == scope.employee_id

    def own_indicators(self, scope: Scope) -> ColumnElement[bool]:
        """Indicators an activity may count towards: those of one's own plans in open
        periods."""
        if not scope.is_employee:
            return false()
        return Indicator.objective_id.in_(
            select(Objective.id)
            .join(WorkPlan, WorkPlan.id == Objective.work_plan_id)
            .join(Period, Period.id == WorkPlan.period_id)
            .where(WorkPlan.employee_id == scope.employee_id, ~Period.closed)
        )


reports = ReportPolicy()
realizations = RealizationPolicy()
evidence = EvidencePolicy()
dialogue_notes = DialogueNotePolicy()
evaluations = EvaluationPolicy()
activities = ActivityPolicy()
