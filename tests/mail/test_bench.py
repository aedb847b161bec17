"""``flask kinerja bench email`` at a small size: bare smtplib, then the product's path
(inline, and on a real RQ worker), ending with its JSON line."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select

from kinerja.bench.email import bench_email
from kinerja.extensions import db
from kinerja.models.jobs import JobRun, JobStatus
from kinerja.models.mail import OutgoingEmail


@pytest.fixture
def without_redis(app: Flask) -> Iterator[None]:
    url = app.config["REDIS_URL"]
    app.config["REDIS_URL"] = None  # jobs run inline after the commit
    yield
    app.config["REDIS_URL"] = url


def _check(lines: list[str], recipients: int) -> dict:
    summary = json.loads(lines[-1])
    assert set(summary) == {"bench", "recipients", "seconds", "per_second", "bare_per_second"}
    assert (summary["bench"], summary["recipients"]) == ("email", recipients)
    assert summary["seconds"] > 0 and summary["per_second"] > 0
    assert summary["bare_per_second"] > 0
    assert f"the server received {recipients:,}." in lines[-2]
    assert db.session.scalar(select(func.count()).select_from(OutgoingEmail)) == 0  # cleaned
    runs = db.session.scalars(select(JobRun)).all()
    assert runs and {r.status for r in runs} == {JobStatus.SUCCEEDED}
    assert sum(r.outcome.params["sent"] for r in runs) == recipients
    return summary


def test_the_email_bench_inline_prints_its_figures(app: Flask, without_redis: None) -> None:
    lines = list(bench_email(app, 40))
    assert "in-process" in lines[1]
    _check(lines, 40)


@pytest.mark.slow
def test_the_email_bench_on_a_worker_prints_its_figures(app: Flask) -> None:
    lines = list(bench_email(app, 60))
    assert "one RQ worker process" in lines[1]
    _check(lines, 60)
