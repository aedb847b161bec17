"""Computing the year's training recommendations and reward candidates."""

from __future__ import annotations

from kinerja.jobs.registry import job
from kinerja.services import job_runs
from kinerja.services.competency import recommendations, requests
from kinerja.services.job_runs import JobOutcome


@job
def compute_recommendations(year: int, run_id: int | None = None) -> JobOutcome:
    """Everyone's recommendations and reward candidates for ``year``, with the rights of
    whoever asked. Idempotent: a re-run replaces the year's rows with the same ones."""
    run = recommendations.compute_recommendations(
        year, job_runs.requester_scope(run_id), run_id=run_id
    )
    message, params = recommendations.summary(run)
    return JobOutcome(message, params, run.as_json())


def request_nightly_recommendations() -> int:
    """Ask for this year's recommendations (run by the schedule each night)."""
    return requests.request_nightly_recommendations()
