"""Access to ratings: employees' period ratings, units' own predikat and the distribution
checks.

* A rating is read like its owner's reports: the employee their own, supervisors their
  team's (any depth), the Operator their units', Admin and Integrator all. It changes only
  through the ratings job.
* Ratings are (re)computed for the whole period by the Admin, for their units' subtree by
  an Operator (the *Hitung predikat* action and its API call).
* A unit's predikat and its distribution check are read by the Operator of the unit, the
  supervisors of its people, Admin and Integrator; the unit predikat is set by the Admin or
  by the holder of the position that supervises the unit's head.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, select, true

from kinerja.models.org import Employee, Position, Unit
from kinerja.models.ratings import DistributionCheck, Rating, UnitRating
from kinerja.models.trees import subordinate_position_ids, unit_subtree_ids
from kinerja.security.policies.base import Policy
from kinerja.security.policies.org import employees, roles_add_up
from kinerja.security.policies.scope import Scope


def _units_in_sight(scope: Scope) -> ColumnElement[bool]:
    """Units whose ratings as a whole one follows: one's units (Operator), the units of the
    people one supervises (any depth); Admin and Integrator all."""
    return roles_add_up(
        scope,
        operator=lambda s: Unit.id.in_(unit_subtree_ids(s.operator_unit_id or 0)),
        employee=lambda s: false(),
        supervisor=lambda s: Unit.id.in_(
            select(Employee.unit_id).where(
                Employee.position_id.in_(subordinate_position_ids(s.employee_position_id or 0))
            )
        ),
    )


def _unit_ids_in_sight(scope: Scope) -> Select[tuple[int]]:
    return select(Unit.id).where(_units_in_sight(scope))


class RatingPolicy(Policy[Rating]):
    model = Rating

    def read(self, scope: Scope) -> ColumnElement[bool]:
        if scope.sees_all:
            return true()
        return Rating.employee_id.in_(employees.readable_ids(scope))

    def may_compute_all(self, scope: Scope) -> bool:
        """Whether one computes the ratings of every unit at once (the Admin)."""
        return scope.manages_all

    def computable_units(self, scope: Scope) -> ColumnElement[bool]:
        """Units whose employees' ratings one may (re)compute: all (Admin), one's units and
        everything below them (Operator)."""
        if scope.manages_all:
            return true()
        if scope.is_operator:
            return Unit.id.in_(unit_subtree_ids(scope.operator_unit_id or 0))
        return false()


class UnitRatingPolicy(Policy[UnitRating]):
    model = UnitRating

    def read(self, scope: Scope) -> ColumnElement[bool]:
        if scope.sees_all:
            return true()
        return UnitRating.unit_id.in_(select(Unit.id).where(self.units(scope)))

    def units(self, scope: Scope) -> ColumnElement[bool]:
        """Units whose predikat one reads (a condition on :class:`Unit`): those in sight,
        and those one sets (a unit whose head position is vacant has nobody in sight)."""
        if scope.sees_all:
            return true()
        return _units_in_sight(scope) | self.settable_units(scope)

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        return UnitRating.unit_id.in_(select(Unit.id).where(self.settable_units(scope)))

    def settable_units(self, scope: Scope) -> ColumnElement[bool]:
        """Units whose predikat one sets: all (Admin); those whose head one supervises."""
        if scope.manages_all:
            return true()
        if scope.employee_position_id is None:
            return false()
        return Unit.id.in_(
            select(Position.unit_id).where(
                Position.is_head.is_(True),
                Position.active.is_(True),
                Position.supervisor_id == scope.employee_position_id,
            )
        )


class DistributionCheckPolicy(Policy[DistributionCheck]):
    """Checks are written by the ratings job only."""

    model = DistributionCheck

    def read(self, scope: Scope) -> ColumnElement[bool]:
        if scope.sees_all:
            return true()
        return DistributionCheck.unit_id.in_(_unit_ids_in_sight(scope))


ratings = RatingPolicy()
unit_ratings = UnitRatingPolicy()
distribution_checks = DistributionCheckPolicy()
