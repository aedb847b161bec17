"""Use cases of the daily activity log (laporan harian): personal, editable for a few days
after its date, optionally linked to an indicator of one's own plan and with a file."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import IO, Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kinerja.domain.errors import N_, ConflictError, FieldErrors
from kinerja.domain.reporting import activity_day_problem, activity_locked
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.planning import Indicator
from kinerja.models.reports import Activity, Attachment
from kinerja.security.policies import activities, employee_scope, is_within
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import use_case
from kinerja.services.reports.files import remove_after_commit, store_upload
from kinerja.services.validation import NOT_FOUND, Errors, require

MAX_TEXT = 5000


def today() -> date:
    """The working day in the instance's time zone (an activity logged at 06:00 WIB is
    today's, although it is still yesterday in UTC)."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")
    return utcnow().astimezone(zone).date()


def edit_days() -> int:
    return int(current_app.config.get("KINERJA_ACTIVITY_EDIT_DAYS", 7))


def validate_activity(activity: Activity, scope: Scope) -> None:
    errors = Errors()
    with db.session.no_autoflush:
        if activity.employee_id is None and activity.employee is None:
            if not scope.is_employee:
                raise FieldErrors.single("employee", N_("Only employees keep a daily log."))
            activity.employee_id = scope.employee_id  # type: ignore[assignment]
        owner_id = activity.employee.id if activity.employee is not None else activity.employee_id
        if not scope.manages_all and owner_id != scope.employee_id:
            raise FieldErrors.single("employee", NOT_FOUND)
        if require(errors, "day", activity.day):
            problem = activity_day_problem(activity.day, today(), edit_days())
            if problem is not None:
                errors["day"].append(problem)
        if require(errors, "description", activity.description):
            activity.description = activity.description.strip()
            if len(activity.description) > MAX_TEXT:
                errors.add("description", N_("At most %(count)d characters."), count=MAX_TEXT)
        minutes: Any = activity.duration_minutes
        if require(errors, "duration_minutes", minutes):
            if isinstance(minutes, bool) or not isinstance(minutes, int | Decimal | float):
                errors.add("duration_minutes", N_("Enter the duration in minutes."))
            elif not 1 <= int(minutes) <= 1440:
                errors.add("duration_minutes", N_("Enter between 1 and 1440 minutes."))
        indicator_id = (
            activity.indicator.id if activity.indicator is not None else activity.indicator_id
        )
        owner = scope if owner_id == scope.employee_id else employee_scope(owner_id)
        if indicator_id is not None and not is_within(
            activities.own_indicators(owner), Indicator, indicator_id
        ):
            errors.add("indicator", N_("Choose an indicator of your own plan."))
    errors.raise_if_any()


@use_case
def save_activity(
    activity: Activity,
    scope: Scope,
    upload: IO[bytes] | None = None,
    filename: str | None = None,
) -> None:
    """Log or change an activity (within the editing window), with an optional attachment
    that replaces the previous one."""
    if activity.id is not None:
        activities.check_manage(scope, activity)
        _ensure_open(activity)
    validate_activity(activity, scope)
    if upload is not None:
        remove_after_commit([activity.attachment])
        activity.attachment = store_upload(upload, filename, scope)
    db.session.add(activity)


def _ensure_open(activity: Activity) -> None:
    committed_day = db.session.scalar(select(Activity.day).where(Activity.id == activity.id))
    if committed_day is not None and activity_locked(committed_day, today(), edit_days()):
        raise ConflictError(
            N_("This activity is older than %(days)d days: it is locked."), days=edit_days()
        )


@use_case
def delete_activity(activity: Activity, scope: Scope) -> None:
    activities.check_manage(scope, activity)
    _ensure_open(activity)
    attachment = activity.attachment
    db.session.delete(activity)
    db.session.flush()
    remove_after_commit([attachment])


def readable_attachment(scope: Scope, attachment_id: int) -> Attachment | None:
    """An activity's attachment, for those who may read the activity."""
    activity = db.session.scalar(
        select(Activity).where(Activity.attachment_id == attachment_id, activities.read(scope))
    )
    return activity.attachment if activity is not None else None


def team_activities(employee_ids: Any, since: date, until: date | None = None) -> list[Activity]:
    """Activities of the given people from ``since`` (to ``until``), newest first."""
    query = select(Activity).where(Activity.employee_id.in_(employee_ids), Activity.day >= since)
    if until is not None:
        query = query.where(Activity.day <= until)
    return list(
        db.session.scalars(
            query.options(
                selectinload(Activity.employee), selectinload(Activity.indicator)
            ).order_by(Activity.day.desc(), Activity.created_at.desc())
        )
    )


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())
