"""Access to performance planning: periods, work plans with their objectives and indicators,
and position templates.

* Everyone signed in reads periods; the Admin keeps them.
* A plan is read by whoever may read its owner (the owner, supervisors up the chain, the
  owner's Operator, Admin, Integrator); written by its owner, the owner's Operator (on the
  owner's behalf) and the Admin; decided (approved or returned) by the direct supervisor.
* Templates are read by the holders of their position and the position's Operator, who
  keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, or_, select, true

from kinerja.domain.planning import PlanStatus
from kinerja.models.org import Employee, Position
from kinerja.models.planning import (
    Indicator,
    Objective,
    Period,
    PlanTemplate,
    SubPeriod,
    TemplateIndicator,
    TemplateObjective,
    WorkPlan,
)
from kinerja.models.trees import direct_subordinate_ids
from kinerja.security.policies.base import Policy, any_of
from kinerja.security.policies.org import employees, positions
from kinerja.security.policies.scope import Scope


class PeriodPolicy(Policy[Period]):
    model = Period

    def read(self, scope: Scope) -> ColumnElement[bool]:
        return true() if scope.signed_in else false()

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        return true() if scope.manages_all else false()

    def may_create(self, scope: Scope) -> bool:
        return scope.manages_all

    def open_for_planning(self, scope: Scope) -> ColumnElement[bool]:
        """Periods a new plan may be started in."""
        return self.read(scope) & ~Period.closed


class SubPeriodPolicy(Policy[SubPeriod]):
    model = SubPeriod

    def read(self, scope: Scope) -> ColumnElement[bool]:
        return periods.read(scope)

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        return periods.manage(scope)


@dataclass(frozen=True)
class PlanActions:
    """What one person may do with one plan now: the plan page shows exactly these buttons
    and the use cases refuse the rest."""

    write: bool = False
    edit: bool = False
    delete: bool = False
    revise: bool = False
    decide: bool = False
    expectations: bool = False
    template: bool = False


class WorkPlanPolicy(Policy[WorkPlan]):
    model = WorkPlan

    def read(self, scope: Scope) -> ColumnElement[bool]:
        if scope.sees_all:
            return true()
        return WorkPlan.employee_id.in_(employees.readable_ids(scope))

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        """Plans whose content one may write: one's own, or (Operator) those in one's units."""
        if scope.manages_all:
            return true()
        conditions: list[ColumnElement[bool]] = []
        if scope.is_employee:
            conditions.append(WorkPlan.employee_id == scope.employee_id)
        if scope.is_operator:
            conditions.append(WorkPlan.employee_id.in_(employees.ids(employees.manage(scope))))
        return any_of(conditions)

    def decide(self, scope: Scope) -> ColumnElement[bool]:
        """Plans of one's direct subordinates."""
        if not scope.is_supervisor:
            return false()
        assert scope.employee_position_id is not None
        return WorkPlan.employee_id.in_(direct_subordinate_ids(scope.employee_position_id))

    def owners(self, scope: Scope) -> ColumnElement[bool]:
        """Employees one may start a plan for: oneself, and (Operator) one's people."""
        own = Employee.id == scope.employee_id if scope.is_employee else false()
        return or_(employees.manage(scope), own)

    def actions(self, scope: Scope, plan: WorkPlan) -> PlanActions:
        write = self.may_manage(scope, plan)
        open_period = not plan.period.closed
        status = PlanStatus(plan.status)
        decider = self.may_decide(scope, plan)
        return PlanActions(
            write=write,
            edit=write and plan.editable,
            delete=write and plan.editable and not plan.versions,
            revise=write and open_period and status == PlanStatus.APPROVED,
            decide=decider and open_period and status == PlanStatus.SUBMITTED,
            expectations=open_period and (scope.manages_all or decider),
            template=plan.position_id is not None and self.may_save_as_template(scope, plan),
        )

    def may_edit(self, scope: Scope, plan: WorkPlan) -> bool:
        return plan.editable and self.may_manage(scope, plan)

    def may_save_as_template(self, scope: Scope, plan: WorkPlan) -> bool:
        """Templates are the Operator's (and the Admin's) tool for the plans they write."""
        return (scope.manages_all or scope.is_operator) and self.may_manage(scope, plan)

    def may_set_expectations(self, scope: Scope, plan: WorkPlan) -> bool:
        return scope.manages_all or self.may_decide(scope, plan)


