"""The nightly pruning of the change log and the webhook deliveries, scheduled by name in
:mod:`kinerja.jobs.schedule` (what is kept and why: :mod:`kinerja.services.retention`).
Idempotent: a second run finds nothing more to prune."""

from __future__ import annotations

from kinerja.security.policies import SYSTEM
from kinerja.services import retention


def prune_change_log() -> int:
    """Delete the changes older than the retention window; the number deleted."""
    return retention.prune_change_log(SYSTEM)


def prune_webhook_deliveries() -> int:
    """Delete the settled webhook deliveries older than their window; the number deleted."""
    return retention.prune_webhook_deliveries(SYSTEM)
