"""Stored files of reports and activities (evidence, attachments): written to the file
store with the use case and removed with it.

A file written for a use case that is then rolled back is removed again; a file whose row
was deleted or replaced is removed once the change has committed. Nothing is kept half,
and nobody else's file is touched (each attachment belongs to exactly one row).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from flask import current_app

from kinerja.domain.errors import FieldErrors
from kinerja.extensions import db
from kinerja.models.reports import Attachment
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import on_commit, on_rollback
from kinerja.storage import FileStore, StoredFile, UploadRejected, default_store


def file_store() -> FileStore:
    return default_store(current_app.config)


def store_upload(stream: IO[bytes], filename: str | None, scope: Scope) -> Attachment:
    """Keep an uploaded file (type checked from its content, size limited) as an attachment
    row of the current use case."""
    store = file_store()
    try:
        stored: StoredFile = store.save(stream, filename)  # type: ignore[arg-type]
    except UploadRejected as exc:
        raise FieldErrors({"file": [exc]}) from None
    on_rollback(lambda: store.delete(stored.key))
    attachment = Attachment(
        key=stored.key,
        original_name=stored.original_name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by_id=scope.user_id,
    )
    db.session.add(attachment)
    return attachment


def remove_after_commit(attachments: Iterable[Attachment | None]) -> None:
    """Delete the attachment rows now and their files once the use case has committed."""
    store = file_store()
    for attachment in attachments:
        if attachment is None:
            continue
        key = attachment.key
        db.session.delete(attachment)
        on_commit(lambda key=key: store.delete(key))  # type: ignore[misc]
