"""Who draws the recaps (the predikat recap handed to payroll for TPP, and the unit recaps of
ratings, IKM and training JP), and over which units.

The recaps are the BKPSDM's documents: the Admin draws them for every unit, the Integrator
(payroll, national sync) reads them all, an Operator draws them for their units' subtree.
Supervisors and employees read their own and their team's rows on their own screens; a
recap of whole units is not theirs, so they are refused outright (403), not handed an
empty file.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, select, true

from kinerja.domain.errors import AccessDenied
from kinerja.models.org import Employee, Unit
from kinerja.models.trees import unit_subtree_ids
from kinerja.security.policies.scope import Scope


class RecapPolicy:
    """Recaps cover units, not rows of one model: the policy says who may draw one and
    which units (hence whose people) it may hold."""

    def may_draw(self, scope: Scope) -> bool:
        return scope.sees_all or scope.is_operator

    def check_draw(self, scope: Scope) -> None:
        if not self.may_draw(scope):
            raise AccessDenied()

    def units(self, scope: Scope) -> ColumnElement[bool]:
        """Units a recap of ``scope`` may hold (a condition on :class:`Unit`)."""
        if scope.sees_all:
            return true()
        if scope.is_operator:
            return Unit.id.in_(unit_subtree_ids(scope.operator_unit_id or 0))
        return false()

    def unit_ids(self, scope: Scope, within: int | None = None) -> Select[tuple[int]]:
        """Ids of those units, limited to the subtree of ``within`` when given."""
        condition = self.units(scope)
        if within is not None:
            condition = condition & Unit.id.in_(unit_subtree_ids(within))
        return select(Unit.id).where(condition)

    def people(self, scope: Scope, within: int | None = None) -> ColumnElement[bool]:
        """Employees a recap may list: those placed in its units (a condition on
        :class:`Employee`)."""
        return Employee.unit_id.in_(self.unit_ids(scope, within))


recaps = RecapPolicy()
