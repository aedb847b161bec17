"""Use cases of the competency back office: the dictionary, the training catalogue, position
standards (one at a time, copied from another position, or for many positions at once),
assessments and training records.

Each checks :mod:`kinerja.security.policies.competency` itself, so it is as safe from the
API, an import or the CLI as from a screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select

from kinerja.domain.competency import MAX_LEVEL, MIN_LEVEL
from kinerja.domain.errors import N_, ConflictError, NotFoundError
from kinerja.extensions import db
from kinerja.models.competency import (
    Assessment,
    Competency,
    PositionCompetency,
    Recommendation,
    Training,
    TrainingCompetency,
    TrainingRecord,
)
from kinerja.models.org import Employee, Position
from kinerja.security.policies import (
    assessments,
    competencies,
    employees,
    position_competencies,
    positions,
    training_records,
    trainings,
)
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import use_case
from kinerja.services.validation import (
    NOT_FOUND,
    Errors,
    duplicate,
    require,
    require_within,
)

LEVEL_MESSAGE = N_("A level is a whole number from 1 to 5.")
MAX_JP = 1000  # longer than any diklat; the column is a small integer
JP_MESSAGE = N_("Lesson hours (JP) must be from 1 to 1000.")
MAX_CAPACITY = 100_000


def _level(errors: Errors, field: str, value: Any, low: int = MIN_LEVEL) -> None:
    if value is None or isinstance(value, bool) or not low <= int(value) <= MAX_LEVEL:
        errors.add(field, LEVEL_MESSAGE)


def _id(row: Any, relation: str) -> int | None:
    related = getattr(row, relation)
    return related.id if related is not None else getattr(row, f"{relation}_id")


# --- the dictionary and the catalogue -------------------------------------------------------


@use_case
def save_competency(competency: Competency, scope: Scope) -> None:
    """A competency with a unique code and a name; its level descriptions 1–5 at most once."""
    if competency.id is not None:
        competencies.check_manage(scope, competency)
    elif not competencies.may_add(scope):
        raise NotFoundError()
    errors = Errors()
    with db.session.no_autoflush:
        if require(errors, "code", competency.code):
            competency.code = competency.code.strip().upper()
            if duplicate(Competency, Competency.code, competency.code, competency.id):
                errors.add("code", N_("Another competency has this code."))
        if require(errors, "name", competency.name):
            competency.name = competency.name.strip()
        require(errors, "category", competency.category)
        seen: set[int] = set()
        for level in competency.levels:
            _level(errors, "levels", level.level)
            if level.level in seen:
                errors.add("levels", N_("Level %(level)s is described twice."), level=level.level)
            seen.add(level.level)
    errors.raise_if_any()
    db.session.add(competency)
    db.session.flush()


@use_case
def delete_competency(competency: Competency, scope: Scope) -> None:
    """Only a competency no standard, assessment or training uses; else deactivate it."""
    competencies.check_manage(scope, competency)
    used = sum(
        db.session.scalar(select(func.count()).where(column == competency.id)) or 0
        for column in (
            PositionCompetency.competency_id,
            Assessment.competency_id,
            TrainingCompetency.competency_id,
        )
    )
    if used:
        raise ConflictError(N_("This competency is in use: deactivate it instead."))
    db.session.delete(competency)


@use_case
def save_training(training: Training, scope: Scope) -> None:
    """A titled training of some JP, its dates in order, each competency addressed once."""
    if training.id is not None:
        trainings.check_manage(scope, training)
    elif not trainings.may_add(scope):
        raise NotFoundError()
    errors = Errors()
    if require(errors, "title", training.title):
        training.title = training.title.strip()
    require(errors, "mode", training.mode)
    if not _valid_jp(training.jp):
        errors.add("jp", JP_MESSAGE)
    if training.capacity is not None and not 1 <= training.capacity <= MAX_CAPACITY:
        errors.add("capacity", N_("Capacity must be from 1 to 100,000, or left empty."))
    if training.starts_on and training.ends_on and training.ends_on < training.starts_on:
        errors.add("ends_on", N_("The end comes before the start."))
    addressed: set[int | None] = set()
    for link in training.addresses:
        competency_id = _id(link, "competency")
        if competency_id in addressed:
            errors.add("addresses", N_("A competency is addressed twice."))
        addressed.add(competency_id)
        if link.raises is None or not 1 <= link.raises <= MAX_LEVEL - 1:
            errors.add("addresses", N_("A training raises a competency by 1 to 4 levels."))
    errors.raise_if_any()
    db.session.add(training)
    db.session.flush()


@use_case
def delete_training(training: Training, scope: Scope) -> None:
    """Recommendations of it go with it; records keep their title and JP."""
    trainings.check_manage(scope, training)
    db.session.delete(training)


# --- position standards ---------------------------------------------------------------------


def _check_position(errors: Errors, scope: Scope, position_id: int | None) -> None:
    condition = position_competencies.placeable_positions(scope)
    require_within(errors, "position", position_id, condition, Position)


@use_case
def save_standard(line: PositionCompetency, scope: Scope) -> None:
    """One required level of a position one manages, each competency once per position."""
    if line.id is not None:
        position_competencies.check_manage(scope, line)
    errors = Errors()
    with db.session.no_autoflush:
        position_id = _id(line, "position")
        _check_position(errors, scope, position_id)
        competency_id = _id(line, "competency")
        if require(errors, "competency", competency_id) and duplicate(
            PositionCompetency,
            PositionCompetency.competency_id,
            competency_id,
            line.id,
            PositionCompetency.position_id == position_id,
        ):
            errors.add("competency", N_("The position's standard has this competency already."))
        _level(errors, "required_level", line.required_level)
    errors.raise_if_any()
    db.session.add(line)
    db.session.flush()


@use_case
def delete_standard(line: PositionCompetency, scope: Scope) -> None:
    position_competencies.check_manage(scope, line)
    db.session.delete(line)


@use_case
def set_standards(position_ids: Sequence[int], levels: dict[int, int | None], scope: Scope) -> int:
    """Set (or, with None, remove) the required level of competencies for many positions at
    once; all of them within reach or nothing changes. Returns the lines written."""
    errors = Errors()
    reachable = set(
        db.session.scalars(
            select(Position.id).where(
                Position.id.in_(position_ids), position_competencies.placeable_positions(scope)
            )
        )
    )
    if not position_ids or reachable != set(position_ids):
        errors.add("positions", NOT_FOUND)
    known = set(db.session.scalars(select(Competency.id).where(Competency.id.in_(levels))))
    if known != set(levels):
        errors.add("competency", NOT_FOUND)
    for value in levels.values():
        if value is not None:
            _level(errors, "required_level", value)
    errors.raise_if_any()
    existing = {
        (line.position_id, line.competency_id): line
        for line in db.session.scalars(
            select(PositionCompetency).where(
                PositionCompetency.position_id.in_(position_ids),
                PositionCompetency.competency_id.in_(levels),
            )
        )
    }
    written = 0
    for position_id in position_ids:
        for competency_id, level in levels.items():
            line = existing.get((position_id, competency_id))
            if level is None:
                if line is not None:
                    db.session.delete(line)
                continue
            if line is None:
                line = PositionCompetency(position_id=position_id, competency_id=competency_id)
                db.session.add(line)
            line.required_level = level
            written += 1
    db.session.flush()
    return written


@use_case
def copy_standard(source_id: int, target_ids: Sequence[int], scope: Scope) -> int:
    """Give positions the standard of another (readable) position, replacing theirs."""
    source = positions.readable(scope, source_id)
    if source is None:
        raise NotFoundError()
    lines = db.session.scalars(
        select(PositionCompetency).where(PositionCompetency.position_id == source_id)
    ).all()
    targets = [t for t in target_ids if t != source_id]
    current = db.session.scalars(
        select(PositionCompetency.competency_id).where(PositionCompetency.position_id.in_(targets))
    ).all()
    levels: dict[int, int | None] = dict.fromkeys(current, None)
    levels.update({line.competency_id: line.required_level for line in lines})
    return set_standards(targets, levels, scope)  # joins this boundary: one commit


# --- people: assessments and training records ----------------------------------------------


def _check_employee(errors: Errors, scope: Scope, employee_id: int | None, policy: Any) -> None:
    condition = policy.assessable_employees(scope) if policy is assessments else None
    if condition is None:
        condition = employees.manage(scope)
    require_within(errors, "employee", employee_id, condition, Employee)


@use_case
def save_assessment(assessment: Assessment, scope: Scope) -> None:
    """An assessed level 1–5 of an employee one manages, dated no later than today."""
    if assessment.id is not None:
        assessments.check_manage(scope, assessment)
    errors = Errors()
    with db.session.no_autoflush:
        _check_employee(errors, scope, _id(assessment, "employee"), assessments)
        require(errors, "competency", _id(assessment, "competency"))
        _level(errors, "level", assessment.level)
        require(errors, "source", assessment.source)
        if require(errors, "assessed_on", assessment.assessed_on) and (
            assessment.assessed_on > date.today()
        ):
            errors.add("assessed_on", N_("An assessment cannot be dated in the future."))
    errors.raise_if_any()
    db.session.add(assessment)
    db.session.flush()


@use_case
def delete_assessment(assessment: Assessment, scope: Scope) -> None:
    assessments.check_manage(scope, assessment)
    db.session.delete(assessment)


@use_case
def save_training_record(record: TrainingRecord, scope: Scope) -> None:
    """Development an employee one manages completed: from the catalogue (its title, mode
    and JP by default) or not; its year is the year it was completed."""
    if record.id is not None:
        training_records.check_manage(scope, record)
    errors = Errors()
    with db.session.no_autoflush:
        _check_employee(errors, scope, _id(record, "employee"), training_records)
        training = record.training
        if training is None and record.training_id is not None:
            training = db.session.get(Training, record.training_id)
        if training is not None:
            record.title = record.title or training.title
            record.mode = record.mode or training.mode
            record.jp = record.jp or training.jp
        if require(errors, "title", record.title):
            record.title = record.title.strip()
        require(errors, "mode", record.mode)
        if not _valid_jp(record.jp):
            errors.add("jp", JP_MESSAGE)
        if require(errors, "completed_on", record.completed_on):
            if record.completed_on > date.today():
                errors.add("completed_on", N_("Training cannot be completed in the future."))
            record.year = record.completed_on.year
    errors.raise_if_any()
    db.session.add(record)
    db.session.flush()


@use_case
def delete_training_record(record: TrainingRecord, scope: Scope) -> None:
    training_records.check_manage(scope, record)
    db.session.delete(record)


def stale_recommendations(year: int) -> int:
    """How many of the year's recommendations exist (the screens offer to recompute)."""
    return db.session.scalar(select(func.count()).where(Recommendation.year == year)) or 0


def _valid_jp(jp: object) -> bool:
    return isinstance(jp, int) and not isinstance(jp, bool) and 1 <= jp <= MAX_JP
