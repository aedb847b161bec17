"""An import whose worker is killed (SIGKILL) mid-run: nothing of it is committed, RQ retries
it, and a new worker process completes it — every row once, none missing."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from flask import current_app
from rq.registry import ScheduledJobRegistry
from sqlalchemy import func, select

from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.jobs import JobRun, JobStatus
from kinerja.models.org import Employee
from kinerja.security.policies import scope_for_user
from kinerja.services import outbox
from kinerja.services.imports import ImportKind, ImportMode, request_import
from tests.factories import Org

ROOT = Path(__file__).resolve().parents[2]
ROWS = 6000
PREFIX = "Impor Uji"


def _nips(count: int) -> list[str]:
    """Distinct valid NIPs: birth dates over two years, a serial per date."""
    out = []
    for number in range(count):
        day, serial = divmod(number, 900)
        year, rest = divmod(day, 12 * 28)
        month, dom = divmod(rest, 28)
        birth = f"{1980 + year}{month + 1:02d}{dom + 1:02d}"
        out.append(f"{birth}2010031{serial + 1:03d}")
    return out


def _csv() -> bytes:
    lines = ["nip,nama,kode_unit"]
    lines += [f"{nip},{PREFIX} {n},DINKES" for n, nip in enumerate(_nips(ROWS))]
    return ("\n".join(lines) + "\n").encode()


def _env() -> dict[str, str]:
    """The worker's environment: the test settings, and this app's file stores."""
    config = current_app.config
    return {
        **os.environ,
        "KINERJA_ENV": "test",
        "KINERJA_UPLOAD_DIR": config["KINERJA_UPLOAD_DIR"],
        "KINERJA_STORAGE_DIR": config["KINERJA_STORAGE_DIR"],
    }


def _worker(log: Path, *args: str) -> subprocess.Popen[str]:
    with log.open("a") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "run", "kinerja", "worker", *args],
            cwd=ROOT,
            env=_env(),
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )


def _run(run_id: int) -> JobRun:
    db.session.expire_all()
    return db.session.get(JobRun, run_id)


def _wait_for(condition: Callable[[], bool], log: Path, seconds: int = 60) -> None:
    deadline = utcnow() + timedelta(seconds=seconds)
    while not condition():
        assert utcnow() < deadline, "timed out; worker log:\n" + log.read_text()


def _work_horse(worker_pid: int) -> int | None:
    """The worker's child running the job (RQ gives it a process group of its own)."""
    children = Path(f"/proc/{worker_pid}/task/{worker_pid}/children").read_text().split()
    for pid in map(int, children):
        try:
            if os.getpgid(pid) == pid:
                return pid
        except ProcessLookupError:
            continue
    return None


def _imported() -> tuple[int, int]:
    """Employees of the file, and distinct NIPs among them."""
    db.session.expire_all()
    found = db.session.execute(
        select(func.count(), func.count(func.distinct(Employee.nip))).where(
            Employee.name.like(f"{PREFIX} %")
        )
    ).one()
    return int(found[0]), int(found[1])


@pytest.mark.slow
def test_an_import_killed_mid_run_is_retried_by_a_new_worker_with_each_row_once(
    org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A retry far off: the killed worker's own scheduler must not start it again before the
    # worker is killed too (under load 10 s can pass); the test moves it forward itself.
    monkeypatch.setattr(outbox, "RETRY_INTERVALS", (600, 600, 600))
    run = request_import(
        ImportKind.EMPLOYEES,
        io.BytesIO(_csv()),
        "pegawai.csv",
        ImportMode.ALL_OR_NOTHING,
        scope_for_user(org.users.admin),
    )
    log = tmp_path / "worker.log"
    worker = _worker(log, "--no-cron")
    try:
        _wait_for(lambda: _run(run.id).status == JobStatus.RUNNING, log)
        horse = _work_horse(worker.pid)
        assert horse is not None, log.read_text()
        os.kill(horse, signal.SIGKILL)
        _wait_for(lambda: _run(run.id).status == JobStatus.RETRYING, log)
        registry = ScheduledJobRegistry(queue=outbox.queue("default"))
        _wait_for(lambda: outbox.job_id(run.id) in registry.get_job_ids(), log)
    finally:
        os.kill(worker.pid, signal.SIGKILL)  # the whole worker is gone too
        worker.wait(timeout=30)
    killed = _run(run.id)
    assert killed.error is not None and "killed by signal 9" in killed.error
    assert _imported() == (0, 0)  # killed before its commit: nothing half-imported

    queue = outbox.queue("default")
    registry = ScheduledJobRegistry(queue=queue)
    for job_id in registry.get_job_ids():  # the retry's back-off, skipped
        registry.remove(job_id)
        queue.enqueue_job(queue.fetch_job(job_id))
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "run", "kinerja", "worker", "--burst"],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    done = _run(run.id)
    assert done.status == JobStatus.SUCCEEDED, result.stderr[-4000:]
    assert (done.status, done.attempts, done.done, done.total, done.error) == (
        JobStatus.SUCCEEDED,
        2,
        ROWS,
        ROWS,
        None,
    )
    assert _imported() == (ROWS, ROWS)  # every row, once
