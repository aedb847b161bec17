"""Stored files sent to those who may read them: as downloads whose type was checked at
upload, never rendered inline, never sniffed by the browser, never cached by a proxy."""

from __future__ import annotations

from flask import Response, abort, send_file

from kinerja.models.reports import Attachment, Evidence
from kinerja.security.current import current_scope
from kinerja.security.policies import evidence
from kinerja.services.reports.files import file_store


def evidence_file(evidence_id: int | None) -> Response:
    """The file of an evidence row the person may read (404 otherwise, or for a link)."""
    item: Evidence | None = evidence.readable(current_scope(), evidence_id)
    if item is None or item.attachment is None:
        abort(404)
    return send_attachment(item.attachment)


def send_attachment(attachment: Attachment) -> Response:
    try:
        path = file_store().path(attachment.key)
    except (FileNotFoundError, ValueError):
        abort(404)
    mimetype = attachment.content_type
    if mimetype.startswith("text/"):
        mimetype += "; charset=utf-8"
    response = send_file(
        path, mimetype=mimetype, as_attachment=True, download_name=attachment.original_name
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
