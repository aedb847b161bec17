"""The set-based part of the ratings job: the ratings of many approved plans computed by one
``INSERT … SELECT … ON CONFLICT DO UPDATE`` (SQLAlchemy Core, for PostgreSQL and SQLite).

The SELECT is a chain of CTEs, one per step of the rules (domain.md, *Annual evaluation and
the period rating*):

1. ``rated_plans`` — the approved plans in reach, with the unit predikat of heads;
2. (before it, in a statement of its own: :mod:`kinerja.services.ratings.totals`) every
   realization of the regular sub-periods accumulated per indicator;
3. ``given_levels`` — the level a qualitative indicator was last given in an approved
   evaluation;
4. ``indicator_lines`` — achievement (less-is-better too) and level per indicator;
5. ``plan_counts`` — per plan: levels counted, main indicators below, strongest and weakest;
6. ``latest_evaluations`` and ``value_votes`` — the latest approved evaluation (the annual one
   once approved) and the suggestion of its value ratings;
7. ``rating_suggestions`` and ``rating_levels`` — suggested and decided levels.

A rating that would not change is left out before the INSERT, and the UPDATE of a row
written meanwhile happens only where a value or the explanation differs: a second run with
the same data writes (and locks) no row. Plans under revision are rated from their
approved version by :mod:`kinerja.services.ratings.reference`, through the same upsert.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Insert, Select, and_, case, false, func, literal, null, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import CTE

from kinerja.domain.planning import Accumulation, Direction, ObjectiveKind, PlanStatus
from kinerja.domain.ratings import Level
from kinerja.models.org import Position
from kinerja.models.planning import Indicator, Objective, SubPeriod, WorkPlan
from kinerja.models.ratings import Rating, UnitRating
from kinerja.models.reports import BehaviourRating, Evaluation, IndicatorLevel, Report
from kinerja.services.ratings import sql
from kinerja.services.ratings import totals as indicator_totals
from kinerja.services.ratings.sql import HUNDRED, Json, code
from kinerja.services.ratings.upsert import (
    INSERT_COLUMNS,
    Stamp,
    differs,
    on_conflict,
    stamp_columns,
    upsert,
)


def rate_approved_plans(
    stamp: Stamp, plans_where: Sequence[ColumnElement[bool]], dialect_name: str
) -> Insert:
    """The statement rating the approved plans of the period meeting ``plans_where``; the
    indicator totals must be in their table (:func:`kinerja.services.ratings.totals.create`).
    Ratings that would not change are left out before the insert, so that they are neither
    written nor even locked."""
    json = Json(dialect_name)
    computed = rating_rows(stamp, plans_where, json).subquery("computed_ratings")
    stored = Rating.__table__.alias("stored_rating")
    rows = (
        select(*[computed.c[name] for name in INSERT_COLUMNS])
        .outerjoin(
            stored,
            and_(
                stored.c.employee_id == computed.c.employee_id,
                stored.c.period_id == computed.c.period_id,
            ),
        )
        .where(or_(stored.c.id.is_(None), differs(stored.c, computed.c, json)))
    )
    statement = upsert(dialect_name).from_select(list(INSERT_COLUMNS), rows)
    return on_conflict(statement, json)


def plan_conditions(stamp: Stamp, plans_where: Sequence[ColumnElement[bool]]) -> list[Any]:
    """The approved plans of the period meeting ``plans_where``."""
    return [
        WorkPlan.period_id == stamp.period_id,
        WorkPlan.status == PlanStatus.APPROVED,
        *plans_where,
    ]


def of_rated_plans(stamp: Stamp, plans_where: Sequence[ColumnElement[bool]]) -> Any:
    """``report.work_plan_id`` among the rated plans, as a subquery on ``work_plan`` itself
    (not on the CTE: PostgreSQL then estimates it, and hashes instead of looping)."""
    return Report.work_plan_id.in_(select(WorkPlan.id).where(*plan_conditions(stamp, plans_where)))


def _rated_plans(stamp: Stamp, plans_where: Sequence[ColumnElement[bool]]) -> CTE:
    return (
        select(
            WorkPlan.id.label("plan_id"),
            WorkPlan.employee_id,
            WorkPlan.unit_id,
            UnitRating.predikat.label("unit_predikat"),
        )
        .select_from(WorkPlan)
        .outerjoin(Position, and_(Position.id == WorkPlan.position_id, Position.is_head.is_(True)))
        .outerjoin(
            UnitRating,
            and_(UnitRating.unit_id == Position.unit_id, UnitRating.period_id == stamp.period_id),
        )
        .where(*plan_conditions(stamp, plans_where))
        .cte("rated_plans")
    )


def _given_levels(of_plans: Any) -> CTE:
    latest_first = func.row_number().over(
        partition_by=IndicatorLevel.indicator_id, order_by=SubPeriod.number.desc()
    )
    return (
        select(IndicatorLevel.indicator_id, IndicatorLevel.level, latest_first.label("rank"))
        .join(Evaluation, Evaluation.id == IndicatorLevel.evaluation_id)
        .join(Report, Report.id == Evaluation.report_id)
        .join(SubPeriod, SubPeriod.id == Report.sub_period_id)
        .where(of_plans, Evaluation.decided_at.is_not(None))
        .cte("given_levels")
    )


def _achievement(totals: Any, dialect_name: str) -> ColumnElement[Any]:
    """:func:`kinerja.domain.ratings.achievement` of the accumulated realization against
    the annual target; an average divides once, as ``total / (count × target)``."""
    accumulation = Indicator.accumulation
    realized = func.coalesce(
        _when(accumulation == Accumulation.LAST, sql.unpacked_value(totals.c.latest)),
        totals.c.total,
    )
    count = func.coalesce(_when(accumulation == Accumulation.AVERAGE, totals.c.reported), 1)
    goal = count * sql.as_stored(Indicator.target, dialect_name)
    more = realized * HUNDRED / goal
    less = (2 * goal - realized) * HUNDRED / goal
    percent = _choose(Indicator.direction == Direction.LESS_IS_BETTER, less, more)
    clamped = _choose(percent < 0, literal(0), percent)
    return _when(totals.c.reported > 0, func.round(clamped, 2))


def _when(condition: ColumnElement[bool], value: Any) -> ColumnElement[Any]:
    return _choose(condition, value, null())


def _choose(condition: Any, yes: Any, no: Any) -> ColumnElement[Any]:
    return case((condition, yes), else_=no)


def _indicator_lines(stamp: Stamp, plans: CTE, given: CTE, json: Json) -> CTE:
    totals = indicator_totals.TOTALS
    achievement = _achievement(totals, "postgresql" if json.postgresql else "sqlite")
    measured = (
        select(
            Objective.work_plan_id.label("plan_id"),
            Indicator.id,
            (Objective.kind == ObjectiveKind.MAIN).label("main"),
            Indicator.target.is_(None).label("qualitative"),
            given.c.level.label("given_level"),
            _when(Indicator.target.is_not(None), achievement).label("achievement"),
        )
        .join(Objective, Objective.id == Indicator.objective_id)
        .join(plans, plans.c.plan_id == Objective.work_plan_id)
        .outerjoin(totals, totals.c.indicator_id == Indicator.id)
        .outerjoin(given, and_(given.c.indicator_id == Indicator.id, given.c.rank == 1))
        .cte("indicator_measures")
    )
    level = _choose(
        measured.c.qualitative,
        measured.c.given_level,
        sql.indicator_level(measured.c.achievement, stamp.above_at, stamp.expected_at),
    )
    # One sort ranks both ends: the weakest first (a tie: the later indicator), the
    # strongest last (a tie: the earlier one), among the indicators with an achievement.
    ranked = (measured.c.plan_id, measured.c.achievement.is_(None))
    ranking = (measured.c.achievement, measured.c.id.desc())
    main_below = json.array_window(
        _mark_of(json, measured.c),
        measured.c.main & (level == code(Level.BELOW)),
        measured.c.plan_id,
        measured.c.id,
    )
    return select(
        measured.c.plan_id,
        measured.c.id,
        measured.c.main,
        measured.c.achievement,
        level.label("level"),
        func.row_number().over(partition_by=ranked, order_by=ranking).label("rank"),
        func.count().over(partition_by=ranked).label("ranked"),
        main_below.label("main_below_list"),
    ).cte("indicator_lines")


def _mark_of(json: Json, line: Any) -> ColumnElement[Any]:
    """An indicator in the explanation: ``{"id", "achievement"}``."""
    return json.object(("id", line.id), ("achievement", line.achievement))


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


def _plan_counts(lines: CTE, json: Json) -> CTE:
    level = lines.c.level
    measured = lines.c.achievement.is_not(None)
    strongest = (lines.c.rank == lines.c.ranked) & measured
    weakest = (lines.c.rank == 1) & measured
    main_below = lines.c.main & (level == code(Level.BELOW))
    return (
        select(
            lines.c.plan_id,
            func.count(level).label("counted"),
            _count(level == code(Level.ABOVE)).label("above"),
            _count(level == code(Level.AS_EXPECTED)).label("as_expected"),
            _count(level == code(Level.BELOW)).label("below"),
            (func.count() - func.count(level)).label("unreported"),
            _count(main_below).label("main_below"),
            json.array(
                _mark_of(json, lines.c), lines.c.id, main_below, lines.c.main_below_list
            ).label("main_below_list"),
            func.max(_when(strongest, lines.c.id)).label("strongest_id"),
            func.max(_when(strongest, lines.c.achievement)).label("strongest_achievement"),
            func.max(_when(weakest, lines.c.id)).label("weakest_id"),
            func.max(_when(weakest, lines.c.achievement)).label("weakest_achievement"),
        )
        .group_by(lines.c.plan_id)
        .cte("plan_counts")
    )


def _latest_evaluations(of_plans: Any) -> CTE:
    latest_first = func.row_number().over(
        partition_by=Report.work_plan_id, order_by=SubPeriod.number.desc()
    )
    approved = (
        select(
            Report.work_plan_id.label("plan_id"),
            Evaluation.id.label("evaluation_id"),
            Evaluation.results,
            Evaluation.behaviour,
            Evaluation.suggested_behaviour,
            SubPeriod.annual,
            latest_first.label("rank"),
        )
        .join(Report, Report.id == Evaluation.report_id)
        .join(SubPeriod, SubPeriod.id == Report.sub_period_id)
        .where(of_plans, Evaluation.decided_at.is_not(None))
        .cte("approved_evaluations")
    )
    return select(approved).where(approved.c.rank == 1).cte("latest_evaluations")


def _value_votes(latest: CTE) -> CTE:
    level = BehaviourRating.level
    return (
        select(
            BehaviourRating.evaluation_id,
            func.count().label("rated"),
            _count(level == Level.ABOVE).label("above"),
            _count(level == Level.BELOW).label("below"),
        )
        .where(BehaviourRating.evaluation_id.in_(select(latest.c.evaluation_id)))
        .group_by(BehaviourRating.evaluation_id)
        .cte("value_votes")
    )


def _suggestions(stamp: Stamp, json: Json, plans_where: Sequence[ColumnElement[bool]]) -> CTE:
    plans = _rated_plans(stamp, plans_where)
    of_plans = of_rated_plans(stamp, plans_where)
    lines = _indicator_lines(stamp, plans, _given_levels(of_plans), json)
    counts = _plan_counts(lines, json)
    latest = _latest_evaluations(of_plans)
    votes = _value_votes(latest)
    numbers = {
        name: func.coalesce(counts.c[name], 0).label(name)
        for name in ("counted", "above", "as_expected", "below", "unreported", "main_below")
    }
    from_indicators = sql.majority(
        numbers["above"], numbers["below"], numbers["counted"], numbers["main_below"] > 0
    )
    from_values = sql.majority(votes.c.above, votes.c.below, votes.c.rated, false())
    return (
        select(
            plans.c.plan_id,
            plans.c.employee_id,
            plans.c.unit_id,
            plans.c.unit_predikat,
            *numbers.values(),
            counts.c.main_below_list,
            counts.c.strongest_id,
            counts.c.strongest_achievement,
            counts.c.weakest_id,
            counts.c.weakest_achievement,
            latest.c.evaluation_id,
            latest.c.annual,
            latest.c.results.label("given_results"),
            latest.c.behaviour.label("given_behaviour"),
            from_indicators.label("indicator_results"),
            func.coalesce(sql.head_results(plans.c.unit_predikat), from_indicators).label(
                "suggested_results"
            ),
            _choose(votes.c.rated > 0, from_values, latest.c.suggested_behaviour).label(
                "suggested_behaviour"
            ),
            func.coalesce(latest.c.annual, false()).label("final"),
        )
        .select_from(plans)
        .outerjoin(counts, counts.c.plan_id == plans.c.plan_id)
        .outerjoin(latest, latest.c.plan_id == plans.c.plan_id)
        .outerjoin(votes, votes.c.evaluation_id == latest.c.evaluation_id)
        .cte("rating_suggestions")
    )


def rating_rows(
    stamp: Stamp, plans_where: Sequence[ColumnElement[bool]], json: Json
) -> Select[Any]:
    """One row per approved plan in reach, in the order of :data:`INSERT_COLUMNS`."""
    s = _suggestions(stamp, json, plans_where)
    levels = select(
        s,
        _choose(
            s.c.final,
            func.coalesce(s.c.given_results, s.c.suggested_results),
            s.c.suggested_results,
        ).label("results"),
        func.coalesce(s.c.given_behaviour, s.c.suggested_behaviour).label("behaviour"),
    ).cte("rating_levels")
    c = levels.c
    explanation = json.object(
        (
            "source",
            _choose(
                c.annual, code("annual"), _when(c.evaluation_id.is_not(None), code("periodic"))
            ),
        ),
        ("evaluation", c.evaluation_id),
        ("counted", c.counted),
        ("above", c.above),
        ("as_expected", c.as_expected),
        ("below", c.below),
        ("unreported", c.unreported),
        ("main_below", json.embed(func.coalesce(c.main_below_list, json.empty()))),
        ("strongest", _mark(json, c.strongest_id, c.strongest_achievement)),
        ("weakest", _mark(json, c.weakest_id, c.weakest_achievement)),
        ("indicator_results", c.indicator_results),
        ("unit_predikat", c.unit_predikat),
        ("results", json.object(("suggested", c.suggested_results), ("given", c.given_results))),
        (
            "behaviour",
            json.object(("suggested", c.suggested_behaviour), ("given", c.given_behaviour)),
        ),
    )
    return select(
        c.employee_id,
        literal(stamp.period_id).label("period_id"),
        c.plan_id.label("work_plan_id"),
        c.unit_id,
        c.final,
        sql.predikat_of(c.results, c.behaviour).label("predikat"),
        c.results,
        c.behaviour,
        c.suggested_results,
        c.suggested_behaviour,
        explanation.label("explanation"),
        *stamp_columns(stamp),
    )


def _mark(json: Json, indicator_id: Any, achievement: Any) -> ColumnElement[Any]:
    found = json.object(("id", indicator_id), ("achievement", achievement))
    return json.embed(_when(indicator_id.is_not(None), found))
