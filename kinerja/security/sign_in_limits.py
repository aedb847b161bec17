"""Failed sign-ins counted per account and per client address, in Redis.

Password guessing is slowed in two ways, both counting *failures* only, so that a whole
office signing in at 8 a.m. from one address (a NAT, a proxy) never counts against itself:

- per account (``KINERJA_SIGN_IN_ACCOUNT_LIMIT``, 5 per 15 minutes): a login whose password
  was wrong that often is refused, from any address, until the window ends; a successful
  sign-in clears its count. Guesses at the current password in the own-password form count
  here too: that form must not become a way around the limit.
- per client address (``KINERJA_SIGN_IN_CLIENT_LIMIT``, 100 per 15 minutes): one address
  trying many logins. The address is ``request.remote_addr``, which behind
  ``KINERJA_PROXY_COUNT`` reverse proxies is the one they forwarded (ProxyFix,
  :func:`kinerja.app._trust_proxies`).

The counts live in the app's Redis, shared by every gunicorn worker and host; without
``REDIS_URL`` (``make run``) in memory. If Redis does not answer, sign-ins are let through
and the failure logged: people must be able to work while Redis is restarted.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Any

from flask import Flask, current_app, flash, redirect, request
from flask_babel import gettext
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers.response import Response

from kinerja.security.api_limits import PAUSE_AFTER_FAILURE, REDIS_TIMEOUTS

log = logging.getLogger(__name__)

_STATE = "kinerja_sign_in_limits"
ACCOUNT = "kinerja-sign-in-account"
CLIENT = "kinerja-sign-in-client"
OFF = {"", "0", "off", "none", "false"}
MAX_NAME = 256  # a username longer than any login is still counted, under a bounded key


class SignInRefused(TooManyRequests):
    """Too many failed sign-ins for this account or from this address."""

    def __init__(self, seconds: int, per_account: bool) -> None:
        super().__init__(retry_after=seconds)
        self.seconds = seconds
        self.per_account = per_account

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil(self.seconds / 60))
        if self.per_account:
            return gettext(
                "Too many failed sign-ins for this account: try again in %(minutes)d minutes, "
                "or ask your Operator to reset the password.",
                minutes=minutes,
            )
        return gettext(
            "Too many failed sign-ins from this address: try again in %(minutes)d minutes.",
            minutes=minutes,
        )


def _item(app: Flask, setting: str, default: str) -> RateLimitItem | None:
    spec = str(app.config.get(setting, default) or "").strip()
    return None if spec.lower() in OFF else parse(spec)


def _limits(app: Flask) -> dict[str, Any]:
    """The limiter and the two limits of the current settings (rebuilt when they change)."""
    uri = app.config.get("REDIS_URL") or "memory://"
    key = (
        uri,
        app.config.get("KINERJA_SIGN_IN_ACCOUNT_LIMIT"),
        app.config.get("KINERJA_SIGN_IN_CLIENT_LIMIT"),
    )
    state: dict[str, Any] = app.extensions.setdefault(_STATE, {})
    if state.get("key") != key:
        options = REDIS_TIMEOUTS if uri.startswith("redis") else {}
        state.update(
            key=key,
            down_until=0.0,
            limiter=FixedWindowRateLimiter(storage_from_string(uri, **options)),
            items={
                ACCOUNT: _item(app, "KINERJA_SIGN_IN_ACCOUNT_LIMIT", "5 per 15 minutes"),
                CLIENT: _item(app, "KINERJA_SIGN_IN_CLIENT_LIMIT", "100 per 15 minutes"),
            },
        )
    return state


def _keys(username: str | None) -> dict[str, str]:
    keys = {CLIENT: request.remote_addr or "unknown"}
    name = (username or "").strip().lower()[:MAX_NAME]
    if name:
        keys[ACCOUNT] = name
    return keys


def _use_redis(action: str, call: Any) -> Any:
    """Run ``call`` on the counters; None (and a pause) when Redis does not answer."""
    state = _limits(current_app)
    if state["down_until"] > time.monotonic():
        return None
    try:
        return call(state["limiter"], state["items"])
    except Exception:  # Redis down: let people work, say so, leave it alone for a while
        state["down_until"] = time.monotonic() + PAUSE_AFTER_FAILURE
        log.warning("sign-in limit unavailable (%s), let through", action, exc_info=True)
        return None


def check(username: str | None) -> None:
    """Raise :class:`SignInRefused` if this account or this address is over its limit."""

    def over(limiter: FixedWindowRateLimiter, items: dict[str, Any]) -> SignInRefused | None:
        for kind, key in _keys(username).items():
            item = items.get(kind)
            if item is not None and not limiter.test(item, kind, key):
                reset = limiter.get_window_stats(item, kind, key).reset_time
                return SignInRefused(max(1, math.ceil(reset - time.time())), kind == ACCOUNT)
        return None

    refused = _use_redis("check", over)
    if refused is not None:
        raise refused


def record_failure(username: str | None) -> None:
    """Count a wrong password against the account and the address."""

    def hit(limiter: FixedWindowRateLimiter, items: dict[str, Any]) -> None:
        for kind, key in _keys(username).items():
            item = items.get(kind)
            if item is not None:
                limiter.hit(item, kind, key)

    _use_redis("count", hit)


def record_success(username: str | None) -> None:
    """A right password clears the account's count (not the address's)."""

    def clear(limiter: FixedWindowRateLimiter, items: dict[str, Any]) -> None:
        item = items.get(ACCOUNT)
        key = _keys(username).get(ACCOUNT)
        if item is not None and key:
            limiter.clear(item, ACCOUNT, key)

    _use_redis("clear", clear)


def refused_screen(error: SignInRefused) -> Response:
    """On a screen (the sign-in form, the own-password form): the same form again with the
    message, as after a wrong password."""
    flash(error.message, "danger")
    return redirect(request.full_path if request.query_string else request.path)
