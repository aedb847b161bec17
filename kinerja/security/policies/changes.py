"""Who sees which entry of the change feed.

An entry of a row that still exists is seen by whoever may read that row now (the row's
own policy decides, as in its list). A tombstone — the row is gone — is decided by the
scope keys the change log kept: the Admin and the Integrator see every one; others see the
tombstones of unscoped resources (periods, the competency dictionary and the training
catalogue), of rows of people they may still read (a plan, a report, an activity, an
assessment…), of rows placed in units they may read (units, positions and their competency
standards, survey services, surveys and their indices: whoever reads the unit reads them),
and an Operator every tombstone of their units' subtree (the public's answers included).
A supervisor is not told of a deleted employee record (people are deactivated, not
deleted, in practice).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, true

from kinerja.models.changes import UNSCOPED, Change
from kinerja.models.org import Unit
from kinerja.models.trees import unit_subtree_ids
from kinerja.security.policies.base import any_of
from kinerja.security.policies.org import employees, units
from kinerja.security.policies.scope import Scope

ORG_PLACES = ("unit", "position")
# Resources whose rows are read by whoever reads the unit they are placed in.
UNIT_PLACED = (*ORG_PLACES, "position_competency", "service", "survey", "survey_result")


def tombstones(scope: Scope) -> ColumnElement[bool]:
    """The delete entries ``scope`` may see (see the module's docstring)."""
    if scope.sees_all:
        return true()
    readable_units = select(Unit.id).where(units.read(scope))
    conditions: list[ColumnElement[bool]] = [
        Change.resource.in_(UNSCOPED),
        Change.employee_id.in_(employees.readable_ids(scope)),
        Change.resource.in_(UNIT_PLACED) & Change.unit_id.in_(readable_units),
    ]
    if scope.is_operator:
        conditions.append(Change.unit_id.in_(unit_subtree_ids(scope.operator_unit_id or 0)))
    return any_of(conditions)
