"""The outbox sweep, run every minute by the periodic jobs of :mod:`kinerja.jobs.schedule`."""

from __future__ import annotations

from kinerja.services import outbox


def sweep_outbox() -> int:
    """Hand over the job runs that stayed pending (Redis was down when they committed, or
    the process died before the hand-over); the number handed over.

    Idempotent and safe when several workers run it at once: each run is locked while it
    is handed over and then no longer pending, so nothing is queued twice.
    """
    return outbox.dispatch_pending()
