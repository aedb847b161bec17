"""Use cases that ask for the ratings of a period to be computed: the *Hitung predikat*
action and its API call, the CLI, and the nightly schedule. Each checks the policy and
records the job by name in the outbox; the job runs after the commit (inline without
Redis).

A run that waits in line already (pending or queued, same period, unit and requester) is
returned instead of a second one: it has not read the data yet, so it will see the latest.
"""

from __future__ import annotations

from sqlalchemy import select

from kinerja.domain.planning import PeriodStatus
from kinerja.extensions import db
from kinerja.models.jobs import JobName, JobRun
from kinerja.models.planning import Period
from kinerja.security.policies.scope import SYSTEM, Scope
from kinerja.services import job_runs
from kinerja.services.boundary import use_case
from kinerja.services.ratings.compute import rateable_period, reach

JOB = JobName.COMPUTE_PERIOD_RATINGS.value
NIGHTLY = (PeriodStatus.RUNNING, PeriodStatus.EVALUATION)


@use_case
def request_ratings(period_id: int | None, unit_id: int | None, scope: Scope) -> JobRun:
    """Compute the ratings of a period: of every unit (Admin), or of a unit's subtree (an
    Operator's own units; by default the unit they operate)."""
    period = rateable_period(scope, period_id)
    return _schedule(period.id, reach(scope, unit_id), scope.user_id)


@use_case
def request_nightly_ratings() -> list[int]:
    """The nightly run: every running period and every period in evaluation, in full; the
    ids of the runs asked for."""
    found = db.session.scalars(
        select(Period.id).where(Period.status.in_(NIGHTLY)).order_by(Period.year)
    ).all()
    return [_schedule(rateable_period(SYSTEM, p).id, None, None).id for p in found]


def _schedule(period_id: int, unit_id: int | None, requester_id: int | None) -> JobRun:
    return job_runs.schedule_once(JOB, [period_id, unit_id], requester_id)
