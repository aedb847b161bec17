"""Importing an uploaded organisation file in the background, with progress."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from kinerja.extensions import db
from kinerja.jobs.registry import job
from kinerja.models.security import KinerjaUser
from kinerja.security.policies import scope_for_user
from kinerja.services import job_runs
from kinerja.services.imports import ImportKind, ImportMode, import_file
from kinerja.services.job_runs import JobOutcome


def upload_dir() -> Path:
    path = Path(current_app.config["KINERJA_UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


@job
def import_organisation_file(
    kind: str,
    stored_name: str,
    original_name: str,
    mode: str,
    user_id: int,
    run_id: int | None = None,
) -> JobOutcome:
    """Check and import a stored file with the rights of the person who uploaded it.

    Idempotent: importing updates by natural keys, so a retry after a failure re-applies the
    same file without duplicating anything; the file is removed once it has been read.
    """
    user = db.session.get(KinerjaUser, user_id)
    if user is None or not user.active:
        raise PermissionError("the uploading account no longer exists or is inactive")
    path = upload_dir() / Path(stored_name).name
    report = import_file(
        path,
        original_name,
        ImportKind(kind),
        ImportMode(mode),
        scope_for_user(user),
        max_rows=current_app.config["KINERJA_IMPORT_MAX_ROWS"],
        progress=job_runs.progress_reporter(run_id),
    )
    path.unlink(missing_ok=True)
    return JobOutcome(result=report.as_json())
