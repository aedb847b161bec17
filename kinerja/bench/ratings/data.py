"""The data of ``flask kinerja bench ratings``: a province-sized year generated in SQL.

``N`` employees in units of 25 (a head and 24 staff), 40 units to an agency; each with an
approved plan of two objectives (main, additional) and four indicators (quantity summed,
quality by its last value, time averaged and less-is-better, cost summed and less-is-better;
one employee in twenty has a qualitative quality indicator instead), twelve monthly reports
with a realization per indicator (48 per employee), the December report evaluated for nine
in ten employees and the annual evaluation approved for three in five (with the seven
values rated and the qualitative indicators' levels given), and four units in five with a
unit predikat. Realizations spread around the targets so that every predikat occurs.

Everything is ``INSERT … SELECT`` over a counter (a recursive CTE: PostgreSQL and SQLite
alike), nothing row by row; the ids of the rows just written are found by their codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    insert,
    literal,
    literal_column,
    null,
    select,
    text,
    true,
)
from sqlalchemy.sql.selectable import CTE

from kinerja.domain.planning import Cadence, PeriodStatus
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.org import Employee, Position, Unit
from kinerja.models.planning import (
    BehaviourValue,
    Indicator,
    Objective,
    Period,
    SubPeriod,
    WorkPlan,
)
from kinerja.models.ratings import UnitRating
from kinerja.models.reports import BehaviourRating, Evaluation, IndicatorLevel, Realization, Report
from kinerja.security.policies.scope import SYSTEM
from kinerja.services.plans.periods import save_period

UNIT_SIZE = 25
UNITS_PER_AGENCY = 40
# The four indicators of every plan, by position k: aspect, target, direction, accumulation,
# and the value of one month at 100 % (a sum spreads its target over twelve months).
INDICATORS = (
    ("quantity", 120, "more", "sum", 10),
    ("quality", 90, "more", "last", 90),
    ("time", 5, "less", "average", 5),
    ("cost", 1_200_000, "less", "sum", 100_000),
)
LEVELS = ("below", "as_expected", "above")
UNIT_PREDIKAT = ("istimewa", "baik", "baik", "baik", "butuh_perbaikan", "kurang")


@dataclass(frozen=True)
class BenchYear:
    period_id: int
    employees: int
    realizations: int


def free_year() -> int:
    """The latest year without a period (the bench's own, counted down from 2100)."""
    taken = set(db.session.scalars(select(Period.year)))
    return next(year for year in range(2100, 1999, -1) if year not in taken)


def generate(employees: int, *, fast_load: bool = False) -> BenchYear:
    """Write the year (see the module's docstring) and commit; then refresh the planner's
    statistics. ``fast_load`` (PostgreSQL, superuser): the year's one transaction runs with
    triggers off (``SET LOCAL session_replication_role = replica``): no change-feed rows and
    no foreign-key checks for data this generator vouches for; they are on again after it."""
    year = free_year()
    period = Period(year=year, cadence=Cadence.MONTHLY, name=f"Bench ratings {year}")
    save_period(period, SYSTEM)
    if fast_load and db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL session_replication_role = replica"))
    period.status = PeriodStatus.EVALUATION
    db.session.flush()
    writer = _Writer(period.id, f"BR{year}", literal(utcnow(), Period.__table__.c.created_at.type))
    writer.organisation(employees)
    writer.plans()
    writer.reports()
    writer.evaluations()
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    realizations = db.session.scalar(
        select(func.count())
        .select_from(Realization)
        .join(Report, Report.id == Realization.report_id)
        .join(WorkPlan, WorkPlan.id == Report.work_plan_id)
        .where(WorkPlan.period_id == period.id)
    )
    return BenchYear(period.id, employees, int(realizations or 0))


def counter(name: str, upto: int) -> CTE:
    """1 … ``upto`` as a CTE with the column ``n``."""
    start = select(cast(literal_column("1"), Integer).label("n")).cte(name, recursive=True)
    return start.union_all(select(start.c.n + 1).where(start.c.n < upto))


def _level(seed: Any, below: int, above: int) -> Any:
    """A level drawn from ``seed``: below under ``below`` %, above from ``above`` %."""
    share = seed % 100
    return case(
        (share < below, literal("below")),
        (share >= above, literal("above")),
        else_=literal("as_expected"),
    )


def _by_position(position: Any, field: int) -> Any:
    """Field ``field`` of :data:`INDICATORS` for the indicator at ``position``."""
    return case(*[(position == k, literal(spec[field])) for k, spec in enumerate(INDICATORS)])


class _Writer:
    """Writes the bench's rows of one period; every row gets the same timestamps."""

    def __init__(self, period_id: int, prefix: str, now: Any) -> None:
        self.period_id, self.prefix, self.now = period_id, prefix, now

    def write(self, model: Any, columns: str, query: Any) -> None:
        names = [*columns.split(), "created_at", "updated_at"]
        statement = insert(model.__table__).from_select(
            names, query.add_columns(self.now, self.now)
        )
        db.session.execute(statement)

    def code(self, kind: str, number: Any) -> Any:
        return literal(f"{self.prefix}-{kind}") + cast(number, String)

    def first_id(self, model: Any, kind: str) -> int:
        found = db.session.scalar(select(model.id).where(model.code == f"{self.prefix}-{kind}1"))
        return int(found or 0)

    def organisation(self, employees: int) -> None:
        units = -(-employees // UNIT_SIZE)
        agencies = -(-units // UNITS_PER_AGENCY)
        root = Unit(code=self.prefix, name=f"Provinsi {self.prefix}", kind="pemda", active=True)
        db.session.add(root)
        db.session.flush()
        n = counter("agencies", agencies)
        columns = "code name kind parent_id active"
        name = literal("Dinas ") + cast(n.c.n, String)
        self.write(
            Unit,
            columns,
            select(self.code("O", n.c.n), name, literal("opd"), literal(root.id), true()),
        )
        parent = self.first_id(Unit, "O") + (n := counter("units", units)).c.n % agencies
        name = literal("Bidang ") + cast(n.c.n, String)
        self.write(
            Unit, columns, select(self.code("U", n.c.n), name, literal("bidang"), parent, true())
        )
        first_unit = self.first_id(Unit, "U")
        columns = "code name kind unit_id supervisor_id grade is_head active"
        n = counter("heads", units)
        head = (literal("Kepala Bidang"), literal("administrator"), first_unit + n.c.n - 1)
        self.write(
            Position,
            columns,
            select(self.code("H", n.c.n), *head, null(), literal(12), true(), true()),
        )
        first_head = self.first_id(Position, "H")
        n = counter("staff", units)
        staff = (
            literal("Pelaksana"),
            literal("pelaksana"),
            first_unit + n.c.n - 1,
            first_head + n.c.n - 1,
        )
        self.write(
            Position,
            columns,
            select(self.code("S", n.c.n), *staff, literal(7), literal(False), true()),
        )
        n = counter("people", employees)
        index = (n.c.n - 1) // UNIT_SIZE
        position = case(
            ((n.c.n - 1) % UNIT_SIZE == 0, first_head + index),
            else_=self.first_id(Position, "S") + index,
        )
        nip = cast(literal(800_000_000_000_000_000 + int(self.prefix[2:]) * 10**13) + n.c.n, String)
        name = literal("Pegawai ") + cast(n.c.n, String)
        columns = "nip name employment_type unit_id position_id active"
        self.write(
            Employee,
            columns,
            select(nip, name, literal("pns"), first_unit + index, position, true()),
        )
        pick = case(
            *[(Unit.id % len(UNIT_PREDIKAT) == i, literal(p)) for i, p in enumerate(UNIT_PREDIKAT)]
        )
        mine = Unit.code.like(f"{self.prefix}-U%")
        rated = select(Unit.id, literal(self.period_id), pick, literal("bench")).where(
            mine, Unit.id % 5 != 0
        )
        self.write(UnitRating, "unit_id period_id predikat note", rated)

    def plans(self) -> None:
        mine = Employee.unit_id.in_(select(Unit.id).where(Unit.code.like(f"{self.prefix}-U%")))
        person = (Employee.id, Employee.position_id, Employee.unit_id)
        plans = select(literal(self.period_id), *person, literal("approved"), literal(1)).where(
            mine
        )
        self.write(WorkPlan, "period_id employee_id position_id unit_id status version", plans)
        k = counter("objectives", 2)
        kind = case((k.c.n == 1, literal("main")), else_=literal("additional"))
        ours = WorkPlan.period_id == self.period_id
        objectives = select(WorkPlan.id, kind, literal("Sasaran kinerja"), k.c.n - 1).join(
            k, true()
        )
        self.write(Objective, "work_plan_id kind text order", objectives.where(ours))
        k = counter("indicators", 2)
        position = Objective.order * 2 + k.c.n - 1
        qualitative = (position == 1) & (WorkPlan.employee_id % 20 == 0)
        measured = (
            case((qualitative, null()), else_=_by_position(position, 1)),
            case((qualitative, null()), else_=literal("satuan")),
        )
        fields = (_by_position(position, 2), _by_position(position, 3), k.c.n - 1)
        indicators = (
            select(
                Objective.id,
                literal("Indikator kinerja"),
                _by_position(position, 0),
                qualitative,
                *measured,
                *fields,
            )
            .join(WorkPlan, WorkPlan.id == Objective.work_plan_id)
            .join(k, true())
            .where(ours)
        )
        columns = "objective_id text aspect qualitative target unit direction accumulation order"
        self.write(Indicator, columns, indicators)

    def reports(self) -> None:
        yearly = SubPeriod.annual.is_(False) | (WorkPlan.employee_id % 5 < 3)
        plan = (WorkPlan.id, SubPeriod.id, WorkPlan.employee_id, WorkPlan.unit_id)
        reports = (
            select(*plan, literal("approved"), literal(1))
            .join(SubPeriod, SubPeriod.period_id == WorkPlan.period_id)
            .where(WorkPlan.period_id == self.period_id, yearly)
        )
        self.write(
            Report, "work_plan_id sub_period_id employee_id unit_id status plan_version", reports
        )
        # Each person does better or worse by up to 20 % all year, ±5 % from month to month;
        # doing better is more of a count or a quality, less of a time or a cost.
        position = Objective.order * 2 + Indicator.order
        person = WorkPlan.employee_id
        spread = (
            (person * 37) % 41 - 20 + (person * 7 + SubPeriod.number * 13 + position * 5) % 11 - 5
        )
        signed = case((Indicator.direction == "less", -spread), else_=spread)
        value = func.round(_by_position(position, 4) * (100 + signed) / literal_column("100.0"), 2)
        realizations = (
            select(
                Report.id,
                Indicator.id,
                case((Indicator.qualitative, null()), else_=value),
                SubPeriod.period_id,
            )
            .join(SubPeriod, SubPeriod.id == Report.sub_period_id)
            .join(WorkPlan, WorkPlan.id == Report.work_plan_id)
            .join(Objective, Objective.work_plan_id == WorkPlan.id)
            .join(Indicator, Indicator.objective_id == Objective.id)
            .where(WorkPlan.period_id == self.period_id, SubPeriod.annual.is_(False))
        )
        self.write(Realization, "report_id indicator_id value period_id", realizations)

    def evaluations(self) -> None:
        person = Report.employee_id
        december = (SubPeriod.number == 12) & (person % 10 != 0)
        ours = and_(SubPeriod.period_id == self.period_id, december | SubPeriod.annual.is_(True))
        levels = (_level(person * 13, 15, 80), _level(person * 29 + SubPeriod.number, 8, 85))
        evaluations = (
            select(Report.id, person, *levels, literal("Pertahankan"), self.now)
            .join(SubPeriod, SubPeriod.id == Report.sub_period_id)
            .where(ours)
        )
        self.write(
            Evaluation, "report_id employee_id results behaviour feedback decided_at", evaluations
        )
        evaluated = (
            select(Evaluation.id)
            .join(Report, Report.id == Evaluation.report_id)
            .join(SubPeriod, SubPeriod.id == Report.sub_period_id)
            .where(SubPeriod.period_id == self.period_id)
        )
        value = _level(Evaluation.id * 31 + BehaviourValue.id * 17, 10, 80)
        values = evaluated.add_columns(BehaviourValue.id, value).join(BehaviourValue, true())
        self.write(BehaviourRating, "evaluation_id value_id level", values)
        qualitative = (
            evaluated.add_columns(Indicator.id, _level(Indicator.id * 7, 20, 75))
            .join(Objective, Objective.work_plan_id == Report.work_plan_id)
            .join(Indicator, Indicator.objective_id == Objective.id)
            .where(Indicator.qualitative.is_(True))
        )
        self.write(IndicatorLevel, "evaluation_id indicator_id level", qualitative)
