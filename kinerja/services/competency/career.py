"""What the development pages show: one employee's profile (gaps, match, recommended
trainings, this year's JP against 20) and career options, the yearly 20-JP tally, and the
talent 9-box of a unit. Reads only, each within the reader's policies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy import and_, case, func, select

from kinerja.domain.competency import (
    DEFAULT_NINE_BOX,
    DEFAULT_POTENTIAL_BANDS,
    YEARLY_JP,
    gap,
    gap_closed,
    job_person_match,
    nine_box,
    potential,
)
from kinerja.domain.errors import NotFoundError
from kinerja.extensions import db
from kinerja.models.competency import (
    Competency,
    PositionCompetency,
    Recommendation,
    Training,
    TrainingRecord,
)
from kinerja.models.org import Employee, Position, Unit
from kinerja.models.planning import Period
from kinerja.models.ratings import Rating
from kinerja.models.trees import unit_subtree_ids
from kinerja.security.policies import employees, units
from kinerja.security.policies.scope import Scope
from kinerja.services.competency.gaps import latest_assessments, matches, standard_lines

CAREER_FLOOR = Decimal(60)  # positions matched at least this much are shown as options
CAREER_LIMIT = 10


@dataclass(frozen=True)
class Line:
    competency: Competency
    required: int
    assessed: int | None

    @property
    def gap(self) -> int:
        return gap(self.required, self.assessed)


@dataclass(frozen=True)
class CareerOption:
    position: Position
    match: Decimal
    trainings: list[tuple[Training, int]]  # those that close most of what is missing


@dataclass(frozen=True)
class Profile:
    employee: Employee
    year: int
    lines: list[Line]
    match: Decimal | None
    recommendations: list[Recommendation]
    records: list[TrainingRecord]
    jp: int
    careers: list[CareerOption] = field(default_factory=list)

    @property
    def jp_target(self) -> int:
        return YEARLY_JP

    @property
    def jp_short(self) -> int:
        return max(YEARLY_JP - self.jp, 0)


def own_employee_id(scope: Scope) -> int:
    if scope.employee_id is None:
        raise NotFoundError()
    return scope.employee_id


def profile(employee_id: int, scope: Scope, year: int | None = None) -> Profile:
    """The development profile of an employee one may read (404 otherwise)."""
    employee = employees.readable(scope, employee_id)
    if employee is None:
        raise NotFoundError()
    year = year or date.today().year
    rows = db.session.execute(standard_lines(Employee.id == employee_id)).all()
    by_id = {c.id: c for c in db.session.scalars(select(Competency))}
    lines = sorted(
        (Line(by_id[r.competency_id], r.required, r.assessed) for r in rows),
        key=lambda line: (-line.gap, line.competency.code),
    )
    recommendations = db.session.scalars(
        select(Recommendation)
        .where(Recommendation.employee_id == employee_id, Recommendation.year == year)
        .order_by(Recommendation.rank)
    ).all()
    records = db.session.scalars(
        select(TrainingRecord)
        .where(TrainingRecord.employee_id == employee_id)
        .order_by(TrainingRecord.completed_on.desc())
    ).all()
    return Profile(
        employee=employee,
        year=year,
        lines=lines,
        match=job_person_match((line.required, line.assessed) for line in lines),
        recommendations=list(recommendations),
        records=list(records),
        jp=sum(r.jp for r in records if r.year == year),
        careers=career_options(employee),
    )


def career_options(employee: Employee, limit: int = CAREER_LIMIT) -> list[CareerOption]:
    """Positions (other than one's own) whose standards one meets or nearly meets, best
    first, each with the trainings that would close most of the rest."""
    latest = latest_assessments()
    mine = (
        select(latest.c.competency_id, latest.c.level)
        .where(latest.c.employee_id == employee.id)
        .subquery("mine")
    )
    met = func.sum(
        case(
            (mine.c.level >= PositionCompetency.required_level, PositionCompetency.required_level),
            else_=func.coalesce(mine.c.level, 0),
        )
    )
    required = func.sum(PositionCompetency.required_level)
    ranked = db.session.execute(
        select(PositionCompetency.position_id, met.label("met"), required.label("required"))
        .outerjoin(mine, mine.c.competency_id == PositionCompetency.competency_id)
        .where(PositionCompetency.position_id != (employee.position_id or 0))
        .group_by(PositionCompetency.position_id)
        .having(met * 100 >= required * CAREER_FLOOR)
        .order_by((met * 1.0 / required).desc(), PositionCompetency.position_id)
        .limit(limit)
    ).all()
    if not ranked:
        return []
    assessed: dict[int, int] = {
        c: level for c, level in db.session.execute(select(mine.c.competency_id, mine.c.level))
    }
    ids = [r.position_id for r in ranked]
    positions = {p.id: p for p in db.session.scalars(select(Position).where(Position.id.in_(ids)))}
    standards: dict[int, dict[int, int]] = {}
    for line in db.session.scalars(
        select(PositionCompetency).where(PositionCompetency.position_id.in_(ids))
    ):
        standards.setdefault(line.position_id, {})[line.competency_id] = line.required_level
    catalogue = db.session.scalars(
        select(Training).where(Training.active.is_(True)).order_by(Training.jp, Training.id)
    ).all()
    options = []
    for row in ranked:
        gaps = {c: gap(need, assessed.get(c)) for c, need in standards[row.position_id].items()}
        scored = [
            (t, gap_closed(gaps, {a.competency_id: a.raises for a in t.addresses}))
            for t in catalogue
        ]
        best = sorted((s for s in scored if s[1] > 0), key=lambda s: -s[1])[:3]
        match = job_person_match(
            (need, assessed.get(c)) for c, need in standards[row.position_id].items()
        )
        options.append(CareerOption(positions[row.position_id], match or Decimal(0), best))
    return options


# --- the yearly 20 JP -----------------------------------------------------------------------


@dataclass(frozen=True)
class JpRow:
    employee_id: int
    nip: str
    name: str
    unit: str
    jp: int


def jp_tally(
    scope: Scope, year: int, unit_id: int | None = None, below_only: bool = True
) -> list[JpRow]:
    """Each active employee one may read (of a unit's subtree if given) with their JP of
    the year; by default only those below the 20 JP they are entitled to, fewest first."""
    jp = func.coalesce(func.sum(TrainingRecord.jp), 0)
    query = (
        select(Employee.id, Employee.nip, Employee.name, Unit.name, jp.label("jp"))
        .join(Unit, Unit.id == Employee.unit_id)
        .outerjoin(
            TrainingRecord,
            and_(TrainingRecord.employee_id == Employee.id, TrainingRecord.year == year),
        )
        .where(Employee.active.is_(True), employees.read(scope))
        .group_by(Employee.id, Employee.nip, Employee.name, Unit.name)
        .order_by(jp, Employee.name)
    )
    if unit_id is not None:
        query = query.where(Employee.unit_id.in_(unit_subtree_ids(unit_id)))
    if below_only:
        query = query.having(jp < YEARLY_JP)
    return [JpRow(*row) for row in db.session.execute(query.limit(2000))]


# --- the talent 9-box -----------------------------------------------------------------------


@dataclass(frozen=True)
class Placed:
    employee: Employee
    match: Decimal | None


@dataclass
class Cell:
    number: int
    name: str
    people: list[Placed] = field(default_factory=list)


# The grid as drawn: potential high on top, performance rising to the right.
LAYOUT = [
    [(performance, band) for performance in ("below", "as_expected", "above")]
    for band in ("high", "medium", "low")
]


@dataclass
class Grid:
    """The boxes of a unit for a year by (performance, potential); those not placed lack a
    rating's results level or a standard."""

    cells: dict[tuple[str, str], Cell]
    unplaced: list[Employee]

    @property
    def rows(self) -> list[list[Cell]]:
        return [[self.cells[key] for key in row] for row in LAYOUT]


def settings() -> tuple[tuple[Decimal, Decimal], dict[tuple[str, str], tuple[int, str]]]:
    """The potential bands (``KINERJA_POTENTIAL_BANDS``: the match from which potential is
    medium, then high) and the boxes (``KINERJA_NINE_BOX``: ``"performance:potential"`` →
    ``[number, name]``), since sources number and name them differently."""
    config = current_app.config
    medium, high = config.get("KINERJA_POTENTIAL_BANDS") or DEFAULT_POTENTIAL_BANDS
    configured = config.get("KINERJA_NINE_BOX")
    boxes = dict(DEFAULT_NINE_BOX)
    if configured:
        boxes = {
            (key.split(":")[0], key.split(":")[1]): (int(number), str(name))
            for key, (number, name) in configured.items()
        }
    return (Decimal(str(medium)), Decimal(str(high))), boxes


def talent_grid(scope: Scope, unit_id: int, year: int) -> Grid:
    """The 9-box of the people of a unit's subtree one may read: performance is their
    rating's results level in ``year``, potential the band of their job-person match."""
    if units.readable(scope, unit_id) is None:
        raise NotFoundError()
    bands, boxes = settings()
    people = db.session.scalars(
        select(Employee)
        .where(
            Employee.unit_id.in_(unit_subtree_ids(unit_id)),
            Employee.active.is_(True),
            employees.read(scope),
        )
        .order_by(Employee.name)
    ).all()
    results: dict[int, Any] = {
        employee_id: level
        for employee_id, level in db.session.execute(
            select(Rating.employee_id, Rating.results)
            .join(Period, Period.id == Rating.period_id)
            .where(Period.year == year, Rating.employee_id.in_([p.id for p in people]))
        )
    }
    fits = matches(p.id for p in people)
    grid = Grid({key: Cell(number, name) for key, (number, name) in boxes.items()}, [])
    for person in people:
        band = potential(fits.get(person.id), bands)
        level = results.get(person.id)
        if band is None or level is None:
            grid.unplaced.append(person)
            continue
        box = nine_box(level, band, boxes)
        grid.cells[box.performance.value, box.potential.value].people.append(
            Placed(person, fits.get(person.id))
        )
    return grid


def readable_units(scope: Scope) -> Sequence[Any]:
    return db.session.scalars(select(Unit).where(units.read(scope)).order_by(Unit.code)).all()
