"""Kinerja's REST API from a program: authenticate with an API key, read a whole list with
related names by keyset paging, catch up with the change feed, export a filtered list,
verify a webhook's signature. Plain Python 3.11, standard library only; see docs/api.md.

    python quickstart.py --url http://127.0.0.1:5000 --key knj_...

It prints what it read, one fact per line, and exits non-zero on any error answer.
"""

# The URLs opened are Kinerja's own address, given by whoever runs this (http or https).
# ruff: noqa: S310

from __future__ import annotations

import argparse
import csv
import hashlib
import hmac
import io
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any


class Kinerja:
    """A minimal client: every request carries the key; 429 waits as told and retries."""

    def __init__(self, url: str, key: str) -> None:
        self.url = url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {key}", "Accept-Language": "en"}

    def get(self, path: str, **params: str) -> Any:
        return json.loads(self.fetch(path, **params))

    def fetch(self, path: str, **params: str) -> bytes:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        request = urllib.request.Request(f"{self.url}{path}{query}", headers=self.headers)
        for _ in range(5):
            try:
                with urllib.request.urlopen(request, timeout=60) as answer:
                    body: bytes = answer.read()
                    return body
            except urllib.error.HTTPError as error:
                if error.code != 429:
                    detail = json.loads(error.read() or b"{}")  # the one error shape
                    raise SystemExit(f"{error.code} {detail.get('error')}: {detail}") from None
                time.sleep(float(error.headers.get("Retry-After", "1")))
        raise SystemExit("still rate limited")


def every_row(api: Kinerja, resource: str, expand: str, page_size: int = 500) -> list[Any]:
    """Every row of a list, by keyset paging (``after`` = the previous ``next_after``)."""
    rows: list[Any] = []
    after = None
    while True:
        q = f"(order_column:updated_at,order_direction:asc,page_size:{page_size},expand:!({expand})"
        q += f",after:'{after}')" if after else ")"
        page = api.get(f"/api/v1/{resource}/", q=q)
        rows += page["result"]
        after = page.get("next_after")
        if not after or not page["result"]:
            return rows


def catch_up(api: Kinerja, cursor: str = "0") -> tuple[int, int, str]:
    """Read the change feed from ``cursor`` to its end: (changes, tombstones, next cursor)."""
    changes = tombstones = 0
    while True:
        page = api.get("/api/v1/changes", cursor=cursor, limit="500")
        changes += len(page["changes"])
        tombstones += sum(1 for entry in page["changes"] if entry["op"] == "delete")
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return changes, tombstones, cursor


def verify(secret: str, body: bytes, signature_header: str) -> dict[str, Any]:
    """A webhook delivery's body, once its signature is checked over the raw bytes."""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature_header or ""):
        raise ValueError("bad signature")
    loaded: dict[str, Any] = json.loads(body)
    return loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5000")
    parser.add_argument("--key", required=True, help="an API key of a service account")
    parser.add_argument("--page-size", type=int, default=500)
    args = parser.parse_args()
    api = Kinerja(args.url, args.key)

    people = every_row(api, "employee", "unit,rank", args.page_size)
    print(f"employees: {len(people)}")
    if people:
        first = people[0]
        unit = (first.get("unit") or {}).get("code")
        rank = (first.get("rank") or {}).get("golongan")
        print(f"first: {first['nip']} unit {unit} golongan {rank}")

    changes, tombstones, cursor = catch_up(api)
    print(f"changes: {changes} (tombstones {tombstones}), next cursor {cursor}")

    exported = api.fetch("/api/v1/employee/export.csv", q="()").decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(exported)))
    print(f"export rows: {len(lines) - 1}")

    body = json.dumps({"id": "demo", "type": "employee.changed", "data": {}}).encode()
    signature = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    print(f"signature verified: {verify('s3cret', body, signature)['type']}")


if __name__ == "__main__":
    main()
