"""An import as the back office asks for it: the uploaded file is kept in the upload store,
the job is recorded with the upload's id, and the job imports it with the uploader's
rights and removes the file once it has been read.

The upload store is a :class:`~kinerja.storage.FileStore` of its own
(``KINERJA_UPLOAD_DIR``, ``KINERJA_IMPORT_MAX_BYTES``) accepting spreadsheets only: files
there wait for a job and are never served to anyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from flask import current_app
from sqlalchemy import select

from kinerja.domain.errors import N_, AccessDenied, FieldErrors, NotFoundError
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.jobs import JobName, JobRun, Upload
from kinerja.models.security import KinerjaUser
from kinerja.security.policies import job_runs as job_run_policy
from kinerja.security.policies import scope_for_user
from kinerja.security.policies.scope import Scope
from kinerja.services import outbox
from kinerja.services.boundary import on_commit, use_case
from kinerja.services.imports.checks import Progress
from kinerja.services.imports.columns import ImportKind, ImportMode
from kinerja.services.imports.importer import import_file
from kinerja.services.imports.report import ImportReport
from kinerja.services.spreadsheets import CSV_SUFFIXES, XLSX_SUFFIXES
from kinerja.services.stored_files import keep, row_values
from kinerja.storage import FileStore, UploadRejected

IMPORT_JOB = JobName.IMPORT_ORGANISATION_FILE.value
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_TYPES = {"text/csv": "csv", "text/plain": "txt", XLSX_TYPE: "xlsx"}


class UploadStore(FileStore):
    """The file store of imports. Besides what :class:`FileStore` recognises, it keeps a
    CSV saved in Windows-1252 (what Excel writes on many office computers), which the
    import reads as such; anything with NUL bytes stays refused."""

    def _detect(self, header: bytes, path: Path, filename: str | None) -> str:
        try:
            return super()._detect(header, path, filename)
        except UploadRejected:
            if Path(filename or "").suffix.lower() in CSV_SUFFIXES and _windows_text(path):
                return "text/csv"
            raise


def _windows_text(path: Path) -> bool:
    data = path.read_bytes()
    if b"\x00" in data:
        return False
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def upload_store() -> UploadStore:
    config = current_app.config
    return UploadStore(
        config["KINERJA_UPLOAD_DIR"], int(config["KINERJA_IMPORT_MAX_BYTES"]), IMPORT_TYPES
    )


@use_case
def request_import(
    kind: ImportKind, stream: IO[bytes], filename: str | None, mode: ImportMode, scope: Scope
) -> JobRun:
    """Keep the uploaded file and record its import; the job runs it with the uploader's
    rights. A file refused here (type, size) is said beside the form's file field."""
    if Path(filename or "").suffix.lower() not in CSV_SUFFIXES | XLSX_SUFFIXES:
        raise FieldErrors.single("file", N_("Only .csv and .xlsx files can be imported."))
    if scope.user_id is None:
        raise AccessDenied()
    upload = Upload(**row_values(keep(upload_store(), stream, filename), scope))
    db.session.add(upload)
    db.session.flush()
    return outbox.schedule(IMPORT_JOB, upload.id, kind.value, mode.value)


@use_case
def import_upload(
    upload_id: int, kind: ImportKind, mode: ImportMode, *, progress: Progress | None = None
) -> ImportReport:
    """Import an uploaded file with the rights of whoever uploaded it, then remove the file
    (once this commits). Idempotent: rows are updated by their natural keys, so running it
    again after a failure changes nothing twice; a file already imported is gone."""
    upload = db.session.get(Upload, upload_id)
    if upload is None or upload.key is None:
        raise NotFoundError(N_("The uploaded file is no longer kept; upload it again."))
    uploader = db.session.get(KinerjaUser, upload.uploaded_by_id or 0)
    if uploader is None or not uploader.active:
        raise AccessDenied(
            N_("The account that uploaded the file no longer exists or is inactive.")
        )
    store = upload_store()
    try:
        path = store.path(upload.key)
    except FileNotFoundError:
        raise NotFoundError(N_("The uploaded file is no longer kept; upload it again.")) from None
    report = import_file(
        path,
        upload.original_name,
        kind,
        mode,
        scope_for_user(uploader),
        max_rows=int(current_app.config["KINERJA_IMPORT_MAX_ROWS"]),
        progress=progress,
    )
    key = upload.key
    upload.key, upload.removed_at = None, utcnow()
    on_commit(lambda: store.delete(key))
    return report


@dataclass(frozen=True)
class ImportRun:
    """An import's run as its page shows it: what was asked for, and from which file."""

    run: JobRun
    kind: ImportKind | None
    mode: ImportMode | None
    file_name: str


def readable_import(scope: Scope, run_id: int) -> ImportRun | None:
    """The import run ``run_id`` if the person may see it (their own; every run for an
    Admin), else None."""
    run = job_run_policy.readable(scope, run_id)
    if run is None or run.name != IMPORT_JOB:
        return None
    return _described([run])[0]


def recent_imports(scope: Scope, limit: int = 10) -> list[ImportRun]:
    """The person's own latest imports, newest first."""
    if scope.user_id is None:
        return []
    runs = db.session.scalars(
        select(JobRun)
        .where(
            JobRun.name == IMPORT_JOB,
            JobRun.requested_by_id == scope.user_id,
            job_run_policy.read(scope),
        )
        .order_by(JobRun.id.desc())
        .limit(limit)
    ).all()
    return _described(runs)


def _described(runs: Sequence[JobRun]) -> list[ImportRun]:
    upload_ids = [run.args[0] for run in runs if run.args and isinstance(run.args[0], int)]
    names = dict(
        db.session.execute(select(Upload.id, Upload.original_name).where(Upload.id.in_(upload_ids)))
        .tuples()
        .all()
    )
    return [_describe(run, names) for run in runs]


def _describe(run: JobRun, names: dict[int, str]) -> ImportRun:
    args: list[Any] = list(run.args or [])
    upload_id, kind, mode = (args + [None, None, None])[:3]
    return ImportRun(
        run=run,
        kind=ImportKind(kind) if kind in set(ImportKind) else None,
        mode=ImportMode(mode) if mode in set(ImportMode) else None,
        file_name=names.get(upload_id, "") if isinstance(upload_id, int) else "",
    )
