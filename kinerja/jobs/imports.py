"""Importing an uploaded organisation file in the background, with progress."""

from __future__ import annotations

from kinerja.jobs.registry import job
from kinerja.services import imports, job_runs
from kinerja.services.job_runs import JobOutcome


@job
def import_organisation_file(
    upload_id: int, kind: str, mode: str, run_id: int | None = None
) -> JobOutcome:
    """Check and import an uploaded file with the rights of the person who uploaded it.

    Idempotent: the import updates by natural keys and the file is removed only with a
    successful import, so a retry after a failure re-applies the same file safely.
    """
    report = imports.import_upload(
        upload_id,
        imports.ImportKind(kind),
        imports.ImportMode(mode),
        progress=job_runs.progress_reporter(run_id),
    )
    message, params = report.summary()
    return JobOutcome(message, params, report.as_json())
