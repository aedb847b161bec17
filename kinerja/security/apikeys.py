"""API keys: FAB's own (``ab_api_key``, ``FAB_API_KEY_ENABLED``), issued to service accounts
and checked cheaply on every request.

FAB's ``protect`` decorator takes ``Authorization: Bearer <prefix>…`` as a key before trying
a JWT and calls the security manager's ``validate_api_key``, which lands here. Two things
differ from FAB's own check, both for the cost of a request:

* a key is found by its keyed lookup hash alone (SHA-256-strength scrypt keyed by
  ``SECRET_KEY``, unique and indexed). The key is 32 random bytes: a slow password hash adds
  nothing against guessing it, and would cost tens of milliseconds of CPU per request. The
  slow ``key_hash`` is still written, so FAB's own check would accept our keys too;
* the last use is written at most once a minute (:data:`LAST_USE_EVERY`), on a connection
  of its own: a read-only request never commits, and a write per request would cost more
  than the request.

A key stops working at once when it is revoked or when its account is deactivated: both
are read from the database on every request.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app, g
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import ApiKey
from sqlalchemy import or_, select, update
from werkzeug.security import generate_password_hash

from kinerja.extensions import db
from kinerja.models.security import KinerjaUser

DEFAULT_PREFIX = "knj_"
LAST_USE_EVERY = timedelta(seconds=60)


def naive_utcnow() -> datetime:
    """FAB's key columns hold naive timestamps: ours are UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def key_prefix() -> str:
    prefixes = current_app.config.get("FAB_API_KEY_PREFIXES") or [DEFAULT_PREFIX]
    return str(prefixes[0])


def lookup_hash(raw_key: str) -> str:
    return str(SecurityManager._compute_lookup_hash(raw_key))


def new_key(user: KinerjaUser, name: str) -> tuple[ApiKey, str]:
    """A new key row for ``user`` (added to the session, not committed) and the key itself,
    which is shown once and never stored."""
    prefix = key_prefix()
    raw = prefix + secrets.token_urlsafe(32)
    key = ApiKey(
        name=name,
        key_hash=generate_password_hash(raw, method="scrypt"),
        lookup_hash=lookup_hash(raw),
        key_prefix=prefix,
        user_id=user.id,
        active=True,
        created_on=naive_utcnow(),
    )
    db.session.add(key)
    return key, raw


def authenticate(raw_key: str) -> KinerjaUser | None:
    """The active user of an active key, or None; marks the request as a key's (as FAB
    does) and notes the key's use."""
    key = db.session.scalars(
        select(ApiKey).where(ApiKey.lookup_hash == lookup_hash(raw_key))
    ).one_or_none()
    if key is None or not key.is_active:
        return None
    user = db.session.get(KinerjaUser, key.user_id)
    if user is None or not user.is_active:
        return None
    _note_use(key)
    g.user = user
    g._api_key_user = True
    g.kinerja_api_key_id = key.id
    return user


def _note_use(key: ApiKey) -> None:
    """Write ``last_used_on`` when the one recorded is a minute old or more; two workers
    racing write it once (the condition is in the UPDATE)."""
    now = naive_utcnow()
    if key.last_used_on is not None and now - key.last_used_on < LAST_USE_EVERY:
        return
    table = ApiKey.__table__
    stale = now - LAST_USE_EVERY
    with db.engine.begin() as connection:
        connection.execute(
            update(table)
            .where(table.c.id == key.id)
            .where(or_(table.c.last_used_on.is_(None), table.c.last_used_on <= stale))
            .values(last_used_on=now)
        )
