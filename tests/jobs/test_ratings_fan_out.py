"""A ratings run fanned out per agency, on real RQ worker processes and real PostgreSQL:
the parts cover every unit once, any number of workers take them, the parent run shows the
whole run and is finished by its last part, and the ratings and distribution checks are
exactly those of one job."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text, update

from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.jobs import JobRun, JobStatus
from kinerja.models.ratings import DistributionCheck, Rating
from kinerja.security.policies import SYSTEM
from kinerja.services import job_runs
from kinerja.services.ratings import fan_out
from kinerja.services.ratings.compute import Part
from kinerja.services.ratings.requests import request_ratings
from tests.factories import Org
from tests.ratings_factories import open_period, random_year, staff

ROOT = Path(__file__).resolve().parents[2]
VOLATILE = {"id", "run_id", "computed_at", "created_at", "updated_at"}


def _year(org: Org, period: Any) -> None:
    u, p, e = org.units, org.positions, org.employees
    rng = random.Random(17)  # noqa: S311 - reproducible test data
    at_root = staff(u.pemkot, p.sekda, 2, "R")  # placed in the government unit itself
    random_year(rng, period, at_root, u.pemkot)
    random_year(rng, period, [e.sekda, *staff(u.setda, p.sekda, 3, "S")], u.setda)
    random_year(rng, period, [e.epid1, e.epid2, e.kasi_surv], u.surv)
    random_year(
        rng, period, [e.perawat, e.kabid_yankes, *staff(u.yankes, p.kabid_yankes, 4, "Y")], u.yankes
    )
    random_year(
        rng, period, [e.penguji, e.kadishub, *staff(u.dishub, p.kadishub, 4, "H")], u.dishub
    )


def _rows(model: Any) -> list[dict[str, Any]]:
    db.session.expire_all()
    columns = [c.name for c in model.__table__.columns if c.name not in VOLATILE]
    found = db.session.execute(select(*[model.__table__.c[c] for c in columns])).mappings()
    return sorted((dict(row) for row in found), key=lambda row: (row["unit_id"], repr(row)))


def _workers(count: int, run_id: int, **env: str) -> None:
    """``count`` real worker processes, each until the queues are empty: the first takes
    the run, the others start once it has parts (an idle burst worker quits at once)."""
    settings = {**os.environ, "KINERJA_ENV": "test", **env}
    command = [sys.executable, "-m", "flask", "--app", "run", "kinerja", "worker", "--burst"]

    def start() -> subprocess.Popen[str]:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=settings,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    started = [start()]
    deadline = time.monotonic() + 60
    while count > 1 and not _parts(run_id) and started[0].poll() is None:
        assert time.monotonic() < deadline, "the run was not split"
        time.sleep(0.1)
    started += [start() for _ in range(count - 1)]
    for worker in started:
        output, _ = worker.communicate(timeout=180)
        assert worker.returncode == 0, output


def _parts(run_id: int) -> list[JobRun]:
    db.session.rollback()
    return list(db.session.scalars(select(JobRun).where(JobRun.parent_id == run_id)))


def test_the_parts_cover_every_unit_once(org: Org) -> None:
    u = org.units
    found = fan_out.parts(None)
    assert found == [
        Part(u.pemkot.id, whole=False),
        Part(u.setda.id),
        Part(u.dinkes.id),
        Part(u.dishub.id),
    ]
    covered = [uid for part in found for uid in db.session.scalars(part.unit_ids())]
    assert sorted(covered) == sorted(v.id for v in vars(u).values())
    assert fan_out.parts(u.dinkes.id) == [
        Part(u.dinkes.id, whole=False),
        Part(u.p2p.id),
        Part(u.yankes.id),
    ]
    assert fan_out.parts(u.dishub.id) == [Part(u.dishub.id)]  # a leaf: nothing to split


@pytest.mark.slow
def test_a_run_fanned_out_per_agency_rates_exactly_as_one_job(org: Org) -> None:
    period = open_period()
    _year(org, period)

    single = request_ratings(period.id, None, SYSTEM)
    _workers(1, single.id, KINERJA_RATINGS_FAN_OUT="0")
    db.session.expire_all()
    one_job = db.session.get(JobRun, single.id)
    assert one_job is not None and one_job.status == JobStatus.SUCCEEDED, one_job.error
    ratings, checks = _rows(Rating), _rows(DistributionCheck)
    assert len(ratings) == 21 and checks
    assert not _parts(single.id)

    db.session.execute(text("DELETE FROM distribution_check"))
    db.session.execute(text("DELETE FROM rating"))
    db.session.commit()
    fanned = request_ratings(period.id, None, SYSTEM)
    _workers(2, fanned.id, KINERJA_RATINGS_FAN_OUT="1")

    db.session.expire_all()
    parent = db.session.get(JobRun, fanned.id)
    assert parent is not None and parent.status == JobStatus.SUCCEEDED, parent.error
    parts = _parts(fanned.id)
    assert len(parts) == 4 and {p.status for p in parts} == {JobStatus.SUCCEEDED}
    assert sorted(p.args[1] for p in parts) == sorted(
        [org.units.pemkot.id, org.units.setda.id, org.units.dinkes.id, org.units.dishub.id]
    )
    assert sum(p.total or 0 for p in parts) == parent.total == parent.done == len(ratings)
    assert parent.outcome == one_job.outcome  # the same summary: rated, final, warned…
    assert parent.result is not None and parent.result["parts"] == 4
    assert _rows(Rating) == ratings
    assert _rows(DistributionCheck) == checks
    assert {r.run_id for r in db.session.scalars(select(Rating))} == {p.id for p in parts}


def _family(parent_status: JobStatus = JobStatus.RUNNING) -> tuple[JobRun, list[JobRun]]:
    parent = JobRun(name="compute_period_ratings", args=[1, None], status=parent_status)
    db.session.add(parent)
    db.session.flush()
    parts = [
        JobRun(
            name="compute_agency_ratings",
            args=[1, unit, True],
            status=JobStatus.RUNNING,
            parent_id=parent.id,
            total=2,
        )
        for unit in (10, 11)
    ]
    db.session.add_all(parts)
    db.session.commit()
    return parent, parts


FIGURES = {"rated": 2, "changed": 2, "final": 1, "provisional": 1, "without_predikat": 0}


def test_a_part_failing_for_good_fails_the_run_and_its_retry_finishes_it(app: Any) -> None:
    parent, (first, second) = _family()
    assert fan_out.part_done(first.id, {**FIGURES, "units": 1, "warned": 0}) is False
    job_runs.record_failure(second.id, RuntimeError("database gone"), retrying=True)
    db.session.expire_all()
    assert parent.status == JobStatus.RUNNING  # RQ tries the part again
    job_runs.record_failure(second.id, RuntimeError("database gone"), retrying=False)
    db.session.expire_all()
    assert parent.status == JobStatus.FAILED and parent.message == job_runs.PART_FAILED

    job_runs.retry(second.id, SYSTEM)
    job_runs.start(second.id)
    assert fan_out.part_done(second.id, {**FIGURES, "units": 1, "warned": 1}) is True
    db.session.expire_all()
    assert parent.status == JobStatus.SUCCEEDED and parent.finished_at is not None
    assert (parent.done, parent.result["parts"], parent.result["warned"]) == (4, 2, 1)
    assert parent.message_params == {
        "rated": 4,
        "final": 2,
        "provisional": 2,
        "changed": 4,
        "warned": 1,
        "units": 2,
    }


def test_the_run_waits_for_its_parts_and_the_sweep_leaves_it_to_them(app: Any) -> None:
    parent, _ = _family()
    job_runs.succeed(parent.id, job_runs.JobOutcome(parts=2))
    db.session.expire_all()
    assert parent.status == JobStatus.RUNNING  # its last part finishes it
    assert parent.outcome is not None and parent.outcome.params == {"parts": 2}
    db.session.execute(
        update(JobRun).values(updated_at=utcnow() - job_runs.STALE_AFTER - timedelta(minutes=1))
    )
    db.session.commit()
    assert job_runs.recover_stale() == 2  # the parts (gone from Redis) are handed over again
    db.session.expire_all()
    assert parent.status == JobStatus.RUNNING
