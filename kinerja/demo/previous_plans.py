"""The plans (SKP) of the demo's previous year, set-based: each planner's plan drawn from
previous_goals.toml for their position kind, approved by their evaluator as version 1 with
its snapshot, the objectives cascading from the evaluator's plan where there is one.

Ids are taken ahead, so that an objective names its parent (the evaluator's objective)
as it is written; objectives go in down the chain of evaluators (a parent first), then the
indicators, versions and the plans' history. The snapshot has the shape that
:func:`kinerja.services.plans.history.snapshot` gives an approved plan (a test compares
them), made here from the rows just written instead of loading thousands of plans back.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from kinerja.demo.bulk import new_ids, write_rows, write_with_ids
from kinerja.demo.moments import Moments
from kinerja.demo.performance_data import plan_texts
from kinerja.demo.previous_people import Person
from kinerja.demo.previous_year_data import GoalObjective, goal_variants
from kinerja.domain.annex import ANNEX_FIELDS
from kinerja.domain.planning import ObjectiveKind, PlanStatus, default_direction
from kinerja.models.planning import Indicator, Objective, WorkPlan, WorkPlanEvent, WorkPlanVersion


@dataclass
class YearPlanRows:
    """One planner's plan as written: ids and moments the reports build on."""

    person: Person
    goals: tuple[GoalObjective, ...]
    created_at: datetime
    submitted_at: datetime
    approved_at: datetime
    plan_id: int = 0
    objective_ids: list[int] = field(default_factory=list)  # in the goals' order
    indicator_ids: list[list[int]] = field(default_factory=list)  # per objective

    def lines(self) -> list[tuple[GoalObjective, int, int]]:
        """(objective, indicator index, indicator id) in the plan's order."""
        return [
            (goal, index, ids[index])
            for goal, ids in zip(self.goals, self.indicator_ids, strict=True)
            for index in range(len(goal.indicators))
        ]


def write_plans(
    rng: random.Random,
    period_id: int,
    period_name: str,
    year: int,
    planners: list[Person],
    users: Mapping[int, int],
) -> dict[int, YearPlanRows]:
    """Every planner's approved plan; by employee id."""
    moments = Moments(rng)
    plans: dict[int, YearPlanRows] = {}
    rows = []
    for person in planners:
        goals = rng.choice(goal_variants()[person.kind])
        created = moments.on(date(year, 1, 2) + timedelta(days=rng.randint(0, 14)))
        submitted = moments.after(created, 1, 5)
        approved = moments.after(submitted, 1, 6)
        plans[person.employee_id] = YearPlanRows(person, goals, created, submitted, approved)
        rows.append(
            {
                "period_id": period_id,
                "employee_id": person.employee_id,
                "position_id": person.position_id,
                "unit_id": person.unit_id,
                "status": PlanStatus.APPROVED.value,
                "version": 1,
                "submitted_at": submitted,
                "decided_at": approved,
                "decided_by_id": users.get(person.evaluator_id or 0),
                "created_at": created,
                "updated_at": approved,
            }
        )
    for plan, plan_id in zip(plans.values(), write_with_ids(WorkPlan.__table__, rows), strict=True):
        plan.plan_id = plan_id
    _objectives(plans)
    _indicators(plans)
    _versions(plans, period_name, users)
    return plans


def _depth(plans: Mapping[int, YearPlanRows], employee_id: int) -> int:
    """How many planners rate above this one (their objectives go in first)."""
    depth, seen = 0, {employee_id}
    boss = plans[employee_id].person.evaluator_id
    while boss is not None and boss in plans and boss not in seen:
        seen.add(boss)
        depth, boss = depth + 1, plans[boss].person.evaluator_id
    return depth


def _objectives(plans: dict[int, YearPlanRows]) -> None:
    """Every objective with its evaluator's objective as parent: ids taken first, rows
    written down the chain (a parent before the objectives cascading from it)."""
    ordered = sorted(plans.values(), key=lambda plan: _depth(plans, plan.person.employee_id))
    ids = iter(new_ids(Objective.__table__, sum(len(plan.goals) for plan in ordered)))
    for plan in ordered:
        plan.objective_ids = [next(ids) for _ in plan.goals]
    strategic_goal = plan_texts().strategic_goal
    rows = []
    for plan in ordered:
        boss = plans.get(plan.person.evaluator_id or 0)
        top = plan.person.evaluator_id is None
        for order, (goal, objective_id) in enumerate(
            zip(plan.goals, plan.objective_ids, strict=True)
        ):
            parent = None
            if boss is not None and goal.parent is not None:
                parent = boss.objective_ids[min(goal.parent, len(boss.objective_ids) - 1)]
            rows.append(
                {
                    "id": objective_id,
                    "work_plan_id": plan.plan_id,
                    "kind": goal.kind.value,
                    "text": goal.text.format(unit=plan.person.unit_name),
                    "parent_id": parent,
                    "strategic_goal": strategic_goal if top else None,
                    "order": order,
                    "created_at": plan.approved_at,
                    "updated_at": plan.approved_at,
                }
            )
    write_rows(Objective.__table__, rows)


