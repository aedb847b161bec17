"""Are the test services up? One clear line saying which one is not, and how to start it.

``make test`` runs this first (``python -m tests.services_check``); the suite checks again.
"""

from __future__ import annotations

import sys

from redis import Redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from config import TestConfig

DATABASE_URL = TestConfig.SQLALCHEMY_DATABASE_URI
REDIS_URL = TestConfig.REDIS_URL


def check_services() -> str | None:
    url = make_url(DATABASE_URL)
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        return (
            f"PostgreSQL is not reachable at {url.render_as_string(hide_password=True)} "
            f"({type(exc).__name__}): start it (e.g. `pg_ctlcluster 15 main start`) or set "
            "KINERJA_TEST_DATABASE_URL."
        )
    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as exc:
        return (
            f"Redis is not reachable at {REDIS_URL} ({type(exc).__name__}): start it "
            "(e.g. `redis-server --daemonize yes`) or set KINERJA_TEST_REDIS_URL."
        )
    return None


if __name__ == "__main__":
    problem = check_services()
    if problem:
        print(problem, file=sys.stderr)
        sys.exit(3)
