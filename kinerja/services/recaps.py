"""The recaps the BKPSDM hands on: the predikat recap for payroll (TPP) and the unit recaps
of ratings, IKM and training JP, for one year, over the units of the reader's reach
(:mod:`kinerja.security.policies.recaps`), optionally one unit's subtree.

A recap is a table: typed values (numbers stay numbers, dates dates, predikat the enum,
translated where written) under columns with a stable key (the JSON field) and an English
label (msgid) translated where shown. Every recap is a few grouped statements, whatever the
number of people; the files are written by :mod:`kinerja.views.export_files`, like every
export.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, and_, case, func, select

from kinerja.domain.competency import YEARLY_JP
from kinerja.domain.errors import N_, DomainError, FieldErrors
from kinerja.domain.ratings import Predikat, UnitPredikat
from kinerja.domain.survey import Grade
from kinerja.extensions import db
from kinerja.models.competency import TrainingRecord
from kinerja.models.org import Employee, Position, Rank, Unit
from kinerja.models.planning import Period, SubPeriod
from kinerja.models.ratings import Rating, UnitRating
from kinerja.models.reports import Evaluation, Report
from kinerja.models.surveys import UnitSurveyResult
from kinerja.security.policies.recaps import recaps
from kinerja.security.policies.scope import Scope
from kinerja.services.surveys.results import ELEMENT_LABELS

YEARS = (2000, 2100)
CENT = Decimal("0.01")
OUT_OF_RANGE = N_("Choose a year from %(low)s to %(high)s.")
NO_PERIOD = N_("There is no performance period for %(year)s.")


@dataclass(frozen=True)
class Column:
    key: str  # the JSON field and the file's column name (``nip`` is written as text)
    label: str  # an English msgid, or a name of the data (a sub-period's) when not translated
    translated: bool = True


@dataclass(frozen=True)
class Recap:
    kind: str
    filename: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        """The rows keyed by column (the API's JSON)."""
        keys = [column.key for column in self.columns]
        return [dict(zip(keys, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Filters:
    year: int
    period: Period | None
    unit: Unit | None

    @property
    def unit_id(self) -> int | None:
        return self.unit.id if self.unit is not None else None

    def filename(self, kind: str) -> str:
        suffix = f"-{self.unit.code}" if self.unit is not None else ""
        return f"rekap-{kind}-{self.year}{suffix}"


def recap_units(scope: Scope) -> list[Unit]:
    """The units a reader may pick to narrow a recap, by code."""
    recaps.check_draw(scope)
    return list(db.session.scalars(select(Unit).where(recaps.units(scope)).order_by(Unit.code)))


def recap_years() -> list[int]:
    """The years that have a performance period, latest first."""
    return list(db.session.scalars(select(Period.year).order_by(Period.year.desc())))


def default_year() -> int:
    """The latest performance period's year (this year when there is none)."""
    years = recap_years()
    return years[0] if years else date.today().year


def filters(scope: Scope, year: int, unit_id: int | None, *, needs_period: bool) -> Filters:
    """The recap's filters checked: the reader may draw recaps, the year is one with a
    period (when the recap needs one), the unit is within the reader's reach."""
    recaps.check_draw(scope)
    errors: dict[str, list[DomainError]] = {}
    period = None
    if not YEARS[0] <= year <= YEARS[1]:
        errors["year"] = [DomainError(OUT_OF_RANGE, low=YEARS[0], high=YEARS[1])]
    else:
        period = db.session.scalar(select(Period).where(Period.year == year))
        if period is None and needs_period:
            errors["year"] = [DomainError(NO_PERIOD, year=year)]
    unit = None
    if unit_id is not None:
        unit = db.session.scalar(select(Unit).where(Unit.id == unit_id, recaps.units(scope)))
        if unit is None:
            errors["unit"] = [DomainError(N_("Choose a unit within your reach."))]
    if errors:
        raise FieldErrors(errors)
    return Filters(year, period, unit)


# --- the predikat recap (TPP) -----------------------------------------------------------------

PEOPLE_COLUMNS = [
    Column("nip", N_("NIP")),
    Column("name", N_("Name")),
    Column("golongan", N_("Rank (golongan)")),
    Column("position", N_("Position")),
    Column("unit_code", N_("Unit code")),
    Column("unit", N_("Unit")),
]


def predikat_recap(scope: Scope, year: int, unit_id: int | None = None) -> Recap:
    """One row per employee of the units (active, or rated in the year): identity, rank,
    position and unit, the predikat of each evaluated sub-period, and the period's rating
    with whether it is final."""
    chosen = filters(scope, year, unit_id, needs_period=True)
    period = chosen.period
    assert period is not None
    sub_periods = list(
        db.session.scalars(
            select(SubPeriod).where(SubPeriod.period_id == period.id).order_by(SubPeriod.number)
        )
    )
    rated = select(Rating.employee_id).where(Rating.period_id == period.id)
    listed = recaps.people(scope, chosen.unit_id) & (
        Employee.active.is_(True) | Employee.id.in_(rated)
    )
    people = db.session.execute(
        select(
            Employee.id, Employee.nip, Employee.name, Rank.code, Position.name, Unit.code, Unit.name
        )
        .join(Unit, Unit.id == Employee.unit_id)
        .outerjoin(Rank, Rank.id == Employee.rank_id)
        .outerjoin(Position, Position.id == Employee.position_id)
        .where(listed)
        .order_by(Unit.code, Employee.name, Employee.nip)
    ).all()
    listed_ids = select(Employee.id).where(listed)
    evaluated: dict[tuple[int, int], Predikat] = {
        (employee_id, sub_period_id): predikat
        for employee_id, sub_period_id, predikat in db.session.execute(
            select(Report.employee_id, Report.sub_period_id, Evaluation.predikat)
            .join(Evaluation, Evaluation.report_id == Report.id)
            .join(SubPeriod, SubPeriod.id == Report.sub_period_id)
            .where(
                SubPeriod.period_id == period.id,
                Evaluation.decided_at.is_not(None),
                Evaluation.predikat.is_not(None),
                Report.employee_id.in_(listed_ids),
            )
        )
    }
    ratings = {
        employee_id: (predikat, final)
        for employee_id, predikat, final in db.session.execute(
            select(Rating.employee_id, Rating.predikat, Rating.final).where(
                Rating.period_id == period.id, Rating.employee_id.in_(listed_ids)
            )
        )
    }
    columns = [
        *PEOPLE_COLUMNS,
        *(Column(f"sub_period_{s.number}", s.name, translated=False) for s in sub_periods),
        Column("predikat", N_("Period predikat")),
        Column("final", N_("Final")),
    ]
    rows = []
    for person in people:
        predikat, final = ratings.get(person[0], (None, None))
        rows.append(
            [
                *person[1:],
                *(evaluated.get((person[0], s.id)) for s in sub_periods),
                predikat,
                final,
            ]
        )
    return Recap("predikat", chosen.filename("predikat"), columns, rows)


# --- unit recaps ---------------------------------------------------------------------------

UNIT_COLUMNS = [Column("unit_code", N_("Unit code")), Column("unit", N_("Unit"))]


def _units(scope: Scope, chosen: Filters) -> list[tuple[int, str, str]]:
    return [
        (row.id, row.code, row.name)
        for row in db.session.execute(
            select(Unit.id, Unit.code, Unit.name)
            .where(Unit.id.in_(recaps.unit_ids(scope, chosen.unit_id)))
            .order_by(Unit.code)
        )
    ]


def ratings_recap(scope: Scope, year: int, unit_id: int | None = None) -> Recap:
    """Per unit: its own predikat, its active employees, how many are rated (and final),
    and how many hold each predikat."""
    chosen = filters(scope, year, unit_id, needs_period=True)
    period = chosen.period
    assert period is not None
    units = _units(scope, chosen)
    ids = [unit for unit, _, _ in units]
    people: dict[int, int] = {
        unit: count
        for unit, count in db.session.execute(
            select(Employee.unit_id, func.count())
            .where(Employee.active.is_(True), Employee.unit_id.in_(ids))
            .group_by(Employee.unit_id)
        )
    }
    unit_predikat: dict[int, UnitPredikat] = {
        unit: predikat
        for unit, predikat in db.session.execute(
            select(UnitRating.unit_id, UnitRating.predikat).where(
                UnitRating.period_id == period.id, UnitRating.unit_id.in_(ids)
            )
        )
    }
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for unit, predikat, final, count in db.session.execute(
        select(Rating.unit_id, Rating.predikat, Rating.final, func.count())
        .where(Rating.period_id == period.id, Rating.unit_id.in_(ids))
        .group_by(Rating.unit_id, Rating.predikat, Rating.final)
    ):
        counts[unit]["rated"] += count
        counts[unit]["final"] += count if final else 0
        if predikat is not None:
            counts[unit][str(predikat)] += count
    columns = [
        *UNIT_COLUMNS,
        Column("unit_predikat", N_("Unit predikat")),
        Column("employees", N_("Employees")),
        Column("rated", N_("Rated")),
        Column("final", N_("Final")),
        *(Column(str(p), p.label) for p in Predikat),
    ]
    rows = [
        [
            code,
            name,
            unit_predikat.get(unit),
            people.get(unit, 0),
            counts[unit]["rated"],
            counts[unit]["final"],
            *(counts[unit][str(p)] for p in Predikat),
        ]
        for unit, code, name in units
    ]
    return Recap("ratings", chosen.filename("ratings"), columns, rows)


def ikm_recap(scope: Scope, year: int, unit_id: int | None = None) -> Recap:
    """Per unit with a computed index for the period: responses, IKM, grade, the NRR of
    each element and the priorities."""
    chosen = filters(scope, year, unit_id, needs_period=True)
    period = chosen.period
    assert period is not None
    results = db.session.execute(
        select(UnitSurveyResult, Unit.code, Unit.name)
        .join(Unit, Unit.id == UnitSurveyResult.unit_id)
        .where(
            UnitSurveyResult.period_id == period.id,
            UnitSurveyResult.unit_id.in_(recaps.unit_ids(scope, chosen.unit_id)),
        )
        .order_by(Unit.code)
    ).all()
    elements = list(ELEMENT_LABELS.items())
    columns = [
        *UNIT_COLUMNS,
        Column("responses", N_("Responses")),
        Column("ikm", N_("IKM")),
        Column("grade", N_("Quality of service")),
        *(Column(f"nrr{i}", label) for i, (_, label) in enumerate(elements, start=1)),
        Column("priorities", N_("Priorities")),
        Column("computed_at", N_("Computed")),
    ]
    rows = [
        [
            code,
            name,
            result.responses,
            result.ikm,
            Grade(result.grade) if result.grade else None,
            *(getattr(result, f"nrr{i}") for i in range(1, len(elements) + 1)),
            result.priorities,
            result.computed_at,
        ]
        for result, code, name in results
    ]
    return Recap("ikm", chosen.filename("ikm"), columns, rows)


def training_recap(scope: Scope, year: int, unit_id: int | None = None) -> Recap:
    """Per unit with active employees: their number, the lesson hours (JP) completed in the
    calendar year in total and on average, and how many are below or reach the 20 JP."""
    chosen = filters(scope, year, unit_id, needs_period=False)
    jp = (
        select(
            Employee.id,
            Employee.unit_id,
            func.coalesce(func.sum(TrainingRecord.jp), 0).label("jp"),
        )
        .outerjoin(
            TrainingRecord,
            and_(TrainingRecord.employee_id == Employee.id, TrainingRecord.year == year),
        )
        .where(Employee.active.is_(True), recaps.people(scope, chosen.unit_id))
        .group_by(Employee.id, Employee.unit_id)
        .subquery("jp")
    )
    below = func.sum(case((jp.c.jp < YEARLY_JP, 1), else_=0).cast(Integer))
    per_unit = db.session.execute(
        select(Unit.code, Unit.name, func.count(), func.sum(jp.c.jp), func.avg(jp.c.jp), below)
        .join(jp, jp.c.unit_id == Unit.id)
        .group_by(Unit.id, Unit.code, Unit.name)
        .order_by(Unit.code)
    ).all()
    columns = [
        *UNIT_COLUMNS,
        Column("employees", N_("Employees")),
        Column("jp_total", N_("Total JP")),
        Column("jp_average", N_("Average JP")),
        Column("below_jp", N_("Below 20 JP")),
        Column("reached_jp", N_("Reached 20 JP")),
    ]
    rows = [
        [
            code,
            name,
            int(people),
            int(total or 0),
            Decimal(str(average or 0)).quantize(CENT),
            int(short or 0),
            int(people) - int(short or 0),
        ]
        for code, name, people, total, average, short in per_unit
    ]
    return Recap("training", chosen.filename("training"), columns, rows)


KINDS: dict[str, Callable[[Scope, int, int | None], Recap]] = {
    "predikat": predikat_recap,
    "ratings": ratings_recap,
    "ikm": ikm_recap,
    "training": training_recap,
}
KIND_LABELS = {
    "predikat": N_("Predikat recap (TPP)"),
    "ratings": N_("Ratings per unit"),
    "ikm": N_("IKM per unit"),
    "training": N_("Training JP per unit"),
}
