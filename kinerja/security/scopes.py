"""Row-level access: which units, positions and employees a person may see or manage.

One place builds the SQL conditions for every role; views, related-field dropdowns,
``_info``, exports, the API and use cases all apply them. Roles add up: an Operator who is
also an Employee sees the union of both scopes.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, false, or_, select, true
from sqlalchemy.orm import aliased

from kinerja.extensions import db
from kinerja.models.org import Employee, Position, Unit
from kinerja.security import roles


@dataclass(frozen=True)
class Scope:
    """What one person may reach; computed once per request from their roles and records."""

    user_id: int | None
    role_names: frozenset[str]
    operator_unit_id: int | None = None
    employee_id: int | None = None
    employee_unit_id: int | None = None
    employee_position_id: int | None = None

    @property
    def sees_all(self) -> bool:
        return bool(self.role_names & {roles.ADMIN, roles.INTEGRATOR})

    @property
    def manages_all(self) -> bool:
        return roles.ADMIN in self.role_names

    @property
    def is_operator(self) -> bool:
        return roles.OPERATOR in self.role_names and self.operator_unit_id is not None

    @property
    def is_supervisor(self) -> bool:
        return roles.SUPERVISOR in self.role_names and self.employee_position_id is not None

    @property
    def is_employee(self) -> bool:
        return bool(self.role_names & {roles.EMPLOYEE, roles.SUPERVISOR}) and (
            self.employee_id is not None
        )


SYSTEM = Scope(user_id=None, role_names=frozenset({roles.ADMIN}))
"""The scope of jobs, the CLI and seeding: everything."""


def scope_for_user(user: object | None) -> Scope:
    """Build the scope of a FAB user (anonymous or ``None`` sees nothing)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Scope(user_id=None, role_names=frozenset())
    role_names = frozenset(role.name for role in getattr(user, "roles", []))
    with db.session.no_autoflush:  # never flush a half-built row while asking who this is
        row = db.session.execute(
            select(Employee.id, Employee.unit_id, Employee.position_id).where(
                Employee.user_id == user.id, Employee.active.is_(True)
            )
        ).first()
    return Scope(
        user_id=user.id,
        role_names=role_names,
        operator_unit_id=getattr(user, "operator_unit_id", None),
        employee_id=row.id if row else None,
        employee_unit_id=row.unit_id if row else None,
        employee_position_id=row.position_id if row else None,
    )


# --- tree queries -------------------------------------------------------------------------

_cte_names = itertools.count()


def _cte_name(prefix: str) -> str:
    """A fresh CTE name: one statement may hold several tree queries (scope and a filter)."""
    return f"{prefix}_{next(_cte_names) % 1_000_000}"


def unit_subtree_ids(root_id: int) -> Select:
    """Ids of ``root_id`` and every unit below it (recursive CTE, any depth; UNION, not
    UNION ALL, so even a corrupted cyclic tree terminates)."""
    tree = select(Unit.id).where(Unit.id == root_id).cte(_cte_name("unit_subtree"), recursive=True)
    child = aliased(Unit)
    tree = tree.union(select(child.id).where(child.parent_id == tree.c.id))
    return select(tree.c.id)


def unit_ancestor_ids(unit_id: int) -> Select:
    """Ids of ``unit_id`` and all units above it."""
    up = (
        select(Unit.id, Unit.parent_id)
        .where(Unit.id == unit_id)
        .cte(_cte_name("unit_ancestors"), recursive=True)
    )
    parent = aliased(Unit)
    up = up.union(select(parent.id, parent.parent_id).where(parent.id == up.c.parent_id))
    return select(up.c.id)


def subordinate_position_ids(position_id: int) -> Select:
    """Ids of positions supervised, directly or indirectly, by ``position_id`` (not itself)."""
    down = (
        select(Position.id)
        .where(Position.supervisor_id == position_id)
        .cte(_cte_name("position_subtree"), recursive=True)
    )
    child = aliased(Position)
    down = down.union(select(child.id).where(child.supervisor_id == down.c.id))
    return select(down.c.id)


def supervisor_chain_ids(position_id: int) -> Select:
    """Ids of ``position_id`` and every position above it in the supervision chain."""
    up = (
        select(Position.id, Position.supervisor_id)
        .where(Position.id == position_id)
        .cte(_cte_name("position_chain"), recursive=True)
    )
    boss = aliased(Position)
    up = up.union(select(boss.id, boss.supervisor_id).where(boss.id == up.c.supervisor_id))
    return select(up.c.id)


# --- read scopes ----------------------------------------------------------------------------


