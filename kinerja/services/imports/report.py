"""What an import found and did, kept with its run and shown on the import's page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kinerja.domain.errors import N_, DomainError
from kinerja.services.imports.columns import ImportKind, ImportMode
from kinerja.services.imports.rows import RowError

SUMMARIES = {
    ImportKind.UNITS: N_(
        "Units: %(rows)d rows, %(created)d created, %(updated)d updated, %(invalid)d with errors."
    ),
    ImportKind.POSITIONS: N_(
        "Positions: %(rows)d rows, %(created)d created, %(updated)d updated,"
        " %(invalid)d with errors."
    ),
    ImportKind.EMPLOYEES: N_(
        "Employees: %(rows)d rows, %(created)d created, %(updated)d updated,"
        " %(invalid)d with errors."
    ),
    ImportKind.ASSESSMENTS: N_(
        "Assessments: %(rows)d rows, %(created)d created, %(updated)d updated,"
        " %(invalid)d with errors."
    ),
}


@dataclass
class ImportReport:
    kind: ImportKind
    mode: ImportMode
    rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    applied: bool = False
    errors: list[RowError] = field(default_factory=list)
    file_error: DomainError | None = None

    @property
    def invalid_rows(self) -> int:
        return len({e.row for e in self.errors})

    def summary(self) -> tuple[str, dict[str, Any]]:
        """One line for the jobs screen: a template (msgid) and its parameters, or the file's
        own problem when it could not be read."""
        if self.file_error is not None:
            return self.file_error.template, dict(self.file_error.params)
        return SUMMARIES[self.kind], {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "invalid": self.invalid_rows,
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "mode": self.mode.value,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "applied": self.applied,
            "invalid_rows": self.invalid_rows,
            "errors": [e.as_json() for e in self.errors],
            "file_error": (
                [self.file_error.template, self.file_error.params] if self.file_error else None
            ),
        }
