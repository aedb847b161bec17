"""What keeps the public survey form usable under abuse without hurting real people: a rate
limit per client address, the browser's own random key, and a bound on what is read.

The rate limit uses the ``limits`` library that Flask-Limiter (FAB's sign-in limit) is built
on, with its storage in the app's Redis, so that every gunicorn worker counts the same
submissions; without ``REDIS_URL`` (``make run``) it counts in memory. The client address is
``request.remote_addr``: behind reverse proxies ``KINERJA_PROXY_COUNT`` makes it the one the
proxies forwarded (:func:`kinerja.app._trust_proxies`). If Redis fails, submissions are let
through: an accepted response is never lost for a counter.
"""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any

from flask import Flask, current_app, request
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.wrappers.response import Response

log = logging.getLogger(__name__)

BROWSER_COOKIE = "skm_key"
BROWSER_COOKIE_DAYS = 400
OFF = {"", "0", "off", "none", "false"}
_STATE = "kinerja_survey_limits"


def _limiter(app: Flask) -> tuple[FixedWindowRateLimiter, RateLimitItem] | None:
    """The limiter of the current setting (rebuilt when the setting changes), or None."""
    spec = str(app.config.get("KINERJA_SURVEY_RATE_LIMIT") or "").strip()
    if spec.lower() in OFF:
        return None
    state: dict[str, Any] = app.extensions.setdefault(_STATE, {})
    if state.get("spec") != spec:
        uri = app.config.get("REDIS_URL") or "memory://"
        state.update(
            spec=spec,
            item=parse(spec),
            limiter=FixedWindowRateLimiter(storage_from_string(uri)),
        )
    return state["limiter"], state["item"]


def client_address() -> str:
    return request.remote_addr or "unknown"


def allow_submission() -> bool:
    """Count one submission of this client; False once it is over the limit."""
    found = _limiter(current_app)
    if found is None:
        return True
    limiter, item = found
    try:
        return bool(limiter.hit(item, "skm", client_address()))
    except Exception:  # Redis down: a real person's answer matters more than the count
        log.warning("survey rate limit unavailable, submission let through", exc_info=True)
        return True


def retry_after() -> int:
    """Seconds until this client may submit again (for the Retry-After header)."""
    found = _limiter(current_app)
    if found is None:
        return 0
    limiter, item = found
    try:
        reset = limiter.get_window_stats(item, "skm", client_address()).reset_time
    except Exception:
        return 60
    return max(1, int(reset - time.time()))


def body_too_large() -> bool:
    """Whether the request says it sends more than a survey submission ever needs; the
    limit is also set on the request, so a body without a length is cut off too."""
    limit = int(current_app.config.get("KINERJA_SURVEY_MAX_BYTES") or 32 * 1024)
    request.max_content_length = limit
    request.max_form_parts = 100
    return (request.content_length or 0) > limit


def browser_key() -> tuple[str, bool]:
    """This browser's random key for the surveys, and whether it is new (to be set)."""
    key = request.cookies.get(BROWSER_COOKIE, "")
    if 16 <= len(key) <= 64 and key.replace("-", "").replace("_", "").isalnum():
        return key, False
    return secrets.token_urlsafe(24), True


def keep_browser_key(response: Response, key: str) -> Response:
    """The key cookie: not readable by scripts, not sent by other sites' forms, secure where
    the session cookie is."""
    response.set_cookie(
        BROWSER_COOKIE,
        key,
        max_age=BROWSER_COOKIE_DAYS * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE", False)),
        path="/",
    )
    return response
