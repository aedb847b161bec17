"""Use cases of a unit's own predikat for a period (Istimewa … Sangat Kurang), set from the
unit's performance agreement results by the holder of the position supervising the unit's
head, or by an Admin, with a note.

It selects the curve the unit's distribution of employees' predikat is checked against,
and the suggested results of the unit's head follow it (domain.md, *Unit predikat*; the
suggestion itself is :func:`kinerja.services.reports.achievement.head_unit_rating`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, select

from kinerja.domain.errors import N_
from kinerja.domain.planning import PeriodStatus
from kinerja.domain.ratings import UnitPredikat
from kinerja.extensions import db
from kinerja.models.org import Employee, Position, Unit
from kinerja.models.planning import Period
from kinerja.models.ratings import UnitRating
from kinerja.models.trees import units_matching
from kinerja.security.policies import is_within, unit_ratings
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import use_case
from kinerja.services.plans.periods import check_open
from kinerja.services.validation import NOT_FOUND, Errors

MAX_NOTE = 2000


def _checked(errors: Errors, predikat: UnitPredikat | str | None, note: str | None) -> str | None:
    if predikat is None or predikat == "":
        errors.add("predikat", N_("Choose the unit's predikat."))
    else:
        try:
            UnitPredikat(predikat)
        except ValueError:
            errors.add("predikat", N_("Not a valid choice."))
    text = (note or "").strip() or None
    if text is not None and len(text) > MAX_NOTE:
        errors.add("note", N_("At most %(count)d characters."), count=MAX_NOTE)
    return text


@use_case
def set_unit_rating(
    unit_id: int | None,
    period_id: int | None,
    predikat: UnitPredikat | str | None,
    note: str | None,
    scope: Scope,
) -> tuple[UnitRating, bool]:
    """Set the predikat of a unit for a period, or change the one set (one per unit and
    period); returns the row and whether it is new. A unit one may not set is not a choice
    (as if it did not exist); a closed period is read-only."""
    errors = Errors()
    if unit_id is None or not is_within(unit_ratings.settable_units(scope), Unit, unit_id):
        errors.add("unit", NOT_FOUND)
    period = db.session.get(Period, period_id) if period_id is not None else None
    if period is None:
        errors.add("period", NOT_FOUND)
    text = _checked(errors, predikat, note)
    errors.raise_if_any()
    assert period is not None and predikat is not None
    check_open(period)
    rating = db.session.scalar(
        select(UnitRating)
        .where(UnitRating.unit_id == unit_id, UnitRating.period_id == period.id)
        .with_for_update()
    )
    created = rating is None
    if rating is None:
        rating = UnitRating(unit_id=unit_id, period_id=period.id)
        db.session.add(rating)
    rating.predikat = UnitPredikat(predikat)
    rating.note = text
    rating.set_by_id = scope.user_id
    db.session.flush()
    return rating, created


@use_case
def save_unit_rating(rating: UnitRating, scope: Scope) -> None:
    """Keep a changed predikat or note of a unit's predikat (the unit and the period stay)."""
    unit_ratings.check_manage(scope, rating)
    errors = Errors()
    rating.note = _checked(errors, rating.predikat, rating.note)
    errors.raise_if_any()
    check_open(rating.period)
    rating.predikat = UnitPredikat(rating.predikat)
    rating.set_by_id = scope.user_id


# --- the screen's list ------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    """A unit on the unit predikat screen: its head, its predikat for the period (None: not
    set) and whether the person may set it."""

    unit: Unit
    head: Employee | None
    rating: UnitRating | None
    settable: bool


def default_period() -> Period | None:
    """The period whose unit predikat is most likely wanted: one being evaluated, else the
    latest that is open, else the latest."""
    evaluating = case((Period.status == PeriodStatus.EVALUATION, 0), else_=1)
    return db.session.scalar(
        select(Period).order_by(Period.closed, evaluating, Period.year.desc()).limit(1)
    )


def _listed(scope: Scope, text: str | None) -> ColumnElement[bool]:
    condition = unit_ratings.units(scope) & Unit.active.is_(True)
    if text and text.strip():
        condition = condition & Unit.id.in_(units_matching(text))
    return condition


def unit_rows(
    scope: Scope, period: Period, text: str | None = None, page: int = 0, page_size: int = 50
) -> tuple[list[UnitRow], int]:
    """One page of the units whose predikat one reads, by code, with the count of all."""
    condition = _listed(scope, text)
    total = db.session.scalar(select(func.count()).select_from(Unit).where(condition)) or 0
    units = list(
        db.session.scalars(
            select(Unit)
            .where(condition)
            .order_by(Unit.code)
            .offset(page * page_size)
            .limit(page_size)
        )
    )
    ids = [u.id for u in units]
    ratings = {
        r.unit_id: r
        for r in db.session.scalars(
            select(UnitRating).where(UnitRating.unit_id.in_(ids), UnitRating.period_id == period.id)
        )
    }
    settable = set(
        db.session.scalars(
            select(Unit.id).where(Unit.id.in_(ids), unit_ratings.settable_units(scope))
        )
    )
    heads = {
        unit_id: employee
        for unit_id, employee in db.session.execute(
            select(Position.unit_id, Employee)
            .join(Employee, Employee.position_id == Position.id)
            .where(Position.unit_id.in_(ids), Position.is_head.is_(True), Employee.active.is_(True))
            .order_by(Employee.id.desc())
        ).tuples()
    }
    rows = [
        UnitRow(
            unit=u,
            head=heads.get(u.id),
            rating=ratings.get(u.id),
            settable=u.id in settable and not period.closed,
        )
        for u in units
    ]
    return rows, total


def periods_listed() -> list[Period]:
    return list(db.session.scalars(select(Period).order_by(Period.year.desc())))
