"""The set-based ratings (one SQL statement per batch) agree with the pure rules, plan by
plan, on years drawn at random: every aspect, direction and accumulation, qualitative
indicators, missing realizations, periodic and annual evaluations, plans under revision."""

from __future__ import annotations

import random

import pytest

from kinerja.security.policies import SYSTEM
from kinerja.services.ratings import compute, facts, reference
from tests.factories import Org
from tests.ratings_factories import open_period, random_year, ratings_by_employee, staff

FIELDS = (
    "work_plan_id",
    "unit_id",
    "final",
    "predikat",
    "results",
    "behaviour",
    "suggested_results",
    "suggested_behaviour",
    "explanation",
)


def _code(value: object) -> object:
    return getattr(value, "value", value)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_statement_agrees_with_the_pure_rules(org: Org, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    period = open_period()
    people = staff(org.units.surv, org.positions.kasi_surv, 24, f"R{seed}-")
    random_year(rng, period, [org.employees.kasi_surv, *people], org.units.surv)

    run = compute.compute_period_ratings(period.id, None, SYSTEM)

    in_force = compute.plans_in_force(period.id, None)
    expected = {
        f.employee_id: reference.rate(f, 105, 95)
        for f in facts.load_facts([p.id for p in in_force], period.id)
    }
    stored = ratings_by_employee(period)
    assert run.rated == len(expected) == len(stored) == 25
    for employee_id, want in expected.items():
        got = {name: _code(getattr(stored[employee_id], name)) for name in FIELDS}
        wanted = {name: getattr(want, name) for name in FIELDS}
        differing = {
            key: (got["explanation"].get(key), value)
            for key, value in wanted["explanation"].items()
            if got["explanation"].get(key) != value
        }
        assert got == wanted, f"employee {employee_id}: {differing}"
