"""``/health`` for load balancers, the banner and header of a degraded app (Redis down), and
a clean 503 while the database is unreachable (restarted, failed over).

A request that meets a lost or refused database connection answers 503 — JSON in the API's
error shape under ``/api/``, a short page elsewhere — with ``Retry-After``, instead of a 500:
its transaction was rolled back, so nothing of it was written, and the next request gets a
fresh connection (``pool_pre_ping``), so the app recovers without a restart. FAB's ``@safe``
turns every exception of a REST method into a 500 itself; the engine's ``handle_error``
event marks the request, and the 500 becomes the 503 on its way out.
"""

from __future__ import annotations

import logging
from typing import Any

import psycopg
from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    g,
    has_request_context,
    jsonify,
)
from flask_babel import force_locale, gettext
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from kinerja.extensions import db
from kinerja.services import health
from kinerja.views.api_errors import error_body, is_api_request

log = logging.getLogger(__name__)

DEGRADED_HEADER = "X-Kinerja-Degraded"
RETRY_AFTER_SECONDS = 5
_DATABASE_DOWN = "_kinerja_database_down"

blueprint = Blueprint("kinerja_health", __name__)


@blueprint.get("/health")
def health_answer() -> tuple[Response, int]:
    """200 while the database answers (``degraded`` when Redis does not: the app still
    serves), 503 when it does not; never behind a sign-in, never cached."""
    found = health.check()
    response = jsonify(found.as_json())
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if found.database else 503


@event.listens_for(Engine, "handle_error")
def _mark_lost_connection(context: Any) -> None:
    """Mark the request when the database connection was lost or refused (not a deadlock
    or a timeout of a statement, which are the query's own failures)."""
    lost = context.is_disconnect or _connection_failure(context.original_exception)
    if lost and has_request_context():
        setattr(g, _DATABASE_DOWN, True)


def _connection_failure(error: BaseException) -> bool:
    """psycopg's connection failures: no SQLSTATE (could not connect), class 08
    (connection exception) or 57P (the server shutting down or starting)."""
    if not isinstance(error, psycopg.OperationalError):
        return False
    state = getattr(error, "sqlstate", None)
    return state is None or state.startswith(("08", "57P"))


def database_unavailable(_error: Exception | None = None) -> Response:
    """503, nothing written: the API's error shape, or a page that needs no database (no
    context processors: they would load the signed-in user)."""
    db.session.rollback()
    try:
        response = _unavailable_answer()
    except SQLAlchemyError:  # the caller's language is read from their (unreachable) row
        with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "id")):
            response = _unavailable_answer()
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _unavailable_answer() -> Response:
    message = gettext("The database is not reachable at the moment: try again in a moment.")
    if is_api_request():
        body = error_body(503, message)
        body["error"] = "unavailable"
        return jsonify(body)
    page = current_app.jinja_env.get_template("kinerja/unavailable.html")
    return Response(page.render(message=message), mimetype="text/html")


def _on_database_error(error: DBAPIError) -> Response:
    if g.get(_DATABASE_DOWN) or error.connection_invalidated:
        log.warning("database unreachable: %s", error.orig)
        return database_unavailable(error)
    raise error


def _after_request(response: Response) -> Response:
    if response.status_code == 500 and g.get(_DATABASE_DOWN):
        return database_unavailable()
    if health.redis_down():
        response.headers[DEGRADED_HEADER] = "redis"
    return response


def register_health(app: Flask) -> None:
    """The route, the degraded header and banner, and the 503 of a lost database."""
    app.register_blueprint(blueprint)
    app.register_error_handler(DBAPIError, _on_database_error)
    app.after_request(_after_request)
    app.context_processor(lambda: {"kinerja_redis_down": health.redis_down})
