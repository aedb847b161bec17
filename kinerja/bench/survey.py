"""``flask kinerja bench survey --responses N``: the public survey at scale, on the configured
database (use a scratch one: the bench adds, then removes, its own unit, service and surveys).

* ``ikm_seconds``: N responses are bulk-loaded (``COPY`` on PostgreSQL) into one survey, then
  its index is computed by the job's use case and timed (:func:`measure_ikm_seconds`).
* ``submit_per_second``: the app is served by gunicorn (2 workers, as ``make serve-prod``) on
  loopback, and threads post submissions to the public endpoint over HTTP, each over its own
  connection kept alive where the server allows, as many phones would. The survey rate limit
  is turned off for that server (``KINERJA_SURVEY_RATE_LIMIT=off``): one address sends all.

The last line printed is the JSON summary.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import delete, func, select

from kinerja.domain.org import UnitKind
from kinerja.domain.survey import ELEMENT_COUNT
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.org import Unit
from kinerja.models.planning import Period
from kinerja.models.surveys import ANSWER_COLUMNS, Service, Survey, SurveyResponse
from kinerja.security.policies import SYSTEM
from kinerja.services.plans.periods import save_period
from kinerja.services.surveys.catalogue import new_token, today
from kinerja.services.surveys.indices import compute_survey_indices

ROOT = Path(__file__).resolve().parents[2]
BENCH_UNIT = "BENCH.SKM"
WORKERS = 2
CLIENT_THREADS = int(os.environ.get("KINERJA_BENCH_CLIENTS", "16"))


def gunicorn_command(bind: str, workers: int = WORKERS) -> list[str]:
    """The production server's command line (``make serve-prod`` runs the same)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--bind",
        bind,
        "--worker-class",
        os.environ.get("GUNICORN_WORKER_CLASS", "gthread"),
        "--threads",
        os.environ.get("GUNICORN_THREADS", "4"),
        "--keep-alive",
        "5",
        "run:app",
    ]


def measure_ikm_seconds(survey_id: int) -> float:
    """Seconds the survey index job's use case takes to compute the survey (and its unit):
    one ``GROUP BY`` over the responses, the exact rule over the totals, the upserts."""
    started = time.perf_counter()
    compute_survey_indices([survey_id], None, SYSTEM)
    return time.perf_counter() - started


def _period() -> Period:
    period = db.session.scalar(select(Period).where(Period.year == today().year))
    if period is None:
        period = Period(year=today().year, cadence="quarterly")
        save_period(period, SYSTEM)
    return period


def _setup() -> tuple[int, int, str]:
    """The bench's unit, service and two surveys open today: one for the bulk load, one for
    the submissions over HTTP (its token)."""
    _teardown()
    period = _period()
    unit = Unit(code=BENCH_UNIT, name="Benchmark SKM", kind=UnitKind.DIVISION, active=True)
    service = Service(unit=unit, name="Benchmark", yearly_population=1_000_000, active=True)
    surveys = [
        Survey(
            service=service,
            period=period,
            token=new_token(),
            opens_on=period.starts_on.replace(day=index + 1),
            closes_on=period.ends_on,
        )
        for index in range(2)
    ]
    db.session.add_all([unit, service, *surveys])
    db.session.commit()
    return surveys[0].id, surveys[1].id, surveys[1].token


def _teardown() -> None:
    unit_id = db.session.scalar(select(Unit.id).where(Unit.code == BENCH_UNIT))
    if unit_id is None:
        return
    services = select(Service.id).where(Service.unit_id == unit_id)
    surveys = select(Survey.id).where(Survey.service_id.in_(services))
    db.session.execute(delete(SurveyResponse).where(SurveyResponse.survey_id.in_(surveys)))
    db.session.execute(delete(Survey).where(Survey.service_id.in_(services)))
    db.session.execute(delete(Service).where(Service.unit_id == unit_id))
    db.session.execute(delete(Unit).where(Unit.id == unit_id))
    db.session.commit()