class ObjectivePolicy(Policy[Objective]):
    model = Objective

    def read(self, scope: Scope) -> ColumnElement[bool]:
        if scope.sees_all:
            return true()
        return Objective.work_plan_id.in_(plans.ids(plans.read(scope)))

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        if scope.manages_all:
            return true()
        return Objective.work_plan_id.in_(plans.ids(plans.manage(scope)))

    def cascade_parents(self, scope: Scope) -> ColumnElement[bool]:
        """Objectives one may cascade from: those of the supervisors of the people whose
        plans one writes (the exact supervisor of a plan is checked when it is saved)."""
        if scope.manages_all:
            return true()
        writable_owners = select(WorkPlan.employee_id).where(plans.manage(scope))
        own = select(Employee.position_id).where(
            or_(Employee.id.in_(writable_owners), Employee.id == scope.employee_id)
        )
        bosses = select(Position.supervisor_id).where(Position.id.in_(own))
        boss_people = select(Employee.id).where(Employee.position_id.in_(bosses))
        return Objective.work_plan_id.in_(
            select(WorkPlan.id).where(WorkPlan.employee_id.in_(boss_people))
        )


class IndicatorPolicy(Policy[Indicator]):
    model = Indicator

    def read(self, scope: Scope) -> ColumnElement[bool]:
        if scope.sees_all:
            return true()
        return Indicator.objective_id.in_(objectives.ids(objectives.read(scope)))

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        if scope.manages_all:
            return true()
        return Indicator.objective_id.in_(objectives.ids(objectives.manage(scope)))


class PlanTemplatePolicy(Policy[PlanTemplate]):
    model = PlanTemplate

    def read(self, scope: Scope) -> ColumnElement[bool]:
        """All (Admin, Integrator); those of positions in one's units (Operator); those of
        one's own position (employee)."""
        if scope.sees_all:
            return true()
        conditions: list[ColumnElement[bool]] = []
        if scope.is_operator:
            conditions.append(PlanTemplate.position_id.in_(positions.ids(positions.manage(scope))))
        if scope.is_employee and scope.employee_position_id is not None:
            conditions.append(PlanTemplate.position_id == scope.employee_position_id)
        return any_of(conditions)

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        if scope.manages_all:
            return true()
        if not scope.is_operator:
            return false()
        return PlanTemplate.position_id.in_(positions.ids(positions.manage(scope)))


class TemplateObjectivePolicy(Policy[TemplateObjective]):
    model = TemplateObjective

    def read(self, scope: Scope) -> ColumnElement[bool]:
        return TemplateObjective.template_id.in_(templates.ids(templates.read(scope)))

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        return TemplateObjective.template_id.in_(templates.ids(templates.manage(scope)))


class TemplateIndicatorPolicy(Policy[TemplateIndicator]):
    model = TemplateIndicator

    def read(self, scope: Scope) -> ColumnElement[bool]:
        return TemplateIndicator.objective_id.in_(
            template_objectives.ids(template_objectives.read(scope))
        )

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        return TemplateIndicator.objective_id.in_(
            template_objectives.ids(template_objectives.manage(scope))
        )


periods = PeriodPolicy()
sub_periods = SubPeriodPolicy()
plans = WorkPlanPolicy()
objectives = ObjectivePolicy()
indicators = IndicatorPolicy()
templates = PlanTemplatePolicy()
template_objectives = TemplateObjectivePolicy()
template_indicators = TemplateIndicatorPolicy()
