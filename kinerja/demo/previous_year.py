"""The demo's previous year, closed, for every unit: approved plans, four quarters' reports
and the annual evaluation for most planners (some only evaluated quarterly, a few never),
a spread of predikat per unit that follows its unit predikat (a few units clearly break
their curve), the unit predikat set for most units, and the year's ratings computed by the
ratings job's use case before the period is closed.

Set-based (:mod:`.previous_plans`, :mod:`.previous_reports`), seeded and idempotent: a year
that exists already is left as it is. Spreads and texts are in previous_year.toml and
previous_goals.toml. A large demo keeps a bounded sample of each unit's people
(``max_planners``), so that ``--employees 100000`` adds seconds, not minutes.

The ratings are computed inside the demo's transaction, by
:func:`kinerja.services.ratings.compute.compute_period_ratings` itself rather than by
asking for a run (``request_ratings``): a requested run starts after the commit, and the
period must still be open when it runs — a closed period's ratings never change.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from datetime import date, timedelta

from sqlalchemy import select

from kinerja.demo.bulk import analyze, write_rows
from kinerja.demo.moments import Moments
from kinerja.demo.performance_data import plan_texts
from kinerja.demo.previous_curve import (
    Member,
    Target,
    UnitYear,
    draw_story,
    draw_style,
    unit_year,
)
from kinerja.demo.previous_outcomes import Line, Planner, Year, play_year
from kinerja.demo.previous_people import (
    Person,
    active_people,
    choose_planners,
    ensure_evaluator_logins,
)
from kinerja.demo.previous_plans import YearPlanRows, write_plans
from kinerja.demo.previous_reports import SubPeriodRow, write_reports
from kinerja.demo.previous_year_data import EvaluatorStyle, Story, YearPlan, year_plan
from kinerja.domain.planning import Cadence, Direction, ObjectiveKind, default_direction
from kinerja.domain.ratings import Level, unit_head_results
from kinerja.extensions import db
from kinerja.models.planning import (
    BehaviourValue,
    Indicator,
    Objective,
    Period,
    SubPeriod,
    WorkPlan,
    WorkPlanVersion,
)
from kinerja.models.ratings import UnitRating
from kinerja.models.reports import (
    BehaviourRating,
    Evaluation,
    IndicatorLevel,
    Realization,
    Report,
)
from kinerja.security.policies import SYSTEM
from kinerja.services.plans.periods import advance_period, save_period
from kinerja.services.ratings.compute import compute_period_ratings
from kinerja.services.reports.achievement import thresholds

UNRATED = Target(Level.AS_EXPECTED, Level.AS_EXPECTED)
# The tables the year fills, which the ratings job reads next.
WRITTEN = (
    WorkPlan,
    Objective,
    Indicator,
    WorkPlanVersion,
    Report,
    Realization,
    Evaluation,
    BehaviourRating,
    IndicatorLevel,
    UnitRating,
    SubPeriod,
)


def load_previous_year(year: int, always: Collection[int]) -> bool:
    """Make ``year`` (see the module's docstring) unless it exists; whether it was made.
    The employees ``always`` (the demo logins' people) plan and complete their year."""
    if db.session.scalar(select(Period.id).where(Period.year == year)) is not None:
        return False
    plan = year_plan()
    rng = random.Random(plan.seed)  # noqa: S311 - demo data, not secrets
    name = plan_texts().period_name.format(year=year)
    period = Period(year=year, name=name, cadence=Cadence.QUARTERLY)
    save_period(period, SYSTEM)  # opened as the Admin would, then run
    advance_period(period, SYSTEM)
    people = active_people()
    planners = choose_planners(rng, plan, people, always)
    by_id = {p.employee_id: p for p in people}
    evaluators = sorted({p.evaluator_id for p in planners if p.evaluator_id is not None})
    users = ensure_evaluator_logins([by_id[e] for e in evaluators])
    users |= {p.employee_id: p.user_id for p in planners if p.user_id is not None}
    plans = write_plans(rng, period.id, period.name, year, planners, users)
    breaking = _breaking_units(rng, plan, planners)
    stories = {
        p.employee_id: plan.complete
        if p.employee_id in always or p.unit_id in breaking
        else draw_story(rng, plan)
        for p in planners
    }
    units = _unit_years(rng, plan, planners, stories, breaking)
    styles = {e: draw_style(rng, plan) for e in evaluators}
    years = _play(rng, plan, plans, stories, units, styles)
    write_reports(rng, year, plans, years, _sub_periods(period.id), _value_ids(), users, plan.texts)
    _unit_ratings(rng, period.id, year, plan, units, plans, users)
    db.session.flush()
    analyze([t.__table__ for t in WRITTEN])
    compute_period_ratings(period.id, None, SYSTEM)
    advance_period(period, SYSTEM)  # evaluation
    advance_period(period, SYSTEM)  # closed
    db.session.flush()
    db.session.expire_all()  # employees' logins were set in bulk
    return True


def _breaking_units(rng: random.Random, plan: YearPlan, planners: Sequence[Person]) -> set[int]:
    """The units that break their curve: those named, and a share of those with four
    planners or more. Their evaluators also rated every quarter and the year of everyone."""
    sizes: dict[int, int] = {}
    codes: dict[int, str] = {}
    for person in planners:
        sizes[person.unit_id] = sizes.get(person.unit_id, 0) + 1
        codes[person.unit_id] = person.unit_code
    drawn = {unit_id: rng.random() < plan.breaking_share for unit_id in sorted(sizes)}
    return {
        unit_id
        for unit_id, size in sizes.items()
        if codes[unit_id] in plan.breaking_units or (drawn[unit_id] and size >= 4)
    }


def _unit_years(
    rng: random.Random,
    plan: YearPlan,
    planners: Sequence[Person],
    stories: Mapping[int, Story],
    breaking: Collection[int],
) -> dict[int, UnitYear]:
    members: dict[int, list[Member]] = {}
    for p in planners:
        members.setdefault(p.unit_id, []).append(
            Member(p.employee_id, p.is_head, stories[p.employee_id])
        )
    return {
        unit_id: unit_year(rng, plan, members[unit_id], unit_id in breaking)
        for unit_id in sorted(members)
    }


def _lines(plan: YearPlanRows) -> tuple[Line, ...]:
    return tuple(
        Line(
            target=goal.indicators[index].target,
            unit=goal.indicators[index].unit,
            accumulation=goal.indicators[index].accumulation,
            less_is_better=default_direction(goal.indicators[index].aspect)
            == Direction.LESS_IS_BETTER,
            main=goal.kind == ObjectiveKind.MAIN,
        )
        for goal, index, _ in plan.lines()
    )


def _play(
    rng: random.Random,
    plan: YearPlan,
    plans: Mapping[int, YearPlanRows],
    stories: Mapping[int, Story],
    units: Mapping[int, UnitYear],
    styles: Mapping[int, EvaluatorStyle],
) -> dict[int, Year]:
    """Each planner's year. A planner never evaluated reports as expected (no level of
    theirs is ever read); the top of the chain, rated by nobody here, by the first style."""
    limits = thresholds()
    value_count = len(_value_ids())
    years = {}
    for employee_id, rows in plans.items():
        person, unit = rows.person, units[rows.person.unit_id]
        head = None
        if person.is_head and unit.unit_predikat is not None:
            head = unit_head_results(unit.unit_predikat)
        who = Planner(
            lines=_lines(rows),
            story=stories[employee_id],
            target=unit.targets.get(employee_id, UNRATED),
            style=styles.get(person.evaluator_id or 0, plan.evaluators[0]),
            head_results=head,
            value_count=value_count,
        )
        years[employee_id] = play_year(rng, who, limits)
    return years


def _value_ids() -> list[int]:
    order = (BehaviourValue.order, BehaviourValue.id)
    return list(db.session.scalars(select(BehaviourValue.id).order_by(*order)))


def _sub_periods(period_id: int) -> list[SubPeriodRow]:
    return [
        SubPeriodRow(s.id, s.number, s.name, s.ends_on, bool(s.annual), s.period_id)
        for s in db.session.scalars(
            select(SubPeriod).where(SubPeriod.period_id == period_id).order_by(SubPeriod.number)
        )
    ]


def _unit_ratings(
    rng: random.Random,
    period_id: int,
    year: int,
    plan: YearPlan,
    units: Mapping[int, UnitYear],
    plans: Mapping[int, YearPlanRows],
    users: Mapping[int, int],
) -> None:
    """The unit predikat, set by the head's evaluator in January (none for a few units)."""
    moments = Moments(rng)
    setter = {
        p.person.unit_id: users.get(p.person.evaluator_id or 0)
        for p in plans.values()
        if p.person.is_head
    }
    rows = []
    for unit_id, unit in units.items():
        if unit.unit_predikat is None:
            continue
        moment = moments.on(date(year + 1, 1, 5) + timedelta(days=rng.randint(0, 9)))
        rows.append(
            {
                "unit_id": unit_id,
                "period_id": period_id,
                "predikat": unit.unit_predikat.value,
                "note": plan.texts.unit_note[unit.unit_predikat].format(year=year),
                "set_by_id": setter.get(unit_id),
                "created_at": moment,
                "updated_at": moment,
            }
        )
    write_rows(UnitRating.__table__, rows)