def bulk_load(survey_id: int, count: int) -> float:
    """Load ``count`` random responses into the survey; the seconds it took."""
    chance = secrets.SystemRandom()
    started = time.perf_counter()
    stamp = utcnow()
    columns = ["survey_id", "submitted_at", "browser_key", *ANSWER_COLUMNS, "comment_published"]
    rows = (
        (
            survey_id,
            stamp,
            f"bench-{number:09d}",
            *(chance.randint(1, 4) for _ in ANSWER_COLUMNS),
            False,
        )
        for number in range(count)
    )
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.cursor()
        with cursor.copy(f"COPY survey_response ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        db.session.execute(
            SurveyResponse.__table__.insert(),
            [dict(zip(columns, row, strict=True)) for row in rows],
        )
    db.session.commit()
    return time.perf_counter() - started


@contextmanager
def served(app: Flask) -> Iterator[tuple[str, int]]:
    """The app under gunicorn on a free loopback port, against the same database."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": str(app.config["SQLALCHEMY_DATABASE_URI"]),
        "SECRET_KEY": str(app.config["SECRET_KEY"]),
        "KINERJA_SURVEY_RATE_LIMIT": "off",
        "FAB_UPDATE_PERMS": "0",
    }
    server = subprocess.Popen(  # noqa: S603 - our own command line
        gunicorn_command(f"127.0.0.1:{port}"),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_until_up(server, port)
        yield "127.0.0.1", port
    finally:
        server.terminate()
        server.wait(timeout=20)


def _wait_until_up(server: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            error = server.stderr.read().decode() if server.stderr else ""
            raise RuntimeError(f"gunicorn stopped:\n{error[-2000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/login/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def post_submissions(
    host: str, port: int, token: str, count: int, prefix: str = "bench-http"
) -> tuple[float, int]:
    """Post ``count`` submissions from :data:`CLIENT_THREADS` threads; (seconds, accepted)."""
    path = f"/api/v1/public/survey/{token}/response"
    numbers = iter(range(count))
    lock = threading.Lock()
    accepted = [0]
    chance = secrets.SystemRandom()

    def client() -> int:
        connection = http.client.HTTPConnection(host, port, timeout=30)
        done = 0
        while True:
            with lock:
                number = next(numbers, None)
            if number is None:
                break
            body = json.dumps(
                {
                    "answers": [chance.randint(1, 4) for _ in range(ELEMENT_COUNT)],
                    "browser_key": f"{prefix}-{number:09d}",
                }
            )
            connection.request("POST", path, body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            if response.status == 201:
                done += 1
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
        connection.close()
        return done

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        results = [pool.submit(client) for _ in range(CLIENT_THREADS)]
        accepted[0] = sum(result.result() for result in results)
    return time.perf_counter() - started, accepted[0]


def bench_survey(app: Flask, responses: int, submissions: int) -> Iterator[str]:
    bulk_id, http_id, token = _setup()
    try:
        loaded = bulk_load(bulk_id, responses)
        yield f"loaded {responses:,} responses in {loaded:.1f} s"
        measure_ikm_seconds(bulk_id)  # warm the cache once, as the nightly job finds it
        ikm_seconds = min(measure_ikm_seconds(bulk_id) for _ in range(3))
        yield f"IKM of {responses:,} responses: {ikm_seconds:.3f} s"
        with served(app) as (host, port):
            post_submissions(host, port, token, 200, prefix="bench-warm")  # warm the workers
            seconds, accepted = post_submissions(host, port, token, submissions)
        rate = accepted / seconds if seconds else 0.0
        yield (
            f"{accepted:,} of {submissions:,} submissions accepted over HTTP in {seconds:.1f} s "
            f"({WORKERS} gunicorn workers, {CLIENT_THREADS} client threads): {rate:.0f}/s"
        )
        counted = db.session.scalar(
            select(func.count(SurveyResponse.id)).where(SurveyResponse.survey_id == http_id)
        )
        yield f"responses saved by the server (200 of them warming up): {counted:,}"
    finally:
        _teardown()
    summary: dict[str, Any] = {
        "bench": "survey",
        "responses": responses,
        "ikm_seconds": round(ikm_seconds, 3),
        "submit_per_second": round(rate, 1),
    }
    yield json.dumps(summary)
