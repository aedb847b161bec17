"""Use cases: validation, transactions, access checks. The only place that commits."""

from __future__ import annotations


def commit() -> None:
    """Commit the unit of work, then hand the jobs it recorded to the queue."""
    from kinerja.extensions import db
    from kinerja.jobs import dispatch_committed

    db.session.commit()
    dispatch_committed()
