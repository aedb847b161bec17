"""Keep a local mirror of Kinerja's data in sync with the change feed alone.

Plain Python 3.11, standard library only. The mirror is an SQLite file with one table of
rows (resource, id, data as JSON) and the cursor; each page of the feed is applied in one
SQLite transaction together with its cursor, so an interrupted sync resumes exactly where
it stopped (nothing applied twice, nothing missed).

    python mirror.py --url http://127.0.0.1:5000 --username integrator \\
        --password kinerja-demo --db mirror.sqlite3 [--follow 30]

Semantics the client relies on (see docs/api-feed.md):

* ``GET /api/v1/changes?cursor=N&limit=M`` answers ``{"changes": [...], "next_cursor":
  "…", "has_more": bool}``; entries come in commit order and the cursor never skips nor
  repeats one, even with writers committing concurrently.
* An entry ``op`` ``create`` or ``update`` carries the row as it is now in ``data``: upsert
  it. An entry ``delete`` (a tombstone, ``data`` null): remove the row.
* Start at cursor 0 to receive every row (each existing row has a ``create``).
* A cursor older than the changes the server keeps answers 410 Gone: the mirror can no
  longer be brought up to date by the feed alone and must be rebuilt from the lists (see
  "Retention and resync" in docs/api.md); this client stops and says so.
"""

# The URLs opened are Kinerja's own address, given by whoever runs this (http or https).
# ruff: noqa: S310

from __future__ import annotations

import argparse
import json
import sqlite3
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS row (
    resource TEXT NOT NULL,
    id INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (resource, id)
);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def login(base_url: str, username: str, password: str) -> str:
    """A JWT access token for ``username``."""
    body = json.dumps(
        {"username": username, "password": password, "provider": "db", "refresh": False}
    ).encode()
    request = urllib.request.Request(
        f"{base_url}/api/v1/security/login",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        token: str = json.load(answer)["access_token"]
    return token


class Mirror:
    """A local copy of every row the account may read, kept by the change feed."""

    def __init__(self, base_url: str, token: str, path: str, page_size: int = 500) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.page_size = page_size
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.db.executescript(SCHEMA)

    @property
    def cursor(self) -> str:
        found = self.db.execute("SELECT value FROM state WHERE key = 'cursor'").fetchone()
        return found[0] if found else "0"

    def fetch(self, cursor: str) -> dict[str, Any]:
        query = urllib.parse.urlencode({"cursor": cursor, "limit": self.page_size})
        request = urllib.request.Request(
            f"{self.base_url}/api/v1/changes?{query}",
            headers={"Authorization": f"Bearer {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            page: dict[str, Any] = json.load(answer)
        return page

    def apply(self, page: dict[str, Any]) -> None:
        """Apply one page and store its cursor, in one transaction."""
        with self.db:
            for entry in page["changes"]:
                key = (entry["resource"], entry["id"])
                if entry["op"] == "delete":
                    self.db.execute("DELETE FROM row WHERE resource = ? AND id = ?", key)
                elif entry["data"] is not None:
                    self.db.execute(
                        "INSERT INTO row (resource, id, data) VALUES (?, ?, ?) "
                        "ON CONFLICT (resource, id) DO UPDATE SET data = excluded.data",
                        (*key, json.dumps(entry["data"], sort_keys=True)),
                    )
            self.db.execute(
                "INSERT INTO state (key, value) VALUES ('cursor', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (page["next_cursor"],),
            )

    def sync(self) -> int:
        """Read the feed until it has nothing more; the number of entries applied."""
        applied = 0
        while True:
            page = self.fetch(self.cursor)
            self.apply(page)
            applied += len(page["changes"])
            if not page["has_more"]:
                return applied

    def rows(self) -> dict[tuple[str, int], dict[str, Any]]:
        """The mirror's content: ``(resource, id)`` → the row's data."""
        return {
            (resource, row_id): json.loads(data)
            for resource, row_id, data in self.db.execute("SELECT resource, id, data FROM row")
        }

    def close(self) -> None:
        self.db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:5000")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--db", default="mirror.sqlite3")
    parser.add_argument("--follow", type=float, help="keep syncing every this many seconds")
    args = parser.parse_args()
    mirror = Mirror(args.url, login(args.url, args.username, args.password), args.db)
    try:
        while True:
            try:
                applied = mirror.sync()
            except urllib.error.HTTPError as refused:
                if refused.code == 410:
                    raise SystemExit(json.load(refused)["message"]) from None
                if refused.code != 401:
                    raise
                mirror.token = login(args.url, args.username, args.password)  # expired
                continue
            print(f"applied {applied} changes, cursor {mirror.cursor}")
            if not args.follow:
                break
            time.sleep(args.follow)
    finally:
        mirror.close()


if __name__ == "__main__":
    main()
