"""What a load balancer and the screens need to know of the services the app leans on: the
database, Redis and the job queues.

The database is essential: without it no page can be served, and ``/health`` answers 503 so
the load balancer stops sending people to this node. Redis is not: without it screens and
API keep working (jobs wait in the outbox, limits let requests through), so it only makes
the app *degraded* — a banner on the screens and an ``X-Kinerja-Degraded`` header. Whether
Redis answers is asked at most every ``KINERJA_REDIS_PROBE_SECONDS`` per process, with
short timeouts, so a Redis that is down costs a request nothing.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from kinerja.extensions import db
from kinerja.models.jobs import JobRun, JobStatus

log = logging.getLogger(__name__)

_STATE = "kinerja_health"
PROBE_TIMEOUTS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}


@dataclass
class Health:
    database: bool
    redis: bool | None  # None: not configured (jobs run inline)
    queues: dict[str, int] = field(default_factory=dict)
    pending_runs: int | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if not self.database:
            return "down"
        return "degraded" if self.redis is False else "ok"

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "database": {"ok": self.database},
            "redis": {"ok": self.redis, "configured": self.redis is not None},
            "queues": self.queues,
            "pending_runs": self.pending_runs,
            "problems": self.problems,
        }


def _probe_client(app: Flask) -> Redis | None:
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    state: dict[str, Any] = app.extensions.setdefault(_STATE, {})
    if state.get("url") != url:
        state.update(url=url, client=Redis.from_url(url, **PROBE_TIMEOUTS), checked=0.0, ok=True)
    client: Redis = state["client"]
    return client


def redis_down() -> bool:
    """Whether Redis is configured and did not answer lately (checked at most every few
    seconds in this process)."""
    client = _probe_client(current_app)
    if client is None:
        return False
    state = current_app.extensions[_STATE]
    every = float(current_app.config.get("KINERJA_REDIS_PROBE_SECONDS", 5))
    if time.monotonic() - state["checked"] >= every:
        try:
            state["ok"] = bool(client.ping())
        except RedisError:
            state["ok"] = False
        state["checked"] = time.monotonic()
    return not state["ok"]


def check() -> Health:
    """Ask the database and Redis now (no cached answer): for ``/health``."""
    health = Health(database=True, redis=None)
    try:
        db.session.execute(text("SELECT 1"))
        health.pending_runs = db.session.scalar(
            select(func.count()).select_from(JobRun).where(JobRun.status == JobStatus.PENDING)
        )
    except SQLAlchemyError as exc:
        health.database = False
        health.problems.append(f"database: {type(exc).__name__}")
        log.warning("health: the database does not answer: %s", exc)
    finally:
        db.session.rollback()
    client = _probe_client(current_app)
    if client is not None:
        try:
            client.ping()
            for name in current_app.config.get("RQ_QUEUES", ["default"]):
                health.queues[name] = Queue(name, connection=client).count
            health.redis = True
        except RedisError as exc:
            health.redis = False
            health.problems.append(f"redis: {type(exc).__name__}")
        state = current_app.extensions[_STATE]
        state.update(ok=bool(health.redis), checked=time.monotonic())
    return health
