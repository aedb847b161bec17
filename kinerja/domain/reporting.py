"""Reporting rules: the periodic report's workflow, evidence kinds, and when a daily activity
may still change.

Pure: no Flask, no database. :mod:`kinerja.services.reporting` applies them.
"""

from __future__ import annotations

from datetime import date, timedelta

from kinerja.domain.errors import N_, ConflictError, DomainError
from kinerja.domain.org import LabeledEnum

__all__ = [
    "ReportAction",
    "ReportStatus",
    "EvidenceKind",
    "activity_day_problem",
    "activity_locked",
    "next_report_status",
    "report_opens_on",
]


class ReportStatus(LabeledEnum):
    DRAFT = "draft", N_("Draft")
    SUBMITTED = "submitted", N_("Submitted")
    RETURNED = "returned", N_("Returned")
    APPROVED = "approved", N_("Evaluated")

    @property
    def editable(self) -> bool:
        """Realizations, evidence and the note change only while the employee holds it."""
        return self in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class ReportAction(LabeledEnum):
    SUBMIT = "submit", N_("Submit")
    APPROVE = "approve", N_("Approve")
    RETURN = "return", N_("Return for revision")


_TRANSITIONS: dict[tuple[ReportStatus, ReportAction], ReportStatus] = {
    (ReportStatus.DRAFT, ReportAction.SUBMIT): ReportStatus.SUBMITTED,
    (ReportStatus.RETURNED, ReportAction.SUBMIT): ReportStatus.SUBMITTED,
    (ReportStatus.SUBMITTED, ReportAction.APPROVE): ReportStatus.APPROVED,
    (ReportStatus.SUBMITTED, ReportAction.RETURN): ReportStatus.RETURNED,
}


def next_report_status(current: ReportStatus | str, action: ReportAction | str) -> ReportStatus:
    """draft → submitted → evaluated, or returned → submitted again. An evaluated report is
    final; a second submission of the same report (two tabs, a retry) is a conflict."""
    status, act = ReportStatus(current), ReportAction(action)
    try:
        return _TRANSITIONS[(status, act)]
    except KeyError:
        raise ConflictError(
            N_("“%(action)s” is not possible while the report is “%(status)s”."),
            status=status,
            action=act,
        ) from None


def report_opens_on(starts_on: date, annual: bool, last_regular_ends_on: date | None) -> date:
    """The first day a report may be started: a periodic report when its sub-period begins;
    the annual report (*Akhir*), made on the whole year's realizations, the day after the
    last regular sub-period has ended."""
    if annual and last_regular_ends_on is not None:
        return last_regular_ends_on + timedelta(days=1)
    return starts_on


class EvidenceKind(LabeledEnum):
    FILE = "file", N_("File")
    LINK = "link", N_("Link")


def activity_locked(day: date, today: date, edit_days: int) -> bool:
    """A daily activity stays editable ``edit_days`` days after its date, then locks (the
    log is a record of the time, not something rewritten at evaluation)."""
    return today > day + timedelta(days=edit_days)


def activity_day_problem(day: date, today: date, edit_days: int) -> DomainError | None:
    """Why an activity cannot be logged for ``day`` (None when it can)."""
    if day > today:
        return DomainError(N_("An activity cannot be logged for a future day."))
    if activity_locked(day, today, edit_days):
        return DomainError(
            N_("Activities older than %(days)d days are locked and cannot be added or changed."),
            days=edit_days,
        )
    return None
