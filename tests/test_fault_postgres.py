"""PostgreSQL restarted under load: requests in flight fail cleanly (503 in the API's error
shape, a page on the screens, nothing half-written) and the app recovers without a restart
(``pool_pre_ping``). A private PostgreSQL cluster of this module is stopped and started, so
the shared server is never touched; the app is a real server process on it."""

from __future__ import annotations

import glob
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.conftest import _free_port

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "admin-kata-sandi-uji-9876"
BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not BINARIES, reason="no PostgreSQL server binaries"),
]


def _as_postgres(*command: str) -> list[str]:
    """initdb and postgres refuse to run as root: as the postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


class Cluster:
    def __init__(self, directory: Path) -> None:
        self.bin = Path(BINARIES[-1]).parent
        self.data = directory / "data"
        self.port = _free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/kinerja"

    def pg_ctl(self, *args: str) -> None:
        subprocess.run(
            _as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", *args),
            check=True,
            capture_output=True,
            timeout=60,
        )

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off -k {self.data}"
        self.pg_ctl("-o", options, "-l", str(self.data / "log"), "start")

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "stop")

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        dsn = f"host=127.0.0.1 port={self.port} user=postgres dbname=kinerja"
        with psycopg.connect(dsn) as connection:
            return connection.execute(sql).fetchall()  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    # not under pytest's temporary directory: the postgres user could not reach it
    directory = Path(tempfile.mkdtemp(prefix="kinerja-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres")
    found = Cluster(directory)
    subprocess.run(
        _as_postgres(str(found.bin / "initdb"), "-D", str(found.data), "-A", "trust")
        + ["-U", "postgres", "--no-sync", "-E", "UTF8"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    found.start()
    subprocess.run(
        _as_postgres(str(found.bin / "createdb"), "-h", "127.0.0.1", "-p", str(found.port))
        + ["-U", "postgres", "kinerja"],
        check=True,
        timeout=60,
    )
    yield found
    found.stop()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def server(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {
        **os.environ,
        "KINERJA_ENV": "development",
        "DATABASE_URL": cluster.url,
        "REDIS_URL": "",
        "SECRET_KEY": "postgres-restart-test-secret-0123456789abcdef",
        "KINERJA_INSTANCE_DIR": str(tmp_path_factory.mktemp("instance")),
        "RATELIMIT_ENABLED": "false",
    }
    flask = [sys.executable, "-m", "flask", "--app", "run"]
    for command in (
        ["kinerja", "init"],
        ["fab", "create-admin", "--username", "admin", "--firstname", "Admin"]
        + ["--lastname", "Uji", "--email", "admin@uji.example", "--password", PASSWORD],
    ):
        subprocess.run(flask + command, cwd=ROOT, env=env, check=True, capture_output=True)
    port = _free_port()
    process = subprocess.Popen(
        [*flask, "run", "--port", str(port), "--with-threads"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    _until(lambda: _call(base, "GET", "/health")[0] == 200, "the server to start")
    yield base
    process.terminate()
    process.wait(timeout=10)


def _until(condition: Any, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if condition():
                return
        except OSError:
            pass
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _call(
    base: str, method: str, path: str, body: Any = None, token: str | None = None
) -> tuple[int, dict[str, str], Any]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = raw.decode(errors="replace")
        return error.code, dict(error.headers), payload


def _token(base: str) -> str:
    status, _, body = _call(
        base,
        "POST",
        "/api/v1/security/login",
        {"username": "admin", "password": PASSWORD, "provider": "db"},
    )
    assert status == 200, body
    return str(body["access_token"])


def _signed_in_browser(base: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(base + "/login/", timeout=10).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token is not None
    form = {"csrf_token": token.group(1), "username": "admin", "password": PASSWORD}
    opener.open(base + "/login/", data=urllib.parse.urlencode(form).encode(), timeout=10)
    return opener


def test_a_restart_under_load_fails_requests_cleanly_and_the_app_recovers(
    server: str, cluster: Cluster
) -> None:
    token = _token(server)
    browser = _signed_in_browser(server)
    assert browser.open(server + "/units/list/", timeout=10).status == 200
    status, _, root = _call(
        server, "POST", "/api/v1/unit/", {"code": "ROOT", "name": "Kota", "kind": "pemda"}, token
    )
    assert status == 201, root
    answers: list[tuple[str, int, Any]] = []
    stop = threading.Event()

    def load(worker: int) -> None:
        number = 0
        while not stop.is_set():
            code = f"L{worker}-{number}"
            number += 1
            body = {"code": code, "name": f"Unit {code}", "kind": "opd", "parent": root["id"]}
            status, headers, payload = _call(server, "POST", "/api/v1/unit/", body, token)
            answers.append((code, status, (headers.get("Retry-After"), payload)))

    threads = [threading.Thread(target=load, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    try:
        _until(lambda: sum(1 for a in answers if a[1] == 201) >= 5, "some units created")
        cluster.stop()  # connections in use are cut, new ones refused
        _until(lambda: sum(1 for a in answers if a[1] == 503) >= 3, "refused requests")
        health = _call(server, "GET", "/health")
        try:
            browser.open(server + "/units/list/", timeout=10)
            page_status, page = 200, ""
        except urllib.error.HTTPError as error:
            page_status, page = error.code, error.read().decode()
        cluster.start()
        _until(lambda: answers[-1][1] == 201, "requests to succeed again")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

    failed = [answer for answer in answers if answer[1] not in {201, 503}]
    assert failed == []  # never a 500
    refused = [detail for _, status, detail in answers if status == 503]
    retry_after, body = refused[0]
    assert retry_after == "5"
    assert (body["status"], body["error"], body["fields"]) == (503, "unavailable", {})
    assert body["message"]
    assert health[0] == 503 and health[2]["status"] == "down"
    assert health[2]["database"] == {"ok": False}
    assert page_status == 503 and "Tidak ada yang Anda kirim dalam permintaan ini" in page
    # recovered without a restart: the screens and the API answer again
    assert browser.open(server + "/units/list/", timeout=10).status == 200
    assert _call(server, "GET", "/health")[2]["status"] == "ok"
    # nothing half-written: every unit answered 201 is there, whole; an answer lost in the
    # cut may have committed, but then whole as well
    stored = {
        code: (name, parent)
        for code, name, parent in cluster.rows(
            "SELECT code, name, parent_id FROM unit WHERE code LIKE 'L%'"
        )
    }
    created = {code for code, status, _ in answers if status == 201}
    assert created <= set(stored)
    assert set(stored) <= {code for code, _, _ in answers}
    for code, (name, parent) in stored.items():
        assert (name, parent) == (f"Unit {code}", root["id"])
