"""Sending a printed document: the PDF inline (the browser shows it, *Save* keeps it under
its name of NIP and period); a refusal of its use case (not readable) answers 404, so no
file and no id ever leaks."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, abort

from kinerja.domain.errors import DomainError
from kinerja.services.documents.render import Document
from kinerja.views.refusals import status_of


def document_response(make: Callable[[], Document], *, download: bool = False) -> Response:
    try:
        document = make()
    except DomainError as refusal:
        abort(status_of(refusal))
    disposition = "attachment" if download else "inline"
    return Response(
        document.content,
        mimetype=document.media_type,
        headers={
            "Content-Disposition": f'{disposition}; filename="{document.filename}"',
            "Cache-Control": "private, no-store",
        },
    )
