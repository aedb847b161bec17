"""How long the change log and the webhook deliveries are kept, and their pruning (run each
night by the jobs of :mod:`kinerja.jobs.retention`).

* The change log keeps ``KINERJA_CHANGE_RETENTION_DAYS`` (180 by default). What is pruned is
  always a *prefix* of the numbered changes — everything numbered before the first change
  still young enough — so the oldest number kept says exactly which cursors are still good
  (an older one answers 410, see :mod:`kinerja.services.changes.feed`). A long transaction
  numbered late with an old time stamp is kept with its elders' juniors, never leaving a
  hole; the newest change is always kept, so numbering never starts again from 1;
  unnumbered changes are never touched.
* Webhook deliveries that are settled (delivered, or failed for good) are kept
  ``KINERJA_WEBHOOK_DELIVERY_RETENTION_DAYS`` (90 by default); one still waiting or retrying
  is kept whatever its age.

Both delete in batches, each its own short transaction, and are idempotent: a second run at
once finds nothing more to prune.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Select, delete, func, select

from kinerja.domain.errors import AccessDenied
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.changes import Change
from kinerja.models.webhooks import DeliveryStatus, WebhookDelivery
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import transaction

BATCH = 10_000
SETTLED = (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED)


def _cutoff(setting: str, default: int) -> datetime:
    days = int(current_app.config.get(setting, default))
    return utcnow() - timedelta(days=max(days, 1))


def _check(scope: Scope) -> None:
    """Pruning is the system's (the jobs') or an Admin's to do."""
    if not scope.manages_all:
        raise AccessDenied()


def change_log_horizon(cutoff: datetime) -> int | None:
    """The first number the log keeps: the oldest change from ``cutoff`` on, else the newest
    (None when nothing is numbered)."""
    young = db.session.scalar(
        select(func.min(Change.seq)).where(Change.seq.is_not(None), Change.changed_at >= cutoff)
    )
    if young is not None:
        return int(young)
    newest = db.session.scalar(select(func.max(Change.seq)))
    return int(newest) if newest is not None else None


def prune_change_log(scope: Scope) -> int:
    """Delete the changes numbered before the horizon; how many were deleted."""
    _check(scope)
    horizon = change_log_horizon(_cutoff("KINERJA_CHANGE_RETENTION_DAYS", 180))
    if horizon is None:
        return 0
    batch = (
        select(Change.id)
        .where(Change.seq.is_not(None), Change.seq < horizon)
        .order_by(Change.seq)
        .limit(BATCH)
    )
    return _delete_in_batches(Change, batch)


def prune_webhook_deliveries(scope: Scope) -> int:
    """Delete the settled deliveries created before the window; how many were deleted."""
    _check(scope)
    cutoff = _cutoff("KINERJA_WEBHOOK_DELIVERY_RETENTION_DAYS", 90)
    batch = (
        select(WebhookDelivery.id)
        .where(WebhookDelivery.status.in_(SETTLED), WebhookDelivery.created_at < cutoff)
        .limit(BATCH)
    )
    return _delete_in_batches(WebhookDelivery, batch)


def _delete_in_batches(model: Any, batch: Select[Any]) -> int:
    """Delete the rows ``batch`` picks, a batch per short transaction, until none is left."""
    pruned = 0
    while True:
        with transaction():
            result: Any = db.session.execute(
                delete(model).where(model.id.in_(batch.scalar_subquery()))
            )
            count = int(result.rowcount or 0)
        pruned += count
        if count < BATCH:
            return pruned
