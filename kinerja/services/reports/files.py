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

from kinerja.extensions import db
from kinerja.models.reports import Attachment
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import on_commit
from kinerja.services.stored_files import keep, row_values
from kinerja.storage import FileStore, default_store


def file_store() -> FileStore:
    return default_store(current_app.config)


def store_upload(stream: IO[bytes], filename: str | None, scope: Scope) -> Attachment:
    """Keep an uploaded file (type checked from its content, size limited) as an attachment
    row of the current use case."""
    attachment = Attachment(**row_values(keep(file_store(), stream, filename), scope))
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