def _any(conditions: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    return or_(*conditions) if conditions else false()


def unit_condition(scope: Scope) -> ColumnElement[bool]:
    if scope.sees_all:
        return true()
    conditions: list[ColumnElement[bool]] = []
    if scope.is_operator:
        conditions.append(Unit.id.in_(unit_subtree_ids(scope.operator_unit_id)))
    if scope.is_employee:
        conditions.append(Unit.id == scope.employee_unit_id)
    if scope.is_supervisor:
        conditions.append(
            Unit.id.in_(
                select(Employee.unit_id).where(
                    Employee.position_id.in_(subordinate_position_ids(scope.employee_position_id))
                )
            )
        )
    return _any(conditions)


def position_condition(scope: Scope) -> ColumnElement[bool]:
    if scope.sees_all:
        return true()
    conditions: list[ColumnElement[bool]] = []
    if scope.is_operator:
        conditions.append(Position.unit_id.in_(unit_subtree_ids(scope.operator_unit_id)))
    if scope.is_employee:
        conditions.append(Position.unit_id == scope.employee_unit_id)
    if scope.is_supervisor:
        conditions.append(Position.id.in_(subordinate_position_ids(scope.employee_position_id)))
    return _any(conditions)


def employee_condition(scope: Scope) -> ColumnElement[bool]:
    if scope.sees_all:
        return true()
    conditions: list[ColumnElement[bool]] = []
    if scope.is_operator:
        conditions.append(Employee.unit_id.in_(unit_subtree_ids(scope.operator_unit_id)))
    if scope.is_employee:
        conditions.append(Employee.id == scope.employee_id)
    if scope.is_supervisor:
        conditions.append(
            Employee.position_id.in_(subordinate_position_ids(scope.employee_position_id))
        )
    return _any(conditions)


# --- manage scopes (add, edit, delete, and the choices offered in forms) --------------------


def managed_unit_condition(scope: Scope, *, include_root: bool = True) -> ColumnElement[bool]:
    """Units a person may place things in. An Operator's own top unit is theirs to fill but
    not to edit or move (that belongs to BKPSDM), hence ``include_root``."""
    if scope.manages_all:
        return true()
    if not scope.is_operator:
        return false()
    subtree = Unit.id.in_(unit_subtree_ids(scope.operator_unit_id))
    return subtree if include_root else subtree & (Unit.id != scope.operator_unit_id)


def managed_position_condition(scope: Scope) -> ColumnElement[bool]:
    if scope.manages_all:
        return true()
    if not scope.is_operator:
        return false()
    return Position.unit_id.in_(unit_subtree_ids(scope.operator_unit_id))


def supervisor_choice_condition(scope: Scope) -> ColumnElement[bool]:
    """Positions that may supervise a managed position: those in the subtree, plus those that
    already supervise one of them (the head of an OPD reports to the Sekda, outside it)."""
    if scope.manages_all:
        return true()
    if not scope.is_operator:
        return false()
    subtree = unit_subtree_ids(scope.operator_unit_id)
    return or_(
        Position.unit_id.in_(subtree),
        Position.id.in_(
            select(Position.supervisor_id).where(
                Position.unit_id.in_(subtree), Position.supervisor_id.is_not(None)
            )
        ),
    )


def managed_employee_condition(scope: Scope) -> ColumnElement[bool]:
    if scope.manages_all:
        return true()
    if not scope.is_operator:
        return false()
    return Employee.unit_id.in_(unit_subtree_ids(scope.operator_unit_id))


def is_within(condition: ColumnElement[bool], model: type, row_id: int | None) -> bool:
    """Whether the row ``row_id`` of ``model`` satisfies ``condition``."""
    if row_id is None:
        return False
    found = db.session.execute(select(model.id).where(model.id == row_id, condition)).first()
    return found is not None


# --- planning -------------------------------------------------------------------------------


def plan_condition(scope: Scope) -> ColumnElement[bool]:
    """Plans one may read: those of the employees one may read (own, subordinates, unit)."""
    from kinerja.models.planning import WorkPlan

    if scope.sees_all:
        return true()
    return WorkPlan.employee_id.in_(select(Employee.id).where(employee_condition(scope)))


def plan_manage_condition(scope: Scope) -> ColumnElement[bool]:
    """Plans whose content one may write: one's own, or (Operator) those in one's units."""
    from kinerja.models.planning import WorkPlan

    if scope.manages_all:
        return true()
    conditions: list[ColumnElement[bool]] = []
    if scope.is_employee:
        conditions.append(WorkPlan.employee_id == scope.employee_id)
    if scope.is_operator:
        conditions.append(
            WorkPlan.employee_id.in_(select(Employee.id).where(managed_employee_condition(scope)))
        )
    return _any(conditions)


def plan_owner_condition(scope: Scope) -> ColumnElement[bool]:
    """Employees one may start a plan for: oneself, and (Operator) those in one's units."""
    own = Employee.id == scope.employee_id if scope.is_employee else false()
    return or_(managed_employee_condition(scope), own)


def direct_subordinate_ids(position_id: int) -> Select:
    """Employees whose position the given position supervises directly."""
    return (
        select(Employee.id)
        .join(Position, Position.id == Employee.position_id)
        .where(Position.supervisor_id == position_id)
    )


def plan_decide_condition(scope: Scope) -> ColumnElement[bool]:
    """Plans one may approve or return: those of one's direct subordinates."""
    from kinerja.models.planning import WorkPlan

    if not scope.is_supervisor:
        return false()
    return WorkPlan.employee_id.in_(direct_subordinate_ids(scope.employee_position_id))


def objective_condition(scope: Scope) -> ColumnElement[bool]:
    from kinerja.models.planning import Objective, WorkPlan

    if scope.sees_all:
        return true()
    return Objective.work_plan_id.in_(select(WorkPlan.id).where(plan_condition(scope)))


def objective_manage_condition(scope: Scope) -> ColumnElement[bool]:
    from kinerja.models.planning import Objective, WorkPlan

    if scope.manages_all:
        return true()
    return Objective.work_plan_id.in_(select(WorkPlan.id).where(plan_manage_condition(scope)))


def indicator_condition(scope: Scope) -> ColumnElement[bool]:
    from kinerja.models.planning import Indicator, Objective

    if scope.sees_all:
        return true()
    return Indicator.objective_id.in_(select(Objective.id).where(objective_condition(scope)))


def indicator_manage_condition(scope: Scope) -> ColumnElement[bool]:
    from kinerja.models.planning import Indicator, Objective

    if scope.manages_all:
        return true()
    return Indicator.objective_id.in_(select(Objective.id).where(objective_manage_condition(scope)))


def supervisor_plan_ids(plan_id: int) -> Select:
    """Plans, in the same period, of whoever holds the position supervising the plan's owner."""
    from kinerja.models.planning import WorkPlan

    owner = aliased(Employee)
    own_position = aliased(Position)
    boss = aliased(Employee)
    this = aliased(WorkPlan)
    return (
        select(WorkPlan.id)
        .join(boss, boss.id == WorkPlan.employee_id)
        .join(own_position, own_position.supervisor_id == boss.position_id)
        .join(owner, owner.position_id == own_position.id)
        .join(this, (this.employee_id == owner.id) & (this.period_id == WorkPlan.period_id))
        .where(this.id == plan_id, boss.active.is_(True))
    )


def cascade_parent_condition(scope: Scope) -> ColumnElement[bool]:
    """Objectives one may cascade from: those of the supervisors of the people whose plans one
    writes (the exact supervisor of a plan is checked when it is saved)."""
    from kinerja.models.planning import Objective, WorkPlan

    if scope.manages_all:
        return true()
    writable_owners = select(WorkPlan.employee_id).where(plan_manage_condition(scope))
    own = select(Employee.position_id).where(
        or_(Employee.id.in_(writable_owners), Employee.id == scope.employee_id)
    )
    bosses = select(Position.supervisor_id).where(Position.id.in_(own))
    boss_people = select(Employee.id).where(Employee.position_id.in_(bosses))
    return Objective.work_plan_id.in_(
        select(WorkPlan.id).where(WorkPlan.employee_id.in_(boss_people))
    )


def template_condition(scope: Scope) -> ColumnElement[bool]:
    """Position templates one may see: all (Admin, Integrator), those of positions in one's
    units (Operator), those of one's own position (Employee)."""
    from kinerja.models.planning import PlanTemplate

    if scope.sees_all:
        return true()
    conditions: list[ColumnElement[bool]] = []
    if scope.is_operator:
        conditions.append(
            PlanTemplate.position_id.in_(
                select(Position.id).where(managed_position_condition(scope))
            )
        )
    if scope.is_employee and scope.employee_position_id is not None:
        conditions.append(PlanTemplate.position_id == scope.employee_position_id)
    return _any(conditions)


def template_manage_condition(scope: Scope) -> ColumnElement[bool]:
    from kinerja.models.planning import PlanTemplate

    if scope.manages_all:
        return true()
    if not scope.is_operator:
        return false()
    return PlanTemplate.position_id.in_(
        select(Position.id).where(managed_position_condition(scope))
    )


def signed_in(scope: Scope) -> ColumnElement[bool]:
    """Reference rows every signed-in person may read (periods, their sub-periods)."""
    return true() if scope.user_id is not None else false()


def admin_only(scope: Scope) -> ColumnElement[bool]:
    return true() if scope.manages_all else false()


# --- reporting ------------------------------------------------------------------------------


def readable_employee_ids(scope: Scope) -> Select:
    """Employees whose work one may read: own, subordinates (direct and indirect), unit."""
    return select(Employee.id).where(employee_condition(scope))


def report_condition(scope: Scope) -> ColumnElement[bool]:
    """Reports one may read: those of the employees one may read (as for plans)."""
    from kinerja.models.reports import Report

    if scope.sees_all:
        return true()
    return Report.employee_id.in_(readable_employee_ids(scope))


def report_manage_condition(scope: Scope) -> ColumnElement[bool]:
    """Reports whose realizations and evidence one may write: one's own, or (Operator) those
    in one's units, entered on the employee's behalf."""
    from kinerja.models.reports import Report

    if scope.manages_all:
        return true()
    conditions: list[ColumnElement[bool]] = []
    if scope.is_employee:
        conditions.append(Report.employee_id == scope.employee_id)
    if scope.is_operator:
        conditions.append(
            Report.employee_id.in_(select(Employee.id).where(managed_employee_condition(scope)))
        )
    return _any(conditions)


def report_decide_condition(scope: Scope) -> ColumnElement[bool]:
    """Reports one evaluates: those of one's direct subordinates."""
    from kinerja.models.reports import Report

    if not scope.is_supervisor:
        return false()
    return Report.employee_id.in_(direct_subordinate_ids(scope.employee_position_id))


def evaluation_condition(scope: Scope) -> ColumnElement[bool]:
    """Evaluations one may read: as the report, except that the employee sees their own only
    once it is decided (a supervisor's draft ratings are not theirs to read yet)."""
    from kinerja.models.reports import Evaluation

    if scope.sees_all:
        return true()
    others = Evaluation.employee_id.in_(readable_employee_ids(scope))
    if scope.employee_id is None:
        return others
    return or_(
        others & (Evaluation.employee_id != scope.employee_id),
        (Evaluation.employee_id == scope.employee_id) & Evaluation.decided_at.is_not(None),
    )


def report_part_condition(model: type, scope: Scope) -> ColumnElement[bool]:
    """Rows hanging off a report (realizations, evidence, notes): readable with the report."""
    from kinerja.models.reports import Report

    if scope.sees_all:
        return true()
    return model.report_id.in_(select(Report.id).where(report_condition(scope)))  # type: ignore[attr-defined]


def report_part_manage_condition(model: type, scope: Scope) -> ColumnElement[bool]:
    from kinerja.models.reports import Report

    if scope.manages_all:
        return true()
    return model.report_id.in_(select(Report.id).where(report_manage_condition(scope)))  # type: ignore[attr-defined]


def activity_condition(scope: Scope) -> ColumnElement[bool]:
    """Daily activities one may read: one's own, subordinates', one's units' (Operator)."""
    from kinerja.models.reports import Activity

    if scope.sees_all:
        return true()
    return Activity.employee_id.in_(readable_employee_ids(scope))


def activity_manage_condition(scope: Scope) -> ColumnElement[bool]:
    """The daily log is personal: only its owner (and the Admin) writes it."""
    from kinerja.models.reports import Activity

    if scope.manages_all:
        return true()
    if not scope.is_employee:
        return false()
    return Activity.employee_id == scope.employee_id


def team_employee_ids(scope: Scope) -> Select:
    """The people a supervisor follows day to day: direct and indirect subordinates."""
    if not scope.is_supervisor:
        return select(Employee.id).where(false())
    return select(Employee.id).where(
        Employee.position_id.in_(subordinate_position_ids(scope.employee_position_id)),
        Employee.active.is_(True),
    )


def own_indicator_condition(scope: Scope) -> ColumnElement[bool]:
    """Indicators an activity may be linked to: those of one's own plans in open periods."""
    from kinerja.models.planning import Indicator, Objective, Period, WorkPlan

    if not scope.is_employee:
        return false()
    return Indicator.objective_id.in_(
        select(Objective.id)
        .join(WorkPlan, WorkPlan.id == Objective.work_plan_id)
        .join(Period, Period.id == WorkPlan.period_id)
        .where(WorkPlan.employee_id == scope.employee_id, Period.status != "closed")
    )
