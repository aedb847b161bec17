"""Reading the change feed: a page of numbered changes after a cursor, in a person's scope.

Entries come in ``seq`` order. An entry of a row that still exists carries the row as it
is *now* (the caller serialises it as its resource's API shows it): a mirror that applies
the entries in order ends with every row as it is, even though an early entry already
shows a later state. An entry of a create or update whose row has since been deleted is
left out: its tombstone follows. Entries the caller may not see are skipped, yet the
cursor moves past them, so a page may hold fewer entries than asked (even none) while
``has_more`` says there is more to read: a cursor never skips nor repeats a change.

The log keeps a window of changes (:mod:`kinerja.services.changes.retention` prunes the
oldest, always a prefix of the numbers). A cursor from before that window would silently
miss the pruned changes, so it is refused (:class:`CursorExpired`, HTTP 410): the mirror
resyncs from :func:`head` — it notes the head, reads every list again, then follows the
feed from there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from kinerja.domain.errors import N_, DomainError
from kinerja.extensions import db
from kinerja.models.changes import TRACKED, Change, ChangeOp
from kinerja.security.policies import POLICIES, Scope, policy_for
from kinerja.security.policies.changes import tombstones
from kinerja.services.changes.sequencer import sequence

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
EXPIRED = N_(
    "The changes after this cursor are no longer kept (the log keeps %(days)s days): resync. "
    "Note next_cursor of GET /api/v1/changes?cursor=latest, read every resource's list "
    "again, then follow the feed from that cursor."
)


class CursorExpired(DomainError):
    """The cursor is older than the oldest change kept: following it would skip changes."""


@dataclass(frozen=True)
class Entry:
    """One change as the caller sees it; ``row`` is the current row (None for a delete)."""

    seq: int
    resource: str
    row_id: int
    op: str
    changed_at: datetime
    row: Any | None


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    next_cursor: int
    has_more: bool


def models() -> dict[str, type[Any]]:
    """The model of each tracked resource."""
    tables = {model.__tablename__: model for model in POLICIES}
    return {t.resource: tables[t.table] for t in TRACKED}


def read_page(scope: Scope, cursor: int, resources: Iterable[str], limit: int) -> Page:
    """The changes of ``resources`` numbered after ``cursor`` that ``scope`` may see (at
    most ``limit`` scanned), after numbering what has committed since the last read."""
    sequence()
    first = db.session.scalar(select(func.min(Change.seq)))
    if first is not None and cursor < first - 1:
        days = current_app.config.get("KINERJA_CHANGE_RETENTION_DAYS", 180)
        raise CursorExpired(EXPIRED, days=days)
    wanted = sorted(set(resources))
    changes = list(
        db.session.scalars(
            select(Change)
            .where(Change.seq > cursor, Change.resource.in_(wanted))
            .order_by(Change.seq)
            .limit(limit + 1)
        )
    )
    has_more = len(changes) > limit
    changes = changes[:limit]
    if not changes:
        return Page([], cursor, False)
    rows = _readable_rows(scope, changes)
    visible_deletes = _visible_tombstones(scope, changes)
    entries = []
    for change in changes:
        if change.op == ChangeOp.DELETE:
            if change.id in visible_deletes:
                entries.append(_entry(change, None))
            continue
        row = rows.get((change.resource, change.row_id))
        if row is not None:
            entries.append(_entry(change, row))
    return Page(entries, int(changes[-1].seq or cursor), has_more)


def head() -> int:
    """The cursor of the newest change (0 when there is none): where a mirror rebuilt from
    the lists goes on from."""
    sequence()
    return int(db.session.scalar(select(func.max(Change.seq))) or 0)


def _entry(change: Change, row: Any | None) -> Entry:
    return Entry(
        int(change.seq or 0), change.resource, change.row_id, change.op, change.changed_at, row
    )


def _readable_rows(scope: Scope, changes: list[Change]) -> dict[tuple[str, int], Any]:
    """The rows of the page's creates and updates that exist and ``scope`` may read: one
    query per resource, with the resource's own read condition."""
    ids: dict[str, set[int]] = defaultdict(set)
    for change in changes:
        if change.op != ChangeOp.DELETE:
            ids[change.resource].add(change.row_id)
    by_resource = models()
    found: dict[tuple[str, int], Any] = {}
    for resource, row_ids in ids.items():
        model = by_resource[resource]
        condition = policy_for(model).read(scope)
        for row in db.session.scalars(select(model).where(model.id.in_(row_ids), condition)):
            found[(resource, row.id)] = row
    return found


def _visible_tombstones(scope: Scope, changes: list[Change]) -> set[int]:
    ids = [c.id for c in changes if c.op == ChangeOp.DELETE]
    if not ids:
        return set()
    return set(db.session.scalars(select(Change.id).where(Change.id.in_(ids), tombstones(scope))))
