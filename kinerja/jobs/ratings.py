"""Computing the ratings of a period, and asking for it every night."""

from __future__ import annotations

from kinerja.jobs.registry import job
from kinerja.services import job_runs
from kinerja.services.job_runs import JobOutcome
from kinerja.services.ratings import compute, requests


@job
def compute_period_ratings(
    period_id: int, unit_id: int | None = None, run_id: int | None = None
) -> JobOutcome:
    """Rate every employee with a plan in force in the period (or in the unit's subtree)
    and check each unit's distribution, with the rights of whoever asked for it (the
    system's for the nightly run and the CLI).

    Idempotent: a retry after a failure or a killed worker completes what is missing and
    rewrites nothing else; two runs of one period at once wait for each other.
    """
    run = compute.compute_period_ratings(
        period_id,
        unit_id,
        job_runs.requester_scope(run_id),
        run_id=run_id,
        progress=job_runs.progress_reporter(run_id),
    )
    message, params = compute.summary(run)
    return JobOutcome(message, params, run.as_json())


def request_nightly_ratings() -> list[int]:
    """Ask for the ratings of every running period and every period in evaluation (run by
    the schedule each night; each computation is a job run of its own)."""
    return requests.request_nightly_ratings()
