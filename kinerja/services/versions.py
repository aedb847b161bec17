"""The optimistic version check: a change made on a row as someone saw it is refused when
the row has changed since (a conflict, 409), instead of overwriting the other change.

Screens carry the ``row_version`` they showed in their forms, the API in ``If-Match``
(the ``ETag`` of the row's GET). No version given means no check: API clients written
before the check keep working. The race between this check and the write is closed by
the mapper's ``version_id_col`` (:class:`kinerja.models.base.RowVersionMixin`): the
``UPDATE`` matches no row and the boundary turns that into the same conflict.
"""

from __future__ import annotations

from typing import Any

from kinerja.domain.errors import N_, ConflictError

CHANGED_MEANWHILE = N_(
    "Someone else changed this record while you were editing it: nothing was saved. "
    "Reload the page to see their change, then make yours again."
)
NONE_YET = 0  # the version a form carries when the row did not exist yet (an evaluation)


def parse_version(value: Any) -> int | None:
    """A version from a form field or header; None when absent or not a number."""
    if value is None:
        return None
    text = str(value).strip().strip('"')
    if text.startswith("W/"):
        text = text[2:].strip('"')
    return int(text) if text.isdigit() and len(text) < 10 else None


def current_version(row: Any | None) -> int:
    return NONE_YET if row is None else int(row.row_version or NONE_YET)


def expect_version(row: Any | None, expected: int | None) -> None:
    """Refuse when ``row`` is no longer at the version the editor saw (None: no check)."""
    if expected is not None and current_version(row) != expected:
        raise ConflictError(CHANGED_MEANWHILE)
