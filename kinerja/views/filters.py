"""FAB filters that apply the row-level scopes of :mod:`kinerja.security.scopes`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_appbuilder.models.filters import BaseFilter
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, false, func, or_, select

from kinerja.models.org import Employee, Position, Unit
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
from kinerja.models.reports import (
    Activity,
    DialogueNote,
    Evaluation,
    Evidence,
    Realization,
    Report,
)
from kinerja.security.current import current_scope
from kinerja.security.scopes import (
    Scope,
    _cte_name,
    activity_condition,
    activity_manage_condition,
    admin_only,
    cascade_parent_condition,
    employee_condition,
    evaluation_condition,
    indicator_condition,
    indicator_manage_condition,
    managed_employee_condition,
    managed_position_condition,
    managed_unit_condition,
    objective_condition,
    objective_manage_condition,
    own_indicator_condition,
    plan_condition,
    plan_manage_condition,
    plan_owner_condition,
    position_condition,
    report_condition,
    report_decide_condition,
    report_manage_condition,
    report_part_condition,
    report_part_manage_condition,
    signed_in,
    supervisor_choice_condition,
    template_condition,
    template_manage_condition,
    unit_condition,
    unit_subtree_ids,
)

Condition = Callable[[Scope], ColumnElement[bool]]

READ_CONDITIONS: dict[type, Condition] = {
    Unit: unit_condition,
    Position: position_condition,
    Employee: employee_condition,
    Period: signed_in,
    SubPeriod: signed_in,
    WorkPlan: plan_condition,
    Objective: objective_condition,
    Indicator: indicator_condition,
    PlanTemplate: template_condition,
    TemplateObjective: lambda scope: TemplateObjective.template_id.in_(
        select(PlanTemplate.id).where(template_condition(scope))
    ),
    TemplateIndicator: lambda scope: TemplateIndicator.objective_id.in_(
        select(TemplateObjective.id).join(PlanTemplate).where(template_condition(scope))
    ),
    Activity: activity_condition,
    Report: report_condition,
    Realization: lambda scope: report_part_condition(Realization, scope),
    Evidence: lambda scope: report_part_condition(Evidence, scope),
    DialogueNote: lambda scope: report_part_condition(DialogueNote, scope),
    Evaluation: evaluation_condition,
}
MANAGE_CONDITIONS: dict[type, Condition] = {
    Unit: managed_unit_condition,
    Position: managed_position_condition,
    Employee: managed_employee_condition,
    Period: admin_only,
    SubPeriod: admin_only,
    WorkPlan: plan_manage_condition,
    Objective: objective_manage_condition,
    Indicator: indicator_manage_condition,
    PlanTemplate: template_manage_condition,
    TemplateObjective: lambda scope: TemplateObjective.template_id.in_(
        select(PlanTemplate.id).where(template_manage_condition(scope))
    ),
    TemplateIndicator: lambda scope: TemplateIndicator.objective_id.in_(
        select(TemplateObjective.id).join(PlanTemplate).where(template_manage_condition(scope))
    ),
    Activity: activity_manage_condition,
    Report: report_manage_condition,
    Realization: lambda scope: report_part_manage_condition(Realization, scope),
    Evidence: lambda scope: report_part_manage_condition(Evidence, scope),
    DialogueNote: lambda scope: false(),  # notes are kept as written
    Evaluation: lambda scope: false(),  # changed only through the evaluation itself
}


class _ConditionFilter(BaseFilter):
    """Restricts a query of the filter's model by a scope condition of the current person."""

    name = "scope"
    conditions: dict[type, Condition] = {}

    def apply(self, query: Any, value: Any) -> Any:
        return query.filter(self.conditions[self.model](current_scope()))


class ReadScopeFilter(_ConditionFilter):
    """Rows the person may see: base filter of every list, show, ``_info`` and export."""

    conditions = READ_CONDITIONS


class ManageScopeFilter(_ConditionFilter):
    """Rows the person may change or choose in a form."""

    conditions = MANAGE_CONDITIONS


