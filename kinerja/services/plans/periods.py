"""Use cases of performance periods: opening a year with its sub-periods, moving it
forward, and changing deadlines while it is open. The Admin's work."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from kinerja.domain.errors import N_, AccessDenied, ConflictError
from kinerja.domain.planning import (
    Cadence,
    annual_evaluation,
    ensure_period_open,
    next_period_status,
    sub_periods,
)
from kinerja.extensions import db
from kinerja.models.planning import Period, SubPeriod, WorkPlan
from kinerja.security.policies import periods
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import use_case
from kinerja.services.rows import lock
from kinerja.services.validation import Errors


def check_open(period: Period) -> None:
    """Refuse any change in a closed period (HTTP 409)."""
    ensure_period_open(period.status, period.name)


def validate_period(period: Period) -> None:
    errors = Errors()
    with db.session.no_autoflush:
        if period.year is None or not 2000 <= int(period.year) <= 2100:
            errors.add("year", N_("Enter a year between 2000 and 2100."))
        else:
            query = select(Period.id).where(Period.year == period.year)
            if period.id is not None:
                query = query.where(Period.id != period.id)
            if db.session.execute(query).first():
                errors.add("year", N_("A period for %(year)s exists already."), year=period.year)
        if (
            period.planning_deadline is not None
            and "year" not in errors
            and not (
                date(int(period.year) - 1, 1, 1)
                <= period.planning_deadline
                <= date(int(period.year), 12, 31)
            )
        ):
            errors.add(
                "planning_deadline",
                N_("The planning deadline must fall in or just before the period's year."),
            )
    errors.raise_if_any()


def _check_admin(scope: Scope) -> None:
    if not periods.may_create(scope):
        raise AccessDenied()


@use_case
def save_period(period: Period, scope: Scope) -> None:
    """Open a new period with its sub-periods, or change a period that is not closed."""
    _check_admin(scope)
    if period.id is not None:
        check_open(period)
    period.name = (period.name or "").strip() or f"Periode Kinerja {period.year}"
    period.cadence = period.cadence or Cadence.QUARTERLY
    validate_period(period)
    year = int(period.year)
    period.starts_on, period.ends_on = date(year, 1, 1), date(year, 12, 31)
    period.planning_deadline = period.planning_deadline or date(year, 1, 31)
    if period.id is None:
        regular = sub_periods(year, period.cadence)
        period.sub_periods = [
            SubPeriod(
                number=d.number,
                name=d.name,
                starts_on=d.starts_on,
                ends_on=d.ends_on,
                report_deadline=d.report_deadline,
                evaluation_deadline=d.evaluation_deadline,
                annual=annual,
            )
            for d, annual in [
                *((d, False) for d in regular),
                (annual_evaluation(year, len(regular)), True),
            ]
        ]
    db.session.add(period)
    db.session.flush()


@use_case
def advance_period(period: Period, scope: Scope) -> Period:
    """planning → running → evaluation → closed, one step (409 once closed)."""
    _check_admin(scope)
    locked = lock(Period, period.id)
    locked.status = next_period_status(locked.status)
    return locked


@use_case
def delete_period(period: Period, scope: Scope) -> None:
    _check_admin(scope)
    plans = db.session.scalar(select(func.count()).where(WorkPlan.period_id == period.id))
    if plans:
        raise ConflictError(N_("This period already has %(count)d work plans."), count=plans)
    db.session.delete(period)


@use_case
def save_sub_period(sub_period: SubPeriod, scope: Scope) -> None:
    _check_admin(scope)
    check_open(sub_period.period)
    errors = Errors()
    if sub_period.report_deadline and sub_period.report_deadline < sub_period.ends_on:
        errors.add("report_deadline", N_("Reports are due after the sub-period ends."))
    if (
        sub_period.evaluation_deadline
        and sub_period.report_deadline
        and sub_period.evaluation_deadline < sub_period.report_deadline
    ):
        errors.add("evaluation_deadline", N_("The evaluation is due after the reports."))
    errors.raise_if_any()


def current_period() -> Period | None:
    """The period people plan in: the latest one that is not closed."""
    return db.session.scalar(
        select(Period).where(~Period.closed).order_by(Period.year.desc()).limit(1)
    )


def open_periods() -> list[Period]:
    """Periods a new plan may be started in, the newest first."""
    return list(
        db.session.scalars(select(Period).where(~Period.closed).order_by(Period.year.desc()))
    )
