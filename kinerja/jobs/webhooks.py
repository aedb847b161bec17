"""Delivering webhook events (:mod:`kinerja.services.webhooks.delivery`)."""

from __future__ import annotations

from rq import get_current_job

from kinerja.domain.errors import N_
from kinerja.jobs.registry import job
from kinerja.services.job_runs import JobOutcome
from kinerja.services.webhooks import delivery

SUMMARY = N_("Delivered %(delivered)d, to retry %(retrying)d, failed %(failed)d.")


class DeliveriesFailed(RuntimeError):
    """Some receivers did not take their event: the run is retried after RQ's pause."""


@job
def deliver_webhooks(ids: list[int], run_id: int | None = None) -> JobOutcome:
    """Send the deliveries of ``ids`` still waiting, each signed with its subscription's
    secret. Idempotent: a delivery already delivered is not sent again by a retry.

    A failed delivery makes the run fail, so that RQ runs it again after its backoff
    (10 s, 1 min, 5 min); on the last attempt (or without Redis, inline) the deliveries
    still failing are failed for good, and so is the run: they wait for a replay."""
    current = get_current_job()
    last_attempt = current is None or not current.should_retry
    report = delivery.deliver(list(ids), last_attempt=last_attempt)
    if report.retrying or report.failed:
        raise DeliveriesFailed(
            f"{report.retrying + report.failed} of "
            f"{report.retrying + report.failed + report.delivered} deliveries failed"
        )
    return JobOutcome(
        SUMMARY,
        {"delivered": report.delivered, "retrying": report.retrying, "failed": report.failed},
    )
