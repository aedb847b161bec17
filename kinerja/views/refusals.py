"""A use case's refusal, said to the person: as form messages on a screen, or as one JSON
answer on the API. The mapping is the same everywhere:

* :class:`FieldErrors` → 422 with ``fields`` named, or messages beside the fields;
* :class:`ConflictError` (the state does not allow it) → 409, or a flashed message;
* :class:`AccessDenied` → 403; :class:`NotFoundError` → 404 (ids cannot be probed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, abort, flash, redirect, request
from flask_babel import gettext
from werkzeug.wrappers.response import Response as BaseResponse

from kinerja.domain.errors import AccessDenied, DomainError, FieldErrors, NotFoundError
from kinerja.domain.org import LabeledEnum
from kinerja.services.versions import expect_version, parse_version
from kinerja.views.api_errors import error_response


def tr(error: DomainError) -> str:
    """The message of ``error`` in the current language (enum values by their labels)."""
    params = {
        key: gettext(value.label) if isinstance(value, LabeledEnum) else value
        for key, value in error.params.items()
    }
    return gettext(error.template, **params)


def error_messages(errors: FieldErrors) -> dict[str, list[str]]:
    return {field: [tr(e) for e in errs] for field, errs in errors.errors.items()}


def status_of(refusal: DomainError) -> int:
    if isinstance(refusal, FieldErrors):
        return 422
    if isinstance(refusal, AccessDenied):
        return 403
    if isinstance(refusal, NotFoundError):
        return 404
    return 409


def api_refusal(refusal: DomainError) -> Response:
    """The JSON answer to a refusal, in the API's one error shape
    (:mod:`kinerja.views.api_errors`): field errors named, a conflict said, a step outside
    one's role or reach answered generically (ids cannot be probed)."""
    status = status_of(refusal)
    if isinstance(refusal, FieldErrors):
        return error_response(status, None, error_messages(refusal))
    if status in (403, 404):
        return error_response(status)
    return error_response(status, tr(refusal))


def flash_refusal(refusal: DomainError) -> None:
    """Show why a use case refused, one message per problem; a step outside one's role or
    reach answers 403 or 404 instead."""
    status = status_of(refusal)
    if status in (403, 404):
        abort(status)
    if isinstance(refusal, FieldErrors):
        for messages in error_messages(refusal).values():
            for message in messages:
                flash(message, "danger")
    else:
        flash(tr(refusal), "danger")


def screen_step(step: Callable[[], Any], done: str, back: str) -> BaseResponse:
    """Run a use case from a screen's button: flash the outcome (or the refusal) and go
    back to ``back``."""
    try:
        step()
    except DomainError as refusal:
        flash_refusal(refusal)
    else:
        flash(done, "success")
    return redirect(back)


def as_seen(step: Callable[[], Any], *rows: tuple[Any, str]) -> Callable[[], Any]:
    """``step``, run only if each ``(row, form field)`` is still at the version the form
    carried in that field (the optimistic version check; a form without it is not checked)."""

    def checked() -> Any:
        for row, field in rows:
            expect_version(row, parse_version(request.form.get(field)))
        return step()

    return checked
