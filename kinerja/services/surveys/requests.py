"""Use cases that ask for the survey indices to be computed: the *Compute indices* action
of the results screen, its API call, and the nightly schedule (the job runs when a survey
closes too: the survey's use case schedules it by name). Each checks the policy and records
the job by name in the outbox; it runs after the commit (inline without Redis).

A run that waits in line already with the same arguments and requester is returned
instead of a second one: it has not read the responses yet, so it will see the latest.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import func, or_, select

from kinerja.domain.errors import AccessDenied, NotFoundError
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.jobs import JobName, JobRun
from kinerja.models.surveys import Survey
from kinerja.security.policies import periods, surveys
from kinerja.security.policies.scope import Scope
from kinerja.services import job_runs
from kinerja.services.boundary import use_case

JOB = JobName.COMPUTE_SURVEY_INDICES.value


def may_compute(scope: Scope) -> bool:
    """The Admin computes every survey's index, an Operator their units' surveys."""
    return scope.manages_all or scope.is_operator


@use_case
def request_survey_indices(
    survey_ids: Sequence[int] | None, period_id: int | None, scope: Scope
) -> JobRun:
    """Compute the indices of these surveys (or of a period's, or of every survey within
    reach) and of their units. A survey or period out of reach is not found."""
    if not may_compute(scope):
        raise AccessDenied()
    ids = sorted(set(survey_ids)) if survey_ids is not None else None
    if ids is not None:
        reachable = db.session.scalar(
            select(func.count()).where(Survey.id.in_(ids), surveys.manage(scope))
        )
        if not ids or reachable != len(ids):
            raise NotFoundError()
    if period_id is not None and periods.readable(scope, period_id) is None:
        raise NotFoundError()
    return _schedule(ids, period_id, scope.user_id)


def nightly_surveys(today: date) -> list[int]:
    """The surveys whose index may have moved since last night: open today, or ended
    (by date or closed early) since yesterday."""
    yesterday = today - timedelta(days=1)
    closed_since = utcnow() - timedelta(days=1)
    query = select(Survey.id).where(
        Survey.opens_on <= today,
        Survey.closes_on >= yesterday,
        or_(Survey.closed_at.is_(None), Survey.closed_at >= closed_since),
    )
    return list(db.session.scalars(query.order_by(Survey.id)))


@use_case
def request_nightly_survey_indices(today: date | None = None) -> int | None:
    """The nightly run over the surveys of :func:`nightly_surveys`, as one job run (its id;
    None when no survey is running)."""
    ids = nightly_surveys(today or date.today())
    return _schedule(ids, None, None).id if ids else None


def _schedule(survey_ids: list[int] | None, period_id: int | None, requester: int | None) -> JobRun:
    return job_runs.schedule_once(JOB, [survey_ids, period_id], requester)
