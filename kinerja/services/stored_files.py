"""Keeping an uploaded file for a use case: written to its file store now, removed again if
the use case is rolled back, described by the columns every stored-file row has."""

from __future__ import annotations

from typing import IO, Any

from kinerja.domain.errors import FieldErrors
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import on_rollback
from kinerja.storage import FileStore, StoredFile, UploadRejected


def keep(store: FileStore, stream: IO[bytes], filename: str | None) -> StoredFile:
    """Save the file (type read from its content, size limited); a refused file is a field
    error on ``file``. Nothing stays behind if the use case does not commit."""
    try:
        stored: StoredFile = store.save(stream, filename)  # type: ignore[arg-type]
    except UploadRejected as exc:
        raise FieldErrors({"file": [exc]}) from None
    on_rollback(lambda: store.delete(stored.key))
    return stored


def row_values(stored: StoredFile, scope: Scope) -> dict[str, Any]:
    """The columns of a stored-file row (an attachment, an upload) for ``stored``."""
    return {
        "key": stored.key,
        "original_name": stored.original_name,
        "content_type": stored.content_type,
        "size": stored.size,
        "sha256": stored.sha256,
        "uploaded_by_id": scope.user_id,
    }
