"""One error shape for everything under ``/api/``, in the caller's language.

Every refusal of the REST API, whoever makes it (our use cases, FAB's ``response_4xx``, its
rison decorator, Flask-JWT-Extended, the router, the request-size limit, the rate limit),
answers::

    {"status": 422, "error": "validation_error", "message": "…", "fields": {"nip": ["…"]}}

``fields`` is always there (an empty object when no field is to blame); nested schema
errors are named by their dotted path (``values.service``). Answers already in this shape
pass untouched; FAB's ``{"message": …}`` and JWT's ``{"msg": …}`` are rewritten here, in one
``after_request`` hook, and HTTP exceptions (unknown path, wrong method, too large, too
many requests) become this shape in one error handler. Screens keep their HTML pages.

The language: ``?_l_=``, then ``Accept-Language``, then the caller's own setting, then
Indonesian (:func:`api_locale`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, g, jsonify, request, session
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from kinerja.views.schema_messages import translate_message

API_PREFIX = "/api/"

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "too_large",
    422: "validation_error",
    429: "rate_limited",
    500: "server_error",
}

GENERIC_MESSAGES = {
    400: _l("The request is not valid."),
    401: _l("Sign in first, or send a valid token or API key."),
    403: _l("You may not do this."),
    404: _l("Not found or not within your reach."),
    405: _l("This method is not allowed here."),
    409: _l("The current state does not allow this."),
    410: _l("This is no longer kept."),
    413: _l("The request is too large."),
    422: _l("Some fields are not valid: see fields."),
    429: _l("Too many requests: try again later."),
    500: _l("Something went wrong on our side."),
}
QUERY_NOT_VALID = _l("The query (q) is not valid.")
TOKEN_NOT_VALID = _l("The token is not valid: sign in again.")
TOKEN_EXPIRED = _l("The token has expired: sign in again.")
SIGN_IN_FAILED = _l("Invalid login. Please try again.")  # FAB's own words

# FAB's own complaints about ``q`` (rison, filters, order, columns): named as the field ``q``.
_QUERY_PROBLEM = re.compile(r"rison|filter|order|column|page", re.IGNORECASE)
# FAB's fixed English answers, replaced by the status's own message in the caller's language.
FAB_GENERIC = frozenset({"Not found", "Forbidden", "Not authorized", "Fatal error", "OK"})
SHAPE_KEYS = frozenset({"status", "error", "message", "fields"})


def is_api_request() -> bool:
    return (request.path or "").startswith(API_PREFIX)


def error_body(
    status: int, message: str | None = None, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    return {
        "status": status,
        "error": ERROR_CODES.get(status, "error"),
        "message": message if message else str(GENERIC_MESSAGES.get(status, "")),
        "fields": fields or {},
    }


def error_response(
    status: int,
    message: str | None = None,
    fields: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The one answer to a refused API request."""
    response = jsonify(error_body(status, message, fields))
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def flat_fields(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Schema errors keyed by field, nested ones by their dotted path, each message
    translated (marshmallow's own messages included)."""
    if isinstance(messages, dict):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, dict):
                flat.update(flat_fields(value, name))
            else:
                flat.setdefault(name, []).extend(_texts(value))
        return flat
    return {prefix or "_schema": _texts(messages)}


def _texts(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [text for item in value for text in _texts(item)]
    return [translate_message(str(value))]


def _reshaped(status: int, payload: Any) -> dict[str, Any]:
    """FAB's ``{"message": …}`` (or JWT's ``{"msg": …}``) in the one shape."""
    detail = payload.get("message", payload.get("msg")) if isinstance(payload, dict) else None
    if isinstance(detail, dict | list):
        return error_body(status, None, flat_fields(detail))
    if status == 400 and detail and _QUERY_PROBLEM.search(str(detail)) and "q" in request.args:
        return error_body(status, str(QUERY_NOT_VALID), {"q": [str(detail)]})
    if detail and str(detail) not in FAB_GENERIC:
        return error_body(status, translate_message(str(detail)))
    if status == 401 and request.path.endswith("/security/login"):
        return error_body(status, str(SIGN_IN_FAILED))
    return error_body(status)


def shape_api_errors(response: Response) -> Response:
    """``after_request``: any error answer under ``/api/`` not yet in the shape is put in it
    (FAB's answers, our refusals, JWT's); Retry-After and Allow headers are kept."""
    status = response.status_code
    if status not in ERROR_CODES or not is_api_request() or response.direct_passthrough:
        return response
    payload = response.get_json(silent=True) if response.is_json else None
    if isinstance(payload, dict) and set(payload) == SHAPE_KEYS:
        return response
    body = _reshaped(status, payload)
    response.set_data(current_app.json.dumps(body))
    response.mimetype = "application/json"
    return response


def http_error(error: HTTPException) -> Any:
    """HTTP exceptions under ``/api/`` (an unknown path, a wrong method, a body too large,
    too many requests) answer in the shape, with the exception's own headers (Allow,
    Retry-After); elsewhere the usual page."""
    if not is_api_request() or error.code is None:
        return error
    headers = {
        name: value
        for name, value in error.get_headers()
        if name.lower() in ("allow", "retry-after")
    }
    message = None
    retry_after = getattr(error, "retry_after", None)
    if error.code == 429 and isinstance(retry_after, int):
        headers["Retry-After"] = str(retry_after)
        message = gettext("Too many requests: try again in %(seconds)s s.", seconds=retry_after)
    return error_response(error.code, message, None, headers)


def too_large(file_message: str) -> Response:
    """413 under ``/api/``: an upload names its ``file`` field, any other body is just too
    large."""
    if request.mimetype == "multipart/form-data":
        return error_response(413, file_message, {"file": [file_message]})
    return error_response(413)


def refuse_oversized_body() -> None:
    """``before_request``: a body announced larger than the limit is refused before any view
    reads it (FAB's ``@safe`` would turn the read's 413 into a 500)."""
    limit = request.max_content_length
    if is_api_request() and limit is not None and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()


def api_locale(fallback: Callable[[], str | None]) -> Callable[[], str | None]:
    """A locale selector: under ``/api/``, ``?_l_=``, then (a browser without a token) the
    language of its screens, then the best of ``Accept-Language``, then the caller's own
    language, then the default (Indonesian); elsewhere ``fallback`` (FAB's: ``?_l_=``, the
    session, the default)."""

    def select() -> str | None:
        if not is_api_request():
            return fallback()
        languages = current_app.config.get("LANGUAGES") or {}
        default = current_app.config.get("BABEL_DEFAULT_LOCALE", "id")
        asked = request.args.get("_l_")
        if asked is not None:
            return asked if asked in languages else default
        if "Authorization" not in request.headers and session.get("locale") in languages:
            return str(session["locale"])  # a signed-in browser (Swagger UI): its screens' language
        best = request.accept_languages.best_match(list(languages))
        if best:
            return best
        own = getattr(g.get("user"), "locale", None)
        return own if own in languages else default

    return select


def register_api_errors(app: Flask) -> None:
    """Install the shape (after_request, HTTP errors, JWT's answers) and the API's locale."""
    app.register_error_handler(HTTPException, http_error)
    app.before_request(refuse_oversized_body)
    app.after_request(shape_api_errors)
    babel = app.extensions.get("babel")
    if babel is not None and not getattr(babel.locale_selector, "kinerja_api", False):
        babel.locale_selector = api_locale(babel.locale_selector)
        babel.locale_selector.kinerja_api = True  # type: ignore[attr-defined]
    jwt = app.extensions.get("flask-jwt-extended")
    if jwt is not None:
        _answer_jwt_errors(jwt)


def _answer_jwt_errors(jwt: Any) -> None:
    """Flask-JWT-Extended answers ``{"msg": …}``, a malformed token with 422: here every
    token problem is a 401 in the shape."""
    jwt.unauthorized_loader(lambda _reason: error_response(401))
    jwt.invalid_token_loader(lambda _reason: error_response(401, str(TOKEN_NOT_VALID)))
    jwt.expired_token_loader(lambda *_args: error_response(401, str(TOKEN_EXPIRED)))
    jwt.needs_fresh_token_loader(lambda *_args: error_response(401, str(TOKEN_NOT_VALID)))
    jwt.user_lookup_error_loader(lambda *_args: error_response(401, str(TOKEN_NOT_VALID)))
