"""The daily notices, run by :mod:`kinerja.jobs.schedule`: the supervisors' weekly digest
(acting only on the configured weekday) and the deadline reminders, overdue notices and
escalations. Each records its emails in one use case; the sending job delivers them after
the commit. Both are idempotent: a second run the same day (or week) records nothing."""

from __future__ import annotations

from datetime import date

from flask import current_app

from kinerja.domain.notices import DeadlineRules, parse_weekday
from kinerja.services.mail import digest, reminders
from kinerja.services.reports.activities import today as working_day


def _day(day: str | None) -> date:
    return date.fromisoformat(day) if day else working_day()


def send_supervisor_digests(day: str | None = None) -> int:
    """Record this week's digest of every supervisor, on ``KINERJA_DIGEST_WEEKDAY`` (``day``,
    ISO, stands in for today); the number recorded."""
    weekday = parse_weekday(current_app.config.get("KINERJA_DIGEST_WEEKDAY") or "monday")
    return len(digest.record_digests(_day(day), weekday))


def deadline_rules() -> DeadlineRules:
    config = current_app.config
    return DeadlineRules(
        days_before=int(config.get("KINERJA_REMINDER_DAYS_BEFORE", 3)),
        supervisor_after=int(config.get("KINERJA_ESCALATE_SUPERVISOR_AFTER", 3)),
        operator_after=int(config.get("KINERJA_ESCALATE_OPERATOR_AFTER", 7)),
    )


def send_deadline_reminders(day: str | None = None) -> int:
    """Record the reminders, overdue notices and escalations due today (``day``, ISO,
    stands in for today); the number recorded."""
    return len(reminders.record_deadline_notices(_day(day), deadline_rules()))
