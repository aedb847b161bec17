"""Asking for the year's recommendations: the *Hitung rekomendasi* action, its API call and
the nightly schedule. The job runs after the commit (inline without Redis)."""

from __future__ import annotations

from datetime import date

from kinerja.domain.errors import AccessDenied
from kinerja.models.jobs import JobName, JobRun
from kinerja.security.policies import recommendations
from kinerja.security.policies.scope import SYSTEM, Scope
from kinerja.services import job_runs
from kinerja.services.boundary import use_case

JOB = JobName.COMPUTE_RECOMMENDATIONS.value


@use_case
def request_recommendations(year: int, scope: Scope) -> JobRun:
    """Compute ``year``'s recommendations and reward candidates (one run per request that
    still waits in line)."""
    if not recommendations.may_compute(scope):
        raise AccessDenied()
    return job_runs.schedule_once(JOB, [year], scope.user_id)


@use_case
def request_nightly_recommendations(today: date | None = None) -> int:
    """The nightly run (after the ratings'): this year's recommendations for everyone, with
    the system's rights; the id of the run asked for (the one still waiting, if any)."""
    return request_recommendations((today or date.today()).year, SYSTEM).id
