"""Performance planning: periods, work plans (SKP) with objectives (RHK) and indicators (IKI),
behaviour expectations, approved versions, workflow events and position templates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    case,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from kinerja.domain.planning import (
    Accumulation,
    Aspect,
    Cadence,
    Direction,
    ObjectiveKind,
    PeriodStatus,
    PlanStatus,
    period_is_open,
    plan_in_force,
)
from kinerja.extensions import BaseModel
from kinerja.models.base import (
    RowVersionMixin,
    TimestampMixin,
    UTCDateTime,
    enum_column,
    keyset_index,
)
from kinerja.models.org import Employee, Position, Unit


def main_first(kind: Any) -> Any:
    """Main objectives before additional ones (the SKP's order), whatever the codes' spelling."""
    return case((kind == ObjectiveKind.MAIN, 0), else_=1)


class BehaviourValue(TimestampMixin, BaseModel):
    """A BerAKHLAK core value with its three guideline indicators (SE MenPANRB 20/2021)."""

    __tablename__ = "behaviour_value"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    name_en: Mapped[str] = mapped_column(String(60), nullable=False)
    indicator_1: Mapped[str] = mapped_column(Text, nullable=False)
    indicator_2: Mapped[str] = mapped_column(Text, nullable=False)
    indicator_3: Mapped[str] = mapped_column(Text, nullable=False)
    order: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)

    @property
    def indicators(self) -> list[str]:
        return [self.indicator_1, self.indicator_2, self.indicator_3]

    def __str__(self) -> str:
        return self.name


class Period(TimestampMixin, BaseModel):
    """An annual performance period with its evaluation sub-periods."""

    __tablename__ = "period"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    cadence: Mapped[Cadence] = mapped_column(
        enum_column(Cadence), nullable=False, default=Cadence.QUARTERLY
    )
    status: Mapped[PeriodStatus] = mapped_column(
        enum_column(PeriodStatus), nullable=False, default=PeriodStatus.PLANNING, index=True
    )
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    planning_deadline: Mapped[date] = mapped_column(Date, nullable=False)

    sub_periods: Mapped[list[SubPeriod]] = relationship(
        back_populates="period", order_by="SubPeriod.number", cascade="all, delete-orphan"
    )

    @hybrid_property
    def closed(self) -> bool:
        """Nothing in a closed period changes (also usable in queries: ``Period.closed``)."""
        return not period_is_open(self.status)

    @closed.inplace.expression
    @classmethod
    def _closed_expression(cls) -> ColumnElement[bool]:
        return cls.status == PeriodStatus.CLOSED

    def __str__(self) -> str:
        return self.name


class SubPeriod(TimestampMixin, BaseModel):
    """An evaluation sub-period (Triwulan I–IV, or a month) with its deadlines, or the
    annual evaluation (*Akhir*) after the last of them."""

    __tablename__ = "sub_period"
    __table_args__ = (UniqueConstraint("period_id", "number", name="uq_sub_period_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("period.id", ondelete="CASCADE"), nullable=False, index=True
    )
    number: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    report_deadline: Mapped[date] = mapped_column(Date, nullable=False)
    evaluation_deadline: Mapped[date] = mapped_column(Date, nullable=False)
    # The annual evaluation: reported on the year's accumulated realizations.
    annual: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    period: Mapped[Period] = relationship(back_populates="sub_periods")

    def __str__(self) -> str:
        return f"{self.name} {self.period.year}" if self.period else self.name


class WorkPlan(RowVersionMixin, TimestampMixin, BaseModel):
    """An employee's SKP for a period. Content changes in place while the owner holds it;
    each approval keeps a snapshot (:class:`WorkPlanVersion`), so history stays visible."""

    __tablename__ = "work_plan"
    __table_args__ = (
        UniqueConstraint("period_id", "employee_id", name="uq_work_plan_period_employee"),
        CheckConstraint("version >= 1", name="version_positive"),
        keyset_index("work_plan"),
        # the home pages count per unit and status within one (sub-)period, index only
        Index("ix_work_plan_period_unit_status", "period_id", "unit_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("period.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    position_id: Mapped[int | None] = mapped_column(
        ForeignKey("position.id", ondelete="SET NULL"), index=True
    )
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("unit.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    status: Mapped[PlanStatus] = mapped_column(
        enum_column(PlanStatus), nullable=False, default=PlanStatus.DRAFT, index=True
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("ab_user.id", ondelete="SET NULL"), index=True
    )
    return_reason: Mapped[str | None] = mapped_column(Text)
    # The SKP's lampiran, one item a line (see domain.annex): dukungan sumber daya, skema
    # pertanggungjawaban and konsekuensi, agreed with the supervisor like the RHK.
    resource_support: Mapped[str | None] = mapped_column(Text)
    accountability: Mapped[str | None] = mapped_column(Text)
    consequences: Mapped[str | None] = mapped_column(Text)

    period: Mapped[Period] = relationship()
    employee: Mapped[Employee] = relationship()
    position: Mapped[Position | None] = relationship()
    unit: Mapped[Unit] = relationship()
    objectives: Mapped[list[Objective]] = relationship(
        back_populates="work_plan",
        order_by=lambda: [main_first(Objective.kind), Objective.order, Objective.id],
        cascade="all, delete-orphan",
    )
    expectations: Mapped[list[BehaviourExpectation]] = relationship(
        back_populates="work_plan", cascade="all, delete-orphan"
    )
    versions: Mapped[list[WorkPlanVersion]] = relationship(
        back_populates="work_plan",
        order_by="WorkPlanVersion.version.desc()",
        cascade="all, delete-orphan",
    )
    events: Mapped[list[WorkPlanEvent]] = relationship(
        back_populates="work_plan",
        order_by="WorkPlanEvent.id.desc()",
        cascade="all, delete-orphan",
    )

    @property
    def in_force(self) -> bool:
        """Whether an approved version of this plan exists (see :func:`plan_in_force`)."""
        return plan_in_force(self.status, bool(self.versions))

    @property
    def editable(self) -> bool:
        """Whether its content may change now: held by its owner, in an open period."""
        return PlanStatus(self.status).editable and not self.period.closed

    def __str__(self) -> str:
        name = self.employee.name if self.employee else "?"
        return f"SKP {self.period.year if self.period else ''} – {name}"


class Objective(TimestampMixin, BaseModel):
    """A planned work result (RHK), main or additional, cascading from a supervisor's RHK."""

    __tablename__ = "objective"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_plan_id: Mapped[int] = mapped_column(
        ForeignKey("work_plan.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[ObjectiveKind] = mapped_column(
        enum_column(ObjectiveKind), nullable=False, default=ObjectiveKind.MAIN
    )
    text: Mapped[str] = mapped_column(Text, nullable=False)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("objective.id", ondelete="RESTRICT"), index=True
    )
    strategic_goal: Mapped[str | None] = mapped_column(Text)
    order: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)

    work_plan: Mapped[WorkPlan] = relationship(back_populates="objectives")
    parent: Mapped[Objective | None] = relationship(remote_side="Objective.id")
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="objective",
        order_by=lambda: [Indicator.order, Indicator.id],
        cascade="all, delete-orphan",
    )

    def __str__(self) -> str:
        return self.text if len(self.text) <= 120 else self.text[:117] + "…"


