"""Whose ratings a run computes (the Admin all, an Operator their units' subtree), what it
refuses, and each unit's distribution checked against its unit predikat (Baik, said so,
where none is set)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from kinerja.domain.errors import AccessDenied, ConflictError, FieldErrors, NotFoundError
from kinerja.domain.planning import Aspect, PeriodStatus
from kinerja.domain.ratings import NO_UNIT_PREDIKAT, Level, UnitPredikat
from kinerja.extensions import db
from kinerja.models.ratings import DistributionCheck
from kinerja.security.policies import SYSTEM, scope_for_user
from kinerja.services.ratings.compute import compute_period_ratings
from kinerja.services.ratings.distribution import warning_message
from tests.factories import Org
from tests.ratings_factories import (
    Spec,
    evaluate,
    open_period,
    plan,
    ratings_by_employee,
    regular,
    report,
    set_unit_predikat,
)


def _rated_as_expected(period: Any, *people: Any) -> None:
    """A year exactly on target for each, evaluated as expected: Baik."""
    for employee in people:
        work_plan = plan(employee, period, [Spec(Aspect.QUANTITY, 12)])
        rows = [report(work_plan, q, [3]) for q in regular(period)]
        evaluate(rows[-1], Level.AS_EXPECTED, Level.AS_EXPECTED)


def _check(unit: Any) -> DistributionCheck:
    db.session.expire_all()
    return db.session.scalar(select(DistributionCheck).where(DistributionCheck.unit_id == unit.id))


def test_a_unit_without_predikat_is_checked_as_baik_and_says_so(org: Org) -> None:
    period = open_period()
    staff = org.employees
    _rated_as_expected(period, staff.epid1, staff.epid2, staff.kasi_surv)
    compute_period_ratings(period.id, None, SYSTEM)
    check = _check(org.units.surv)
    assert (check.unit_predikat, check.assumed, check.employees) == ("baik", True, 3)
    assert check.counts == {
        "sangat_baik": 0,
        "baik": 3,
        "butuh_perbaikan": 0,
        "kurang": 0,
        "sangat_kurang": 0,
    }
    messages = [warning_message(w) for w in check.warnings]
    assert messages[0].template == NO_UNIT_PREDIKAT
    assert [str(m) for m in messages] == [
        "No unit rating is set; the distribution was checked against “Good”.",
        "“Good” is 100.0 % of the employees (3 of 3); at most 70 % is expected for a unit "
        "rated “Good”.",
        "No employee is rated “Needs improvement” or “Poor/Misconduct”; at least one is "
        "expected for a unit rated “Good”.",
    ]
    assert check.warnings[1]["params"] == {
        "predikat": "baik",
        "unit": "baik",
        "count": 3,
        "total": 3,
        "percent": 100.0,
        "limit": 70,
    }

    set_unit_predikat(org.units.surv, period, UnitPredikat.ISTIMEWA)
    compute_period_ratings(period.id, None, SYSTEM)
    check = _check(org.units.surv)
    assert (check.unit_predikat, check.assumed, check.warnings) == ("istimewa", False, [])


def test_an_operator_rates_their_units_only(org: Org) -> None:
    period = open_period()
    _rated_as_expected(period, org.employees.epid1, org.employees.penguji)
    operator = scope_for_user(org.users.operator)  # Dinas Kesehatan
    run = compute_period_ratings(period.id, None, operator)
    assert (run.unit_id, run.rated) == (org.units.dinkes.id, 1)
    assert set(ratings_by_employee(period)) == {org.employees.epid1.id}
    with pytest.raises(FieldErrors) as refused:
        compute_period_ratings(period.id, org.units.dishub.id, operator)
    assert set(refused.value.errors) == {"unit"}
    run = compute_period_ratings(period.id, org.units.surv.id, operator)  # a sub-unit: fine
    assert run.rated == 1
    assert set(ratings_by_employee(period)) == {org.employees.epid1.id}


def test_only_the_admin_and_operators_compute_ratings(org: Org) -> None:
    period = open_period()
    for user in (org.users.supervisor, org.users.employee, org.users.integrator):
        with pytest.raises(AccessDenied):
            compute_period_ratings(period.id, None, scope_for_user(user))
        with pytest.raises(AccessDenied):
            compute_period_ratings(period.id, org.units.surv.id, scope_for_user(user))
    with pytest.raises(NotFoundError):
        compute_period_ratings(period.id + 1, None, SYSTEM)


def test_a_closed_period_keeps_its_ratings(org: Org) -> None:
    period = open_period(status=PeriodStatus.CLOSED)
    with pytest.raises(ConflictError):
        compute_period_ratings(period.id, None, SYSTEM)
