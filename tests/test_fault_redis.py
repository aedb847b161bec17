"""Redis down: screens and API keep working and say so (a banner, ``X-Kinerja-Degraded``,
``/health``); work submitted meanwhile is saved and its job runs once Redis is back. The app
is pointed at a private redis-server of this module, stopped and started again."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import select

from kinerja.extensions import db
from kinerja.models.jobs import JobRun, JobStatus
from kinerja.models.org import Employee
from kinerja.services import outbox
from kinerja.views.health import DEGRADED_HEADER
from tests.conftest import MailSink, _free_port
from tests.factories import Org, api_token, login

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="no redis-server")
BANNER = "the job queue (Redis) is not reachable"


class PrivateRedis:
    """A redis-server of our own on a free port, without persistence."""

    def __init__(self, directory: Path) -> None:
        self.port = _free_port()
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                Redis.from_url(self.url, socket_connect_timeout=0.2).ping()
                return
            except RedisError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture(scope="module")
def private_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_of_ours(app: Flask, private_redis: PrivateRedis) -> Iterator[PrivateRedis]:
    """The app's REDIS_URL is the private server (asked about at every request)."""
    jobs = app.extensions["kinerja_jobs"]
    saved = app.config["REDIS_URL"], app.config["KINERJA_REDIS_PROBE_SECONDS"]
    app.config["REDIS_URL"], app.config["KINERJA_REDIS_PROBE_SECONDS"] = private_redis.url, 0
    jobs["redis"] = None
    if private_redis.process is None:
        private_redis.start()
    Redis.from_url(private_redis.url).flushdb()
    yield private_redis
    if private_redis.process is None:
        private_redis.start()
    app.config["REDIS_URL"], app.config["KINERJA_REDIS_PROBE_SECONDS"] = saved
    jobs["redis"] = None


def test_screens_api_and_health_say_degraded_while_redis_is_down(
    client: FlaskClient, org: Org, redis_of_ours: PrivateRedis
) -> None:
    login(client, "admin")
    assert BANNER not in client.get("/?_l_=en").get_data(as_text=True)
    assert client.get("/health").get_json()["status"] == "ok"
    redis_of_ours.stop()

    page = client.get("/?_l_=en")
    assert page.status_code == 200 and page.headers[DEGRADED_HEADER] == "redis"
    assert BANNER in page.get_data(as_text=True)
    listed = client.get("/api/v1/unit/", headers=api_token(client, "admin"))
    assert listed.status_code == 200 and listed.headers[DEGRADED_HEADER] == "redis"
    assert listed.get_json()["count"] > 0
    health = client.get("/health")
    assert health.status_code == 200  # the node still serves: keep it in the pool
    assert health.get_json()["status"] == "degraded"
    assert health.get_json()["redis"] == {"ok": False, "configured": True}

    redis_of_ours.start()
    back = client.get("/?_l_=en")
    assert DEGRADED_HEADER not in back.headers and BANNER not in back.get_data(as_text=True)
    assert client.get("/health").get_json()["status"] == "ok"


def test_work_submitted_while_redis_is_down_is_saved_and_its_job_runs_once_it_is_back(
    client: FlaskClient,
    org: Org,
    redis_of_ours: PrivateRedis,
    run_jobs: Callable[[], None],
    mailbox: MailSink,
) -> None:
    login(client, "operator")
    redis_of_ours.stop()
    employee_id = org.employees.epid2.id
    sent = client.post("/logins/create", data={"delivery": "email", "employee_id": [employee_id]})
    assert sent.status_code == 302 and sent.headers[DEGRADED_HEADER] == "redis"
    db.session.expire_all()
    assert db.session.get(Employee, employee_id).user_id is not None  # the login is saved
    run = db.session.scalar(select(JobRun))
    assert run.status == JobStatus.PENDING  # waits in the outbox
    health = client.get("/health").get_json()
    assert health["pending_runs"] == 1 and health["status"] == "degraded"

    redis_of_ours.start()
    assert outbox.dispatch_pending(older_than=timedelta(0)) == 1  # the worker's sweep
    assert client.get("/health").get_json()["queues"]["mail"] == 1
    run_jobs()
    db.session.expire_all()
    assert db.session.get(JobRun, run.id).status == JobStatus.SUCCEEDED
    assert [m["To"] for m in mailbox.messages] == ["epid2@uji.example"]
