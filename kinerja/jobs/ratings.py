"""Computing the ratings of a period, and asking for it every night."""

from __future__ import annotations

from kinerja.jobs.registry import job
from kinerja.services import job_runs
from kinerja.services.job_runs import JobOutcome
from kinerja.services.ratings import compute, fan_out, requests
from kinerja.services.ratings.compute import Part


@job
def compute_period_ratings(
    period_id: int, unit_id: int | None = None, run_id: int | None = None
) -> JobOutcome:
    """Rate every employee with a plan in force in the period (or in the unit's subtree)
    and check each unit's distribution, with the rights of whoever asked for it (the
    system's for the nightly run and the CLI).

    Idempotent: a retry after a failure or a killed worker completes what is missing and
    rewrites nothing else; two runs of one period at once wait for each other.

    A large run (``KINERJA_RATINGS_FAN_OUT`` plans, with Redis) is fanned out per agency
    (:mod:`kinerja.services.ratings.fan_out`): this run then shows the overall progress
    and its last agency finishes it.
    """
    scope = job_runs.requester_scope(run_id)
    if run_id is not None and (parts := fan_out.split(period_id, unit_id, scope, run_id)):
        return JobOutcome(parts=parts)
    run = compute.compute_period_ratings(
        period_id,
        unit_id,
        scope,
        run_id=run_id,
        progress=job_runs.progress_reporter(run_id),
    )
    message, params = compute.summary(run)
    return JobOutcome(message, params, run.as_json())


@job
def compute_agency_ratings(
    period_id: int, unit_id: int, whole: bool = True, run_id: int | None = None
) -> JobOutcome:
    """Rate one agency of a run fanned out per agency (``unit_id`` with its subtree, or
    alone), with the rights of whoever asked for the whole run; the last agency done
    finishes the whole run. Idempotent like the whole run."""
    part = Part(unit_id, whole)
    run = compute.compute_period_ratings(
        period_id,
        unit_id,
        job_runs.requester_scope(run_id),
        run_id=run_id,
        progress=fan_out.part_progress(run_id, fan_out.parent_of(run_id)),
        part=part,
    )
    if run_id is not None:
        fan_out.part_done(run_id, run.as_json())
    message, params = compute.summary(run)
    return JobOutcome(message, params, run.as_json())


def request_nightly_ratings() -> list[int]:
    """Ask for the ratings of every running period and every period in evaluation (run by
    the schedule each night; each computation is a job run of its own)."""
    return requests.request_nightly_ratings()
