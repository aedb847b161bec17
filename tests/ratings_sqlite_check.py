"""Run by tests/test_ratings_sqlite.py in a process of its own, on the SQLite database of
``make run`` (``KINERJA_INSTANCE_DIR``): a year drawn at random rated by the job's use case
must agree, plan by plan, with the pure rules — as on PostgreSQL — and a second run must
rewrite nothing. Exits non-zero with the first difference."""

from __future__ import annotations

import random
import sys

from sqlalchemy import select

from kinerja.app import create_app
from kinerja.extensions import db
from kinerja.models.ratings import Rating
from kinerja.security.policies import SYSTEM
from kinerja.services.ratings import compute, facts, reference
from tests.factories import build_org
from tests.ratings_factories import open_period, random_year, staff
from tests.services.test_ratings_agreement import FIELDS


def main(seed: int) -> None:
    app = create_app("development")
    with app.app_context():
        assert db.engine.dialect.name == "sqlite", db.engine.url
        org = build_org()
        period = open_period(year=2030)
        people = staff(org.units.surv, org.positions.kasi_surv, 24, f"S{seed}-")
        random_year(random.Random(seed), period, [org.employees.kasi_surv, *people], org.units.surv)  # noqa: S311
        first = compute.compute_period_ratings(period.id, None, SYSTEM)
        plans = compute.plans_in_force(period.id, None)
        expected = {
            f.employee_id: reference.rate(f, 105, 95)
            for f in facts.load_facts([p.id for p in plans], period.id)
        }
        stored = {
            r.employee_id: r
            for r in db.session.scalars(select(Rating).where(Rating.period_id == period.id))
        }
        assert len(stored) == len(expected) == first.changed == 25, (len(stored), first)
        for employee_id, want in expected.items():
            got = {
                n: getattr(
                    getattr(stored[employee_id], n), "value", getattr(stored[employee_id], n)
                )
                for n in FIELDS
            }
            assert got == {n: getattr(want, n) for n in FIELDS}, (employee_id, got, want)
        again = compute.compute_period_ratings(period.id, None, SYSTEM)
        assert (again.changed, again.checks_changed) == (0, 0), again
    print(f"agreed on {len(expected)} ratings")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
