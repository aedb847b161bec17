"""FAB filters: row-level access from the policies, and the search filters of the lists.

Access filters take the condition from :mod:`kinerja.security.policies`; nothing here
decides who may see what. ``[["id", ReadFilter, None]]`` restricts a view to the rows the
person may read; :func:`condition_filter` wraps any other policy condition (a dropdown's
choices, the supervisor's queue).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import g
from flask_appbuilder.models.filters import BaseFilter
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, false

from kinerja.extensions import db
from kinerja.models.org import Unit
from kinerja.models.trees import unit_subtree_ids, units_matching
from kinerja.security.current import current_scope
from kinerja.security.policies import policy_for
from kinerja.security.policies.scope import Scope, one_of
from kinerja.views.params import parse_pk

Condition = Callable[[Scope], ColumnElement[bool]]
FilterList = list[list[Any]]


class ReadFilter(BaseFilter):
    """Rows the person may read: the base filter of every list, show, ``_info`` and export."""

    name = "readable"

    def apply(self, query: Any, value: Any) -> Any:
        return query.filter(policy_for(self.model).read(current_scope()))


class ManageFilter(BaseFilter):
    """Rows the person may change, or choose in a form."""

    name = "manageable"

    def apply(self, query: Any, value: Any) -> Any:
        return query.filter(policy_for(self.model).manage(current_scope()))


class ConditionFilter(BaseFilter):
    """Rows meeting the policy condition given as the filter's value."""

    name = "policy"

    def apply(self, query: Any, value: Condition) -> Any:
        return query.filter(value(current_scope()))


READABLE: FilterList = [["id", ReadFilter, None]]
MANAGEABLE: FilterList = [["id", ManageFilter, None]]


def condition_filter(condition: Condition) -> FilterList:
    """The ``[[column, filter, value]]`` list FAB expects, for a policy condition."""
    return [["id", ConditionFilter, condition]]


class FilterInUnitTree(BaseFilter):
    """Search filter: the row's unit is the chosen unit or one of its sub-units."""

    name = _l("In unit (with sub-units)")
    arg_name = "in_unit_tree"
    value_kind = "id"

    def apply(self, query: Any, value: Any) -> Any:
        unit_id = parse_pk(getattr(value, "id", value))
        if unit_id is None:
            return query.filter(false())
        column = self.model.id if self.model is Unit else self.model.unit_id
        return query.filter(one_of(column, subtree_listed(unit_id)))


def subtree_listed(unit_id: int) -> tuple[int, ...]:
    """The unit and its sub-units, listed (one query; the Operator's own tree is known
    already): PostgreSQL plans a list of ids for the rows it really matches, where it can
    only guess at a recursive query's."""
    scope = current_scope()
    if scope.operator_unit_id == unit_id and scope.operator_subtree is not None:
        return scope.operator_subtree
    listed: dict[int, tuple[int, ...]] = g.setdefault("_kinerja_subtrees", {})
    if unit_id not in listed:  # the list's count and its page filter alike
        listed[unit_id] = tuple(db.session.scalars(unit_subtree_ids(unit_id)))
    return listed[unit_id]


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
    value_kind = "any"

    def apply(self, query: Any, value: Any) -> Any:
        member = _enum_member(self.model, self.column_name, value)
        column = getattr(self.model, self.column_name)
        return query.filter(column == member) if member is not None else query.filter(false())


class FilterEnumIsNot(BaseFilter):
    name = _l("Not Equal to")
    arg_name = "neq"
    value_kind = "any"

    def apply(self, query: Any, value: Any) -> Any:
        member = _enum_member(self.model, self.column_name, value)
        column = getattr(self.model, self.column_name)
        return query.filter(column != member) if member is not None else query
