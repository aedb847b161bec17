"""Ratings of a period: each employee's predikat (computed by a job, final once the annual
evaluation is approved), each unit's own predikat set by its leader's supervisor, and the
check of each unit's distribution against the curve that predikat expects."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja.domain.ratings import Level, Predikat, UnitPredikat
from kinerja.extensions import BaseModel
from kinerja.models.base import TimestampMixin, UTCDateTime, enum_column, keyset_index
from kinerja.models.org import Employee, Unit
from kinerja.models.planning import Period, WorkPlan


class UnitRating(TimestampMixin, BaseModel):
    """A unit's own predikat for a period (from its performance agreement results), set by
    the unit head's supervisor or an Admin; it selects the expected distribution and the
    head's suggested results."""

    __tablename__ = "unit_rating"
    __table_args__ = (UniqueConstraint("unit_id", "period_id", name="uq_unit_rating_period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("unit.id", ondelete="CASCADE"), nullable=False, index=True
    )
    period_id: Mapped[int] = mapped_column(
        ForeignKey("period.id", ondelete="CASCADE"), nullable=False, index=True
    )
    predikat: Mapped[UnitPredikat] = mapped_column(enum_column(UnitPredikat), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    set_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("ab_user.id", ondelete="SET NULL"), index=True
    )

    unit: Mapped[Unit] = relationship()
    period: Mapped[Period] = relationship()

    def __str__(self) -> str:
        return f"{self.unit} – {self.period}" if self.unit and self.period else str(self.id)


class Rating(TimestampMixin, BaseModel):
    """An employee's rating for a period: provisional until the annual evaluation is
    approved, then final. The suggested levels are kept beside the given ones, and the
    explanation says which indicators drove it."""

    __tablename__ = "rating"
    __table_args__ = (
        UniqueConstraint("employee_id", "period_id", name="uq_rating_period"),
        keyset_index("rating"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), nullable=False, index=True
    )
    period_id: Mapped[int] = mapped_column(
        ForeignKey("period.id", ondelete="CASCADE"), nullable=False, index=True
    )
    work_plan_id: Mapped[int] = mapped_column(
        ForeignKey("work_plan.id", ondelete="CASCADE"), nullable=False, index=True
    )
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("unit.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    final: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, index=True)
    predikat: Mapped[Predikat | None] = mapped_column(enum_column(Predikat), index=True)
    results: Mapped[Level | None] = mapped_column(enum_column(Level, "results"))
    behaviour: Mapped[Level | None] = mapped_column(enum_column(Level, "behaviour"))
    suggested_results: Mapped[Level | None] = mapped_column(enum_column(Level, "suggested_results"))
    suggested_behaviour: Mapped[Level | None] = mapped_column(
        enum_column(Level, "suggested_behaviour")
    )
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("job_run.id", ondelete="SET NULL"), index=True
    )

    employee: Mapped[Employee] = relationship()
    period: Mapped[Period] = relationship()
    work_plan: Mapped[WorkPlan] = relationship()
    unit: Mapped[Unit] = relationship()

    def __str__(self) -> str:
        return f"{self.employee} – {self.period}" if self.employee and self.period else str(self.id)


class DistributionCheck(TimestampMixin, BaseModel):
    """A unit's distribution of predikat for a period checked against the curve its unit
    predikat expects (Baik where none is set, which ``assumed`` says); only warns."""

    __tablename__ = "distribution_check"
    __table_args__ = (
        UniqueConstraint("unit_id", "period_id", name="uq_distribution_check_period"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("unit.id", ondelete="CASCADE"), nullable=False, index=True
    )
    period_id: Mapped[int] = mapped_column(
        ForeignKey("period.id", ondelete="CASCADE"), nullable=False, index=True
    )
    unit_predikat: Mapped[UnitPredikat] = mapped_column(enum_column(UnitPredikat), nullable=False)
    assumed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    employees: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    counts: Mapped[dict[str, int]] = mapped_column(JSON, nullable=False, default=dict)
    # [{"template": msgid, "params": {...}}], translated where shown
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)

    unit: Mapped[Unit] = relationship()
    period: Mapped[Period] = relationship()
