"""Importing units, positions and employees from CSV or XLSX.

Every row is checked first and each problem is reported with its row and column. A file with
errors imports nothing, unless the person chooses to import only the valid rows (rows that
depend on an invalid row are then left out too). Re-importing updates rows by unit code,
position code and NIP instead of duplicating them. All changes commit in one transaction.

The package by family: :mod:`.columns` (kinds, columns, templates), :mod:`.rows` (reading
and parsing rows), :mod:`.checks` (checks shared by the kinds), one module per kind
(:mod:`.units`, :mod:`.positions`, :mod:`.employees`), :mod:`.importer` (one file, end to
end), :mod:`.report` and :mod:`.uploads` (the back office's request and the job's use case).
"""

from kinerja.services.imports.columns import (
    COLUMNS,
    ORGANISATION_KINDS,
    Column,
    ImportKind,
    ImportMode,
    choices_for,
    template_rows,
    text_columns,
)
from kinerja.services.imports.importer import import_file
from kinerja.services.imports.report import ImportReport
from kinerja.services.imports.rows import Row, RowError
from kinerja.services.imports.uploads import (
    IMPORT_JOB,
    ImportRun,
    import_upload,
    readable_import,
    recent_imports,
    request_import,
    upload_store,
)

__all__ = [
    "COLUMNS",
    "IMPORT_JOB",
    "Column",
    "ImportKind",
    "ImportMode",
    "ORGANISATION_KINDS",
    "ImportReport",
    "ImportRun",
    "Row",
    "RowError",
    "choices_for",
    "import_file",
    "import_upload",
    "readable_import",
    "recent_imports",
    "request_import",
    "template_rows",
    "text_columns",
    "upload_store",
]