class SupervisorChoiceFilter(_ConditionFilter):
    conditions = {Position: supervisor_choice_condition}


def scope_filter(filter_class: type[_ConditionFilter]) -> list[list[Any]]:
    """The ``[[column, filter, value]]`` list FAB expects for base filters and dropdowns."""
    return [["id", filter_class, None]]


class FilterInUnitTree(BaseFilter):
    """Search filter: the row's unit is the chosen unit or one of its sub-units."""

    name = _l("In unit (with sub-units)")
    arg_name = "in_unit_tree"

    def apply(self, query: Any, value: Any) -> Any:
        unit_id = getattr(value, "id", value)
        try:
            unit_id = int(unit_id)
        except (TypeError, ValueError):
            return query
        column = self.model.id if self.model is Unit else self.model.unit_id
        return query.filter(column.in_(unit_subtree_ids(unit_id)))


def units_matching(text: str) -> Any:
    """Ids of units whose code is ``text`` or whose name contains it, with their sub-units."""
    text = text.strip()
    roots = (
        select(Unit.id)
        .where(or_(func.lower(Unit.code) == text.lower(), Unit.name.ilike(f"%{text}%")))
        .cte(_cte_name("matched_units"), recursive=True)
    )
    child = Unit.__table__.alias("child_unit")
    tree = roots.union(select(child.c.id).where(child.c.parent_id == roots.c.id))
    return select(tree.c.id)


class FilterUnitText(BaseFilter):
    """Search filter typed as text: unit code or part of its name, sub-units included."""

    name = _l("Unit code or name (with sub-units)")
    arg_name = "unit_text"

    def apply(self, query: Any, value: Any) -> Any:
        text = str(value or "").strip()
        if not text:
            return query
        column = self.model.id if self.model is Unit else self.model.unit_id
        return query.filter(column.in_(units_matching(text)))


class FilterRelatedName(BaseFilter):
    """Search filter typed as text: the related row's name contains it."""

    name = _l("Name contains")
    arg_name = "rel_name_ct"

    def apply(self, query: Any, value: Any) -> Any:
        text = str(value or "").strip()
        if not text:
            return query
        relation = getattr(self.model, self.column_name)
        target = relation.property.mapper.class_
        return query.filter(relation.has(target.name.ilike(f"%{text}%")))


def _enum_member(model: Any, column: str, value: Any) -> Any:
    enum_class = getattr(model, column).property.columns[0].type.enum_class
    try:
        return enum_class(value)
    except ValueError:
        return None


class FilterEnumIs(BaseFilter):
    """Enum equality that treats an unknown value as matching nothing (FAB's would fail)."""

    name = _l("Equal to")
    arg_name = "eq"

    def apply(self, query: Any, value: Any) -> Any:
        member = _enum_member(self.model, self.column_name, value)
        column = getattr(self.model, self.column_name)
        return query.filter(column == member) if member is not None else query.filter(false())


class FilterEnumIsNot(BaseFilter):
    name = _l("Not Equal to")
    arg_name = "neq"

    def apply(self, query: Any, value: Any) -> Any:
        member = _enum_member(self.model, self.column_name, value)
        column = getattr(self.model, self.column_name)
        return query.filter(column != member) if member is not None else query


class PlanOwnerFilter(_ConditionFilter):
    """Employees one may start a plan for (oneself; an Operator's people)."""

    conditions = {Employee: plan_owner_condition}


class OpenPeriodFilter(_ConditionFilter):
    conditions = {Period: lambda scope: Period.status != "closed"}


class CascadeParentFilter(_ConditionFilter):
    """Objectives one may cascade from (the supervisors' of the plans one writes)."""

    conditions = {Objective: cascade_parent_condition}


class DecideScopeFilter(_ConditionFilter):
    """Reports one evaluates (the direct supervisor's queue)."""

    conditions = {Report: report_decide_condition}


class OwnIndicatorFilter(_ConditionFilter):
    """Indicators of one's own plans in open periods (what an activity may count towards)."""

    conditions = {Indicator: own_indicator_condition}
