"""The sweeps run by the periodic jobs of :mod:`kinerja.jobs.schedule`: the outbox every
minute, runs left stale by a worker that died every few minutes."""

from __future__ import annotations

from kinerja.services import job_runs, outbox


def sweep_outbox() -> int:
    """Hand over the job runs that stayed pending (Redis was down when they committed, or
    the process died before the hand-over); the number handed over.

    Idempotent and safe when several workers run it at once: each run is locked while it
    is handed over and then no longer pending, so nothing is queued twice.
    """
    return outbox.dispatch_pending()


def recover_stale_runs() -> int:
    """Set right the runs a dead worker left "running" (or whose job Redis lost): retried,
    handed over again, or failed, as RQ knows them; the number set right."""
    return job_runs.recover_stale()
