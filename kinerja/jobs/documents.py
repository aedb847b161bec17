"""Printing documents in the background: all SKPs of a unit into one ZIP."""

from __future__ import annotations

from kinerja.domain.errors import N_
from kinerja.jobs.registry import job
from kinerja.services import job_runs
from kinerja.services.documents import bulk
from kinerja.services.job_runs import JobOutcome


@job
def print_unit_plans(unit_id: int, period_id: int, run_id: int | None = None) -> JobOutcome:
    """The SKPs of the unit's plans in the period that the requester may read, one PDF
    each in one ZIP. Idempotent: a re-run writes the same ZIP again, whole."""
    if run_id is None:
        raise ValueError("print_unit_plans runs as a recorded job (its ZIP is the run's)")
    printed = bulk.print_unit_plans(
        unit_id,
        period_id,
        job_runs.requester_scope(run_id),
        run_id=run_id,
        progress=job_runs.progress_reporter(run_id),
    )
    return JobOutcome(
        N_("%(count)d SKPs printed into %(file)s."),
        {"count": printed.count, "file": printed.filename},
        {"file": printed.filename, "count": printed.count},
    )
