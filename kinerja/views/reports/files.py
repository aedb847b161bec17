"""Stored files sent to those who may read them: as downloads whose type was checked at
upload, named with that type's extension (whatever the uploader called the file), never
rendered inline, never sniffed by the browser, never cached by a proxy."""

from __future__ import annotations

from flask import Response, abort, send_file

from kinerja.models.reports import Attachment, Evidence
from kinerja.security.current import current_scope
from kinerja.security.policies import evidence
from kinerja.services.reports.files import file_store
from kinerja.storage import display_name, extension_for


def evidence_file(evidence_id: int | None) -> Response:
    """The file of an evidence row the person may read (404 otherwise, or for a link)."""
    item: Evidence | None = evidence.readable(current_scope(), evidence_id)
    if item is None or item.attachment is None:
        abort(404)
    return send_attachment(item.attachment)


def send_attachment(attachment: Attachment) -> Response:
    """The file as a download. Its name is made again from the stored one and the detected
    type, so a file kept before names followed the type downloads right too; ``send_file``
    itself adds ``charset=utf-8`` to a text type (text is only accepted as UTF-8)."""
    try:
        path = file_store().path(attachment.key)
    except (FileNotFoundError, ValueError):
        abort(404)
    name = display_name(attachment.original_name, extension_for(attachment.content_type))
    response = send_file(
        path, mimetype=attachment.content_type, as_attachment=True, download_name=name
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
