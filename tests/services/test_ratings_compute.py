"""The ratings of a period (kinerja/services/ratings/compute.py): provisional and final,
qualitative indicators, the unit head's suggestion, the explanation, plans under revision,
and idempotence — a second run rewrites nothing, two runs at once leave one rating each."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from kinerja.domain.planning import Aspect, PlanStatus
from kinerja.domain.ratings import Level, UnitPredikat
from kinerja.extensions import db
from kinerja.models.planning import Indicator
from kinerja.models.ratings import DistributionCheck, Rating
from kinerja.models.reports import Realization
from kinerja.security.policies import SYSTEM
from kinerja.services.ratings.compute import compute_period_ratings
from tests.factories import Org
from tests.ratings_factories import (
    QUALITATIVE,
    Spec,
    annual,
    evaluate,
    indicators,
    open_period,
    plan,
    ratings_by_employee,
    regular,
    report,
    set_unit_predikat,
)

QUANTITY = Spec(Aspect.QUANTITY, 12)  # summed
TIME = Spec(Aspect.TIME, 10)  # averaged, less is better
QUALITY = Spec(Aspect.QUALITY, 90, main=False)  # its last value


def _year(work_plan: Any, period: Any, values: list[list[Any]]) -> list[Any]:
    """One report per regular sub-period, realizations by indicator in plan order."""
    return [report(work_plan, q, row) for q, row in zip(regular(period), values, strict=True)]


def _rate(period: Any) -> dict[int, Rating]:
    compute_period_ratings(period.id, None, SYSTEM)
    return ratings_by_employee(period)


def test_provisional_from_the_suggestion_then_final_from_the_annual_evaluation(org: Org) -> None:
    period = open_period()
    work_plan = plan(org.employees.epid1, period, [QUANTITY, TIME, QUALITY])
    # quantity 13 of 12 (108.33 %), time on average 9.5 days for 10 (105 %), quality last 92
    # of 90 (102.22 %): two of three above, no main indicator below → above
    reports = _year(work_plan, period, [[3, 8, 80], [3, 9, 85], [3, 10, None], [4, 11, 92]])
    evaluate(reports[1], Level.AS_EXPECTED, Level.ABOVE, values=Level.AS_EXPECTED)
    evaluate(reports[2], Level.BELOW, Level.BELOW, decided=False)  # a draft does not count

    rating = _rate(period)[org.employees.epid1.id]
    assert (rating.final, rating.suggested_results, rating.results) == (False, "above", "above")
    assert (rating.behaviour, rating.suggested_behaviour, rating.predikat) == (
        "above",
        "as_expected",
        "sangat_baik",
    )
    assert rating.explanation["source"] == "periodic"

    row = report(work_plan, annual(period), [None, None, None])
    evaluate(row, Level.AS_EXPECTED, Level.AS_EXPECTED, values=Level.ABOVE)
    rating = _rate(period)[org.employees.epid1.id]
    assert (rating.final, rating.results, rating.behaviour, rating.predikat) == (
        True,
        "as_expected",
        "as_expected",
        "baik",
    )
    assert (rating.suggested_results, rating.suggested_behaviour) == ("above", "above")
    assert rating.explanation["source"] == "annual"
    assert rating.explanation["results"] == {"suggested": "above", "given": "as_expected"}
    assert rating.explanation["behaviour"] == {"suggested": "above", "given": "as_expected"}


def test_without_an_approved_evaluation_a_rating_has_no_predikat_yet(org: Org) -> None:
    period = open_period()
    work_plan = plan(org.employees.epid1, period, [QUANTITY])
    _year(work_plan, period, [[3], [3], [3], [3]])
    rating = _rate(period)[org.employees.epid1.id]
    assert (rating.final, rating.suggested_results, rating.behaviour, rating.predikat) == (
        False,
        "as_expected",
        None,
        None,
    )
    assert rating.explanation["source"] is None


def test_a_qualitative_indicator_counts_its_latest_given_level(org: Org) -> None:
    period = open_period()
    work_plan = plan(org.employees.epid1, period, [QUALITATIVE, QUANTITY])
    qualitative, quantity = (i.id for i in indicators(work_plan))
    reports = _year(work_plan, period, [[None, 3], [None, 3], [None, 3], [None, 4]])
    evaluate(reports[0], Level.AS_EXPECTED, Level.AS_EXPECTED, levels={qualitative: Level.BELOW})
    rating = _rate(period)[org.employees.epid1.id]
    # above (108 %) and a main indicator below: no majority, and above would be blocked
    assert rating.suggested_results == "as_expected"
    assert rating.explanation["main_below"] == [{"id": qualitative, "achievement": None}]

    row = report(work_plan, annual(period), [None, None])
    evaluate(row, Level.ABOVE, Level.AS_EXPECTED, levels={qualitative: Level.ABOVE})
    rating = _rate(period)[org.employees.epid1.id]
    assert rating.suggested_results == "above"  # the annual evaluation's level: both above
    assert (rating.explanation["counted"], rating.explanation["above"]) == (2, 2)
    assert rating.explanation["strongest"] == {"id": quantity, "achievement": 108.33}


def test_a_qualitative_indicator_without_a_given_level_is_not_counted(org: Org) -> None:
    period = open_period()
    work_plan = plan(org.employees.epid1, period, [QUALITATIVE, QUANTITY])
    _year(work_plan, period, [[None, 3], [None, 3], [None, 3], [None, 4]])
    rating = _rate(period)[org.employees.epid1.id]
    assert rating.suggested_results == "above"
    assert (rating.explanation["counted"], rating.explanation["unreported"]) == (1, 1)


def test_a_unit_head_is_suggested_what_the_unit_predikat_says(org: Org) -> None:
    period = open_period()
    head = plan(org.employees.kasi_surv, period, [QUANTITY])
    staff = plan(org.employees.epid1, period, [QUANTITY])
    for work_plan in (head, staff):
        _year(work_plan, period, [[3], [3], [3], [4]])  # 108 %: above by the indicators
    ratings = _rate(period)
    assert ratings[org.employees.kasi_surv.id].suggested_results == "above"  # none set yet

    set_unit_predikat(org.units.surv, period, UnitPredikat.BUTUH_PERBAIKAN)
    ratings = _rate(period)
    head_rating = ratings[org.employees.kasi_surv.id]
    assert head_rating.suggested_results == "below"
    assert head_rating.explanation["indicator_results"] == "above"
    assert head_rating.explanation["unit_predikat"] == "butuh_perbaikan"
    assert ratings[org.employees.epid1.id].suggested_results == "above"  # staff: indicators
    assert ratings[org.employees.epid1.id].explanation["unit_predikat"] is None


def test_the_explanation_names_what_drove_the_rating(org: Org) -> None:
    period = open_period()
    specs = [
        Spec(Aspect.QUANTITY, 10),
        Spec(Aspect.QUALITY, 90),
        Spec(Aspect.COST, 100, main=False),
    ]
    work_plan = plan(org.employees.epid1, period, specs)
    quantity, quality, cost = (i.id for i in indicators(work_plan))
    reports = _year(work_plan, period, [[1, 80, 25], [1, 90, 25], [1, 95, 25], [2, 99, 25]])
    evaluate(reports[3], Level.ABOVE, Level.AS_EXPECTED, values=Level.BELOW)
    explanation = _rate(period)[org.employees.epid1.id].explanation
    assert explanation == {
        "source": "periodic",
        "evaluation": explanation["evaluation"],
        "counted": 3,
        "above": 1,
        "as_expected": 1,
        "below": 1,
        "unreported": 0,
        "main_below": [{"id": quantity, "achievement": 50.0}],
        "strongest": {"id": quality, "achievement": 110.0},
        "weakest": {"id": quantity, "achievement": 50.0},
        "indicator_results": "as_expected",
        "unit_predikat": None,
        "results": {"suggested": "as_expected", "given": "above"},
        "behaviour": {"suggested": "below", "given": "as_expected"},
    }
    assert cost  # 100 of 100, less is better: as expected


def test_a_plan_under_revision_is_rated_by_its_approved_version(org: Org) -> None:
    period = open_period()
    work_plan = plan(org.employees.epid1, period, [QUANTITY])
    _year(work_plan, period, [[3], [3], [3], [4]])
    before = _rate(period)[org.employees.epid1.id]
    stamp = (before.updated_at, before.suggested_results, dict(before.explanation))
    work_plan.status, work_plan.version = PlanStatus.DRAFT, 2  # a revision is drafted…
    indicators(work_plan)[0].target = Decimal(100)  # …with another target
    db.session.commit()
    after = _rate(period)[org.employees.epid1.id]
    assert (after.updated_at, after.suggested_results, after.explanation) == stamp


def _stamps() -> dict[tuple[str, int], Any]:
    db.session.expire_all()
    rows = {("rating", r.id): r.updated_at for r in db.session.scalars(select(Rating))}
    rows.update(
        {("check", c.id): c.updated_at for c in db.session.scalars(select(DistributionCheck))}
    )
    return rows


def _three_rated(org: Org) -> Any:
    period = open_period()
    for employee in (org.employees.epid1, org.employees.epid2, org.employees.kasi_surv):
        work_plan = plan(employee, period, [QUANTITY, TIME])
        reports = _year(work_plan, period, [[3, 9], [3, 10], [3, 11], [3, 10]])
        evaluate(reports[3], Level.AS_EXPECTED, Level.AS_EXPECTED)
    return period


def test_a_second_run_with_the_same_data_rewrites_nothing(org: Org) -> None:
    period = _three_rated(org)
    first = compute_period_ratings(period.id, None, SYSTEM)
    before = _stamps()
    second = compute_period_ratings(period.id, None, SYSTEM)
    assert (first.changed, first.checks_changed) == (3, 1)
    assert (second.changed, second.checks_changed) == (0, 0)
    assert _stamps() == before

    time_indicator = db.session.scalar(
        select(Indicator).where(Indicator.aspect == Aspect.TIME).order_by(Indicator.id)
    )
    realization = next(r for r in _realizations(time_indicator.id))
    realization.value = Decimal(30)  # one employee's year gets much slower
    db.session.commit()
    third = compute_period_ratings(period.id, None, SYSTEM)
    changed = {key for key, stamp in _stamps().items() if before[key] != stamp}
    assert third.changed == 1
    assert ("rating", _rating_of_indicator(time_indicator).id) in changed
    assert len([key for key in changed if key[0] == "rating"]) == 1


def _realizations(indicator_id: int) -> list[Any]:
    return list(
        db.session.scalars(select(Realization).where(Realization.indicator_id == indicator_id))
    )


def _rating_of_indicator(indicator: Indicator) -> Rating:
    return db.session.scalar(
        select(Rating).where(Rating.work_plan_id == indicator.objective.work_plan_id)
    )


def test_two_runs_at_once_leave_one_rating_per_employee(app: Flask, org: Org) -> None:
    period_id = _three_rated(org).id
    both = threading.Barrier(2, timeout=20)
    outcomes: list[Any] = []

    def run() -> None:
        with app.app_context():
            both.wait()
            try:
                outcomes.append(compute_period_ratings(period_id, None, SYSTEM))
            except Exception as exc:
                outcomes.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(not isinstance(outcome, Exception) for outcome in outcomes), outcomes
    assert sorted(outcome.changed for outcome in outcomes) == [0, 3]  # one after the other
    counted = db.session.execute(
        select(Rating.employee_id, func.count()).group_by(Rating.employee_id)
    ).all()
    assert sorted(n for _, n in counted) == [1, 1, 1]
    assert db.session.scalar(select(func.count()).select_from(DistributionCheck)) == 1