def _indicators(plans: dict[int, YearPlanRows]) -> None:
    rows = [
        {
            "objective_id": objective_id,
            "text": item.text.format(unit=plan.person.unit_name),
            "aspect": item.aspect.value,
            "qualitative": item.qualitative,
            "target": item.target,
            "unit": item.unit,
            "direction": default_direction(item.aspect).value,
            "accumulation": item.accumulation.value,
            "order": order,
            "created_at": plan.approved_at,
            "updated_at": plan.approved_at,
        }
        for plan in plans.values()
        for goal, objective_id in zip(plan.goals, plan.objective_ids, strict=True)
        for order, item in enumerate(goal.indicators)
    ]
    ids = iter(write_with_ids(Indicator.__table__, rows))
    for plan in plans.values():
        plan.indicator_ids = [[next(ids) for _ in goal.indicators] for goal in plan.goals]


def snapshot_of(
    plan: YearPlanRows, plans: Mapping[int, YearPlanRows], period: str
) -> dict[str, Any]:
    """The approved version's snapshot (the shape of ``history.snapshot``)."""
    person = plan.person
    boss = plans.get(person.evaluator_id or 0)
    objectives = []
    order = sorted(
        range(len(plan.goals)),
        key=lambda i: (plan.goals[i].kind != ObjectiveKind.MAIN, i),
    )
    for index in order:
        goal = plan.goals[index]
        parent = None
        if boss is not None and goal.parent is not None:
            at = min(goal.parent, len(boss.goals) - 1)
            parent = boss.goals[at].text.format(unit=boss.person.unit_name)
        objectives.append(
            {
                "id": plan.objective_ids[index],
                "kind": goal.kind.value,
                "text": goal.text.format(unit=person.unit_name),
                "parent": parent,
                "strategic_goal": plan_texts().strategic_goal
                if person.evaluator_id is None
                else None,
                "indicators": [
                    {
                        "id": indicator_id,
                        "text": item.text.format(unit=person.unit_name),
                        "aspect": item.aspect.value,
                        "qualitative": item.qualitative,
                        "target": str(item.target) if item.target is not None else None,
                        "unit": item.unit,
                        "direction": default_direction(item.aspect).value,
                        "accumulation": item.accumulation.value,
                    }
                    for item, indicator_id in zip(
                        goal.indicators, plan.indicator_ids[index], strict=True
                    )
                ],
            }
        )
    return {
        "version": 1,
        "period": period,
        "employee": {
            "name": person.name,
            "nip": person.nip,
            "position": person.position_name,
            "unit": person.unit_name,
        },
        "objectives": objectives,
        "expectations": {},
        "annex": dict.fromkeys(ANNEX_FIELDS),  # the demo's earlier plans have no lampiran
    }


def _versions(plans: dict[int, YearPlanRows], period: str, users: Mapping[int, int]) -> None:
    versions, events = [], []
    for plan in plans.values():
        approver = users.get(plan.person.evaluator_id or 0)
        owner = users.get(plan.person.employee_id)
        versions.append(
            {
                "work_plan_id": plan.plan_id,
                "version": 1,
                "approved_at": plan.approved_at,
                "approved_by_id": approver,
                "snapshot": snapshot_of(plan, plans, period),
                "created_at": plan.approved_at,
                "updated_at": plan.approved_at,
            }
        )
        steps = (
            ("created", owner, plan.created_at),
            ("submitted", owner, plan.submitted_at),
            ("approved", approver, plan.approved_at),
        )
        for action, actor, moment in steps:
            events.append(
                {
                    "work_plan_id": plan.plan_id,
                    "action": action,
                    "version": 1,
                    "actor_id": actor,
                    "on_behalf": False,
                    "created_at": moment,
                    "updated_at": moment,
                }
            )
    write_rows(WorkPlanVersion.__table__, versions)
    write_rows(WorkPlanEvent.__table__, events)
