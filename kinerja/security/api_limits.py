"""Requests per account per minute on the REST API, counted in Redis.

Every authenticated API request (an API key or a JWT) counts against its account in a fixed
one-minute window kept in the app's Redis, so every gunicorn worker and every host counts
the same requests; over ``API_RATE_LIMIT`` the request answers 429 with ``Retry-After``
(the seconds until the window ends). Without ``REDIS_URL`` (``make run``) it counts in
memory. If Redis does not answer, requests are let through and the failure logged: a
counter is not worth refusing a payroll run.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Any

from flask import Flask, current_app, g
from limits import RateLimitItem, RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

log = logging.getLogger(__name__)

_STATE = "kinerja_api_limits"
_COUNTED = "_kinerja_api_counted"
NAMESPACE = "kinerja-api"
# Redis must answer quickly or not at all: a hung connection would hang every request.
REDIS_TIMEOUTS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}
# After Redis failed, this process stops asking it for a while: a Redis that hangs must not
# add its timeout to every request.
PAUSE_AFTER_FAILURE = 10.0


def per_minute(app: Flask) -> int:
    """``API_RATE_LIMIT``: requests per account per minute; 0 (or ``off``) for none."""
    value = str(app.config.get("API_RATE_LIMIT", 600)).strip().lower()
    if value in {"", "0", "off", "none", "false"}:
        return 0
    return max(0, int(value))


def _limiter(app: Flask) -> tuple[FixedWindowRateLimiter, RateLimitItem] | None:
    limit = per_minute(app)
    if not limit:
        return None
    uri = app.config.get("REDIS_URL") or "memory://"
    state: dict[str, Any] = app.extensions.setdefault(_STATE, {})
    if state.get("key") != (limit, uri):
        options = REDIS_TIMEOUTS if uri.startswith("redis") else {}
        state.update(
            down_until=0.0,
            key=(limit, uri),
            item=RateLimitItemPerMinute(limit),
            limiter=FixedWindowRateLimiter(storage_from_string(uri, **options)),
        )
    return state["limiter"], state["item"]


def count_request(user_id: int) -> None:
    """Count this request against ``user_id`` (once per request); raise 429 when over."""
    if g.get(_COUNTED):
        return
    setattr(g, _COUNTED, True)
    found = _limiter(current_app)
    state: dict[str, Any] = current_app.extensions.get(_STATE, {})
    if found is None or state.get("down_until", 0.0) > time.monotonic():
        return
    limiter, item = found
    try:
        if limiter.hit(item, NAMESPACE, str(user_id)):
            return
        reset = limiter.get_window_stats(item, NAMESPACE, str(user_id)).reset_time
    except Exception:  # Redis down: fail open, say so, leave it alone for a while
        state["down_until"] = time.monotonic() + PAUSE_AFTER_FAILURE
        log.warning("API rate limit unavailable, request let through", exc_info=True)
        return
    raise TooManyRequests(retry_after=max(1, math.ceil(reset - time.time())))
