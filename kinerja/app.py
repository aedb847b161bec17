"""The application factory: a short, readable list of init steps, nothing else."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, redirect, request
from flask_appbuilder import AppBuilder
from flask_appbuilder.api import BaseApi
from flask_appbuilder.security.api import SecurityApi
from flask_babel import gettext
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import RequestRedirect

import kinerja.models  # noqa: F401 - registers the tables on the metadata
from config import INSTANCE_DIR, ProductionConfig, get_config
from kinerja.cli import register_cli
from kinerja.extensions import csrf, db, mail, migrate, talisman
from kinerja.jobs import init_jobs
from kinerja.security.roles import fab_roles
from kinerja.security.sign_in_limits import SignInRefused, refused_screen
from kinerja.services import audit
from kinerja.views import register_views
from kinerja.views.api_errors import register_api_errors
from kinerja.views.api_errors import too_large as api_too_large
from kinerja.views.error_pages import register_error_pages
from kinerja.views.health import register_health
from kinerja.views.params import BoundedJSONProvider


def create_app(config_name: str | None = None, **overrides: Any) -> Flask:
    """Build the app: configuration, extensions, security, views, jobs and CLI, in order."""
    config = get_config(config_name)
    if issubclass(config, ProductionConfig):
        config.check()
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), instance_relative_config=False)
    app.json = BoundedJSONProvider(app)
    app.config.from_object(config)
    app.config.update(overrides)
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite file and uploads live here
    _configure_logging(app)
    _trust_proxies(app)

    app.config.setdefault("FAB_ROLES", fab_roles())
    db.init_app(app)
    audit.install()
    migrate.init_app(app, db, directory=str(_migrations_dir()))
    mail.init_app(app)
    csrf.init_app(app)
    _send_security_headers(app)
    init_jobs(app)
    with app.app_context():
        appbuilder = AppBuilder()
        appbuilder.init_app(app, db.session)
        register_views(appbuilder)
        _exempt_token_apis_from_csrf(appbuilder)
        _limit_api_sign_in(appbuilder)
    register_api_errors(app)
    register_health(app)
    register_error_pages(app)
    register_cli(app)
    app.register_error_handler(413, _too_large)
    app.register_error_handler(SignInRefused, refused_screen)
    return app


# Only the app's own scripts, styles, images and fonts, never framed. Inline scripts run
# only with the request's nonce (FAB's templates carry it; ours have none, see kinerja.js).
# Style *attributes* are allowed: FAB's templates set them (hidden action forms, "display:
# none" panes, "white-space: pre-line" on detail pages, the login box, chart heights) and
# would break without them; <style> elements and style sheets stay the app's own.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "style-src-attr": "'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def _send_security_headers(app: Flask) -> None:
    """Every answer (screen, JSON, file) says nosniff, may not be framed and sends no
    referrer to other sites; pages get the policy above. TLS ends at the reverse proxy:
    no redirect to https here, HSTS only on answers that came over https."""
    talisman.init_app(
        app,
        force_https=False,
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        content_security_policy_nonce_in=["script-src"],
        referrer_policy="same-origin",
        session_cookie_secure=app.config.get("SESSION_COOKIE_SECURE", False),
        session_cookie_http_only=app.config["SESSION_COOKIE_HTTPONLY"],
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
    )


def _too_large(error: Exception) -> Any:
    """A body over ``MAX_CONTENT_LENGTH`` is refused before it is read: say so in the form
    or as JSON naming the file field, never a bare error page. The form is found from the
    request's own path (never the ``Referer``, which another site chooses)."""
    message = gettext("The file is too large.")
    if request.path.startswith("/api/"):
        return api_too_large(message)
    flash(message, "danger")
    return redirect(_nearest_page(request.path))


def _nearest_page(path: str) -> str:
    """The page at ``path`` or, for an address that only takes a POST
    (``/report/7/evidence``), the nearest one above it (``/report/7/``); else the home page."""
    adapter = current_app.url_map.bind("localhost")
    while path.strip("/"):
        try:
            adapter.match(path, method="GET")
            return path
        except RequestRedirect as redirected:  # the same page with a trailing slash
            return urlsplit(redirected.new_url).path
        except HTTPException:
            path = path.rstrip("/").rsplit("/", 1)[0] or "/"
    return "/"


def _exempt_token_apis_from_csrf(appbuilder: AppBuilder) -> None:
    """REST resources authenticate with a bearer token, never a cookie: no CSRF risk."""
    for view in appbuilder.baseviews:
        if isinstance(view, BaseApi) and view.blueprint is not None:
            csrf.exempt(view.blueprint)


def _limit_api_sign_in(appbuilder: AppBuilder) -> None:
    """FAB limits sign-in attempts on its login form only; the API's login gets the same."""
    sm = appbuilder.sm
    if not sm.is_auth_limited:
        return
    for view in appbuilder.baseviews:
        if isinstance(view, SecurityApi):
            sm.limiter.limit(sm.auth_rate_limit, methods=["POST"])(view.blueprint)


def _trust_proxies(app: Flask) -> None:
    """Behind ``KINERJA_PROXY_COUNT`` reverse proxies, the client's address (rate limits),
    scheme and host come from their X-Forwarded-* headers; with none, headers are ignored
    (a client could forge them)."""
    hops = int(app.config.get("KINERJA_PROXY_COUNT") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )


def _migrations_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "migrations"


def _configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        for noisy in ("flask_appbuilder", "alembic"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
