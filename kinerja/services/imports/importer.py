"""The import of one file: read and check every row, then apply the valid ones inside the
use-case boundary according to the chosen mode."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kinerja.domain.errors import N_, DomainError
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import transaction
from kinerja.services.imports.assessments import AssessmentImport
from kinerja.services.imports.checks import KindImport, Progress
from kinerja.services.imports.columns import ImportKind, ImportMode
from kinerja.services.imports.employees import EmployeeImport
from kinerja.services.imports.positions import PositionImport
from kinerja.services.imports.report import ImportReport
from kinerja.services.imports.rows import Row, header_map, parse_rows
from kinerja.services.imports.units import UnitImport
from kinerja.services.roles import sync_supervisor_roles
from kinerja.services.spreadsheets import read_table

IMPORTERS: dict[ImportKind, Callable[[Scope], KindImport]] = {
    ImportKind.UNITS: UnitImport,
    ImportKind.POSITIONS: PositionImport,
    ImportKind.EMPLOYEES: EmployeeImport,
    ImportKind.ASSESSMENTS: AssessmentImport,
}


def import_file(
    path: Path,
    filename: str,
    kind: ImportKind,
    mode: ImportMode,
    scope: Scope,
    *,
    max_rows: int = 200_000,
    progress: Progress | None = None,
) -> ImportReport:
    """Check every row of the file, then import according to ``mode``.

    A file that cannot be read is reported, not raised: it is the person's to fix. The
    rows are applied in one unit of work (with the Supervisor roles they imply), so a file
    is never imported half.
    """
    report = ImportReport(kind=kind, mode=mode)
    try:
        rows = _read(path, filename, kind, max_rows)
    except DomainError as exc:
        report.file_error = exc
        return report
    report.rows = len(rows)
    importer = IMPORTERS[kind](scope)
    importer.check(rows)
    report.errors = [e for row in rows for e in row.errors]
    valid = [row for row in rows if row.ok]
    report.skipped = len(rows) - len(valid)
    if (
        mode == ImportMode.CHECK
        or not valid
        or (mode == ImportMode.ALL_OR_NOTHING and report.errors)
    ):
        return report
    with transaction():
        report.created, report.updated = importer.apply(valid, progress)
        if kind != ImportKind.ASSESSMENTS:  # positions and people may have moved
            sync_supervisor_roles()
    report.applied = True
    return report


def _read(path: Path, filename: str, kind: ImportKind, max_rows: int) -> list[Row]:
    header, raw_rows = read_table(path, filename)
    _mapping, missing = header_map(kind, header)
    if missing:
        raise DomainError(
            N_("Required columns are missing: %(columns)s."), columns=", ".join(missing)
        )
    return list(parse_rows(kind, header, raw_rows, max_rows))
