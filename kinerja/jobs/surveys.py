"""Computing the satisfaction indices (IKM) of surveys and units, and asking for it every
night for the surveys still running."""

from __future__ import annotations

from kinerja.jobs.registry import job
from kinerja.services import job_runs
from kinerja.services.job_runs import JobOutcome
from kinerja.services.surveys import indices, requests


@job
def compute_survey_indices(
    survey_ids: list[int] | None = None,
    period_id: int | None = None,
    run_id: int | None = None,
) -> JobOutcome:
    """The index of each survey named (of the period's, or of all within reach) and of
    their units and periods, with the rights of whoever asked (the system's for the
    nightly run). Idempotent: a second run rewrites nothing that did not change."""
    run = indices.compute_survey_indices(
        survey_ids, period_id, job_runs.requester_scope(run_id), run_id=run_id
    )
    message, params = indices.summary(run)
    return JobOutcome(message, params, run.as_json())


def request_nightly_survey_indices() -> int | None:
    """Ask for the indices of the surveys running or ended since yesterday (run by the
    schedule each night)."""
    return requests.request_nightly_survey_indices()