MEASURABLE = "qualitative OR (target IS NOT NULL AND target > 0 AND unit IS NOT NULL)"


class Indicator(TimestampMixin, BaseModel):
    """An indicator (IKI) of an objective: measurable, with a target above zero and its
    unit, or qualitative, described and given a level by the supervisor."""

    __tablename__ = "indicator"
    __table_args__ = (CheckConstraint(MEASURABLE, name="measurable"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    objective_id: Mapped[int] = mapped_column(
        ForeignKey("objective.id", ondelete="CASCADE"), nullable=False, index=True
    )
    text: Mapped[str] = mapped_column(Text, nullable=False)
    aspect: Mapped[Aspect] = mapped_column(enum_column(Aspect), nullable=False)
    qualitative: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    target: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    unit: Mapped[str | None] = mapped_column(String(40))
    direction: Mapped[Direction] = mapped_column(enum_column(Direction), nullable=False)
    # No default here: it follows the aspect (domain.planning.default_accumulation).
    accumulation: Mapped[Accumulation] = mapped_column(enum_column(Accumulation), nullable=False)
    order: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)

    objective: Mapped[Objective] = relationship(back_populates="indicators")

    def __str__(self) -> str:
        return self.text


class BehaviourExpectation(TimestampMixin, BaseModel):
    """The supervisor's specific expectation of one BerAKHLAK value on a subordinate's plan."""

    __tablename__ = "behaviour_expectation"
    __table_args__ = (
        UniqueConstraint("work_plan_id", "value_id", name="uq_behaviour_expectation_value"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_plan_id: Mapped[int] = mapped_column(
        ForeignKey("work_plan.id", ondelete="CASCADE"), nullable=False, index=True
    )
    value_id: Mapped[int] = mapped_column(
        ForeignKey("behaviour_value.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    text: Mapped[str] = mapped_column(Text, nullable=False)

    work_plan: Mapped[WorkPlan] = relationship(back_populates="expectations")
    value: Mapped[BehaviourValue] = relationship()


class WorkPlanVersion(TimestampMixin, BaseModel):
    """An approved version of a plan, frozen as it was approved."""

    __tablename__ = "work_plan_version"
    __table_args__ = (UniqueConstraint("work_plan_id", "version", name="uq_work_plan_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_plan_id: Mapped[int] = mapped_column(
        ForeignKey("work_plan.id", ondelete="CASCADE"), nullable=False, index=True
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("ab_user.id", ondelete="SET NULL"), index=True
    )
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)

    work_plan: Mapped[WorkPlan] = relationship(back_populates="versions")


class WorkPlanEvent(TimestampMixin, BaseModel):
    """One step in a plan's life: created, submitted, returned, approved, revised, or content
    entered on the employee's behalf (by an operator)."""

    __tablename__ = "work_plan_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_plan_id: Mapped[int] = mapped_column(
        ForeignKey("work_plan.id", ondelete="CASCADE"), nullable=False, index=True
    )
    action: Mapped[str] = mapped_column(String(30), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("ab_user.id", ondelete="SET NULL"), index=True
    )
    on_behalf: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    note: Mapped[str | None] = mapped_column(Text)

    work_plan: Mapped[WorkPlan] = relationship(back_populates="events")
    actor = relationship("KinerjaUser", foreign_keys=[actor_id])


class PlanTemplate(TimestampMixin, BaseModel):
    """Objectives and indicators prepared for the holders of a position."""

    __tablename__ = "plan_template"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    position_id: Mapped[int] = mapped_column(
        ForeignKey("position.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False)

    position: Mapped[Position] = relationship()
    objectives: Mapped[list[TemplateObjective]] = relationship(
        back_populates="template",
        order_by=lambda: [
            main_first(TemplateObjective.kind),
            TemplateObjective.order,
            TemplateObjective.id,
        ],
        cascade="all, delete-orphan",
    )

    def __str__(self) -> str:
        return self.name


class TemplateObjective(TimestampMixin, BaseModel):
    __tablename__ = "template_objective"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("plan_template.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[ObjectiveKind] = mapped_column(
        enum_column(ObjectiveKind), nullable=False, default=ObjectiveKind.MAIN
    )
    text: Mapped[str] = mapped_column(Text, nullable=False)
    order: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)

    template: Mapped[PlanTemplate] = relationship(back_populates="objectives")
    indicators: Mapped[list[TemplateIndicator]] = relationship(
        back_populates="objective",
        order_by="TemplateIndicator.order",
        cascade="all, delete-orphan",
    )

    def __str__(self) -> str:
        return self.text


class TemplateIndicator(TimestampMixin, BaseModel):
    __tablename__ = "template_indicator"
    __table_args__ = (CheckConstraint(MEASURABLE, name="measurable"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    objective_id: Mapped[int] = mapped_column(
        ForeignKey("template_objective.id", ondelete="CASCADE"), nullable=False, index=True
    )
    text: Mapped[str] = mapped_column(Text, nullable=False)
    aspect: Mapped[Aspect] = mapped_column(enum_column(Aspect), nullable=False)
    qualitative: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    target: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    unit: Mapped[str | None] = mapped_column(String(40))
    direction: Mapped[Direction] = mapped_column(enum_column(Direction), nullable=False)
    # No default here: it follows the aspect (domain.planning.default_accumulation).
    accumulation: Mapped[Accumulation] = mapped_column(enum_column(Accumulation), nullable=False)
    order: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)

    objective: Mapped[TemplateObjective] = relationship(back_populates="indicators")

    def __str__(self) -> str:
        return self.text
