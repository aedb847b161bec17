"""The screens' error pages: a refused, missing or misused page answers in the reader's
language inside the app's layout (with its menu to go on from), not with Werkzeug's bare
English page. Under ``/api/`` the JSON shape of :mod:`kinerja.views.api_errors` stays."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from kinerja.views.api_errors import http_error, is_api_request

PAGES = {
    400: (_l("Bad request"), _l("The request could not be understood: go back and try again.")),
    403: (_l("Access is Denied"), _l("You may not open this page.")),
    404: (_l("Page not found"), _l("Not found or not within your reach.")),
    405: (_l("Not allowed"), _l("This page cannot be used this way.")),
}


def error_page(error: HTTPException) -> Any:
    if is_api_request() or error.code not in PAGES:
        return http_error(error)
    title, text = PAGES[error.code]
    appbuilder = current_app.appbuilder  # type: ignore[attr-defined]
    headers = [(name, value) for name, value in error.get_headers() if name.lower() == "allow"]
    body = render_template(
        "kinerja/error.html",
        code=error.code,
        title=title,
        text=text,
        appbuilder=appbuilder,
        base_template=appbuilder.base_template,
    )
    return body, error.code, headers


def register_error_pages(app: Flask) -> None:
    for code in PAGES:
        app.register_error_handler(code, error_page)
