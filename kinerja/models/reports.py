"""Reporting: daily activities, periodic reports with realizations and evidence, the
supervisor's evaluation of a report, and the performance dialogue around it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
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
    event,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja.domain.ratings import Level, Predikat
from kinerja.domain.reporting import EvidenceKind, ReportStatus
from kinerja.extensions import BaseModel
from kinerja.models.base import (
    RowVersionMixin,
    TimestampMixin,
    UTCDateTime,
    enum_column,
    keyset_index,
)
from kinerja.models.org import Employee, Unit
from kinerja.models.planning import BehaviourValue, Indicator, SubPeriod, WorkPlan


class Attachment(TimestampMixin, BaseModel):
    """A stored file (evidence, an activity's attachment). The file lives in the file store
    under a generated ``key``; each attachment belongs to exactly one row, so removing it
    never removes anyone else's file."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    original_name: Mapped[str] = mapped_column(String(200), nullable=False)
    content_type: Mapped[str] = mapped_column(String(120), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("ab_user.id", ondelete="SET NULL"), index=True
    )

    def __str__(self) -> str:
        return self.original_name


class Activity(TimestampMixin, BaseModel):
    """A daily activity log entry (laporan harian)."""

    __tablename__ = "activity"
    __table_args__ = (
        CheckConstraint("duration_minutes BETWEEN 1 AND 1440", name="duration_range"),
        Index("ix_activity_employee_day", "employee_id", "day"),
        keyset_index("activity"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    day: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    duration_minutes: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicator.id", ondelete="SET NULL"), index=True
    )
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachment.id", ondelete="SET NULL"), index=True
    )

    employee: Mapped[Employee] = relationship()
    indicator: Mapped[Indicator | None] = relationship()
    attachment: Mapped[Attachment | None] = relationship()

    def __str__(self) -> str:
        return f"{self.day}: {self.description[:60]}"


class Report(RowVersionMixin, TimestampMixin, BaseModel):
    """An employee's periodic report (laporan capaian) for one evaluation sub-period."""

    __tablename__ = "report"
    __table_args__ = (
        UniqueConstraint("work_plan_id", "sub_period_id", name="uq_report_plan_sub_period"),
        keyset_index("report"),
        # the home pages count per unit and status within one (sub-)period, index only
        Index("ix_report_sub_period_unit_status", "sub_period_id", "unit_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_plan_id: Mapped[int] = mapped_column(
        ForeignKey("work_plan.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    sub_period_id: Mapped[int] = mapped_column(
        ForeignKey("sub_period.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("unit.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    status: Mapped[ReportStatus] = mapped_column(
        enum_column(ReportStatus), nullable=False, default=ReportStatus.DRAFT, index=True
    )
    plan_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    note: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("ab_user.id", ondelete="SET NULL"), index=True
    )
    return_reason: Mapped[str | None] = mapped_column(Text)

    work_plan: Mapped[WorkPlan] = relationship()
    sub_period: Mapped[SubPeriod] = relationship()
    employee: Mapped[Employee] = relationship()
    unit: Mapped[Unit] = relationship()
    realizations: Mapped[list[Realization]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Realization.id"
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Evidence.id"
    )
    evaluation: Mapped[Evaluation | None] = relationship(
        back_populates="report", cascade="all, delete-orphan", uselist=False
    )
    notes: Mapped[list[DialogueNote]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="DialogueNote.id"
    )

    @property
    def waiting_since(self) -> datetime | None:
        """When it entered the supervisor's queue (None once decided or before submission)."""
        return self.submitted_at if self.status == ReportStatus.SUBMITTED else None

    @property
    def editable(self) -> bool:
        """Realizations, evidence and the note change while the employee holds the report,
        in a period that is not closed."""
        return ReportStatus(self.status).editable and not self.work_plan.period.closed

    @property
    def deletable(self) -> bool:
        """Only a draft that never reached the supervisor may be thrown away."""
        return self.status == ReportStatus.DRAFT and self.evaluation is None

    @property
    def awaiting_evaluation(self) -> bool:
        return self.status == ReportStatus.SUBMITTED and not self.work_plan.period.closed

    def __str__(self) -> str:
        name = self.employee.name if self.employee else "?"
        return f"{self.sub_period} – {name}" if self.sub_period else name


class Realization(TimestampMixin, BaseModel):
    """What was achieved on one indicator in the report's sub-period.

    On PostgreSQL the table is partitioned by ``period_id`` (the report's period, copied
    here as the partition key; see :mod:`kinerja.services.partitions`): its primary key
    there is ``(id, period_id)``, and every unique key includes the period."""

    __tablename__ = "realization"
    __table_args__ = (
        UniqueConstraint(
            "report_id", "indicator_id", "period_id", name="uq_realization_report_indicator"
        ),
        CheckConstraint("value >= 0", name="value_not_negative"),
        keyset_index("realization"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("report.id", ondelete="CASCADE"), nullable=False, index=True
    )
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    note: Mapped[str | None] = mapped_column(Text)
    # the report's period, filled on insert (below): the partition key on PostgreSQL
    period_id: Mapped[int] = mapped_column(
        ForeignKey("period.id", ondelete="RESTRICT"), nullable=False, index=True
    )

    report: Mapped[Report] = relationship(back_populates="realizations")
    indicator: Mapped[Indicator] = relationship()

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class Evidence(TimestampMixin, BaseModel):
    """Proof of a report's results (bukti dukung): a stored file or a link."""

    __tablename__ = "evidence"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'file' AND attachment_id IS NOT NULL) OR (kind = 'link' AND url IS NOT NULL)",
            name="file_or_link",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("report.id", ondelete="CASCADE"), nullable=False, index=True
    )
    indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicator.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[EvidenceKind] = mapped_column(enum_column(EvidenceKind), nullable=False)
    description: Mapped[str | None] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(1000))
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachment.id", ondelete="RESTRICT"), unique=True
    )

    report: Mapped[Report] = relationship(back_populates="evidence")
    indicator: Mapped[Indicator | None] = relationship()
    attachment: Mapped[Attachment | None] = relationship()

    def __str__(self) -> str:
        if self.attachment is not None:
            return self.attachment.original_name
        return self.description or self.url or ""


class Evaluation(RowVersionMixin, TimestampMixin, BaseModel):
    """The supervisor's evaluation of a report: one per report, made at its first submission.
    The suggested levels are kept beside the chosen ones (evidence for calibration)."""

    __tablename__ = "evaluation"
    __table_args__ = (keyset_index("evaluation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("report.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    results: Mapped[Level | None] = mapped_column(enum_column(Level, "results"))
    behaviour: Mapped[Level | None] = mapped_column(enum_column(Level, "behaviour"))
    suggested_results: Mapped[Level | None] = mapped_column(enum_column(Level, "suggested_results"))
    suggested_behaviour: Mapped[Level | None] = mapped_column(
        enum_column(Level, "suggested_behaviour")
    )
    predikat: Mapped[Predikat | None] = mapped_column(enum_column(Predikat), index=True)
    feedback: Mapped[str | None] = mapped_column(Text)
    evaluator_id: Mapped[int | None] = mapped_column(
        ForeignKey("ab_user.id", ondelete="SET NULL"), index=True
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    report: Mapped[Report] = relationship(back_populates="evaluation")
    employee: Mapped[Employee] = relationship()
    ratings: Mapped[list[BehaviourRating]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan"
    )
    indicator_levels: Mapped[list[IndicatorLevel]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan"
    )

    @property
    def decided(self) -> bool:
        return self.decided_at is not None

    @property
    def differs_from_suggestion(self) -> bool:
        return (self.results is not None and self.results != self.suggested_results) or (
            self.behaviour is not None and self.behaviour != self.suggested_behaviour
        )

    def __str__(self) -> str:
        return str(self.report) if self.report else f"#{self.id}"


class IndicatorLevel(TimestampMixin, BaseModel):
    """The level the supervisor gives a qualitative indicator in an evaluation (it has no
    achievement to suggest one)."""

    __tablename__ = "indicator_level"
    __table_args__ = (
        UniqueConstraint("evaluation_id", "indicator_id", name="uq_indicator_level_indicator"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation.id", ondelete="CASCADE"), nullable=False, index=True
    )
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    level: Mapped[Level] = mapped_column(enum_column(Level), nullable=False)

    evaluation: Mapped[Evaluation] = relationship(back_populates="indicator_levels")
    indicator: Mapped[Indicator] = relationship()


class BehaviourRating(TimestampMixin, BaseModel):
    """The supervisor's rating of one BerAKHLAK value in an evaluation."""

    __tablename__ = "behaviour_rating"
    __table_args__ = (
        UniqueConstraint("evaluation_id", "value_id", name="uq_behaviour_rating_value"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation.id", ondelete="CASCADE"), nullable=False, index=True
    )
    value_id: Mapped[int] = mapped_column(
        ForeignKey("behaviour_value.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    level: Mapped[Level] = mapped_column(enum_column(Level), nullable=False)

    evaluation: Mapped[Evaluation] = relationship(back_populates="ratings")
    value: Mapped[BehaviourValue] = relationship()


class DialogueNote(TimestampMixin, BaseModel):
    """One note of the performance dialogue on a report, by the employee or the supervisor."""

    __tablename__ = "dialogue_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("report.id", ondelete="CASCADE"), nullable=False, index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("ab_user.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(Text, nullable=False)

    report: Mapped[Report] = relationship(back_populates="notes")
    author = relationship("KinerjaUser", foreign_keys=[author_id])

    def __str__(self) -> str:
        return self.text[:80]


@event.listens_for(Realization, "before_insert")
def _copy_the_reports_period(_mapper: Any, connection: Connection, row: Realization) -> None:
    """A realization is written with its report's period, the partition key: one rule for
    every path that adds one through the ORM (set-based writers select it themselves)."""
    if row.period_id is None:
        row.period_id = connection.scalar(
            select(SubPeriod.period_id)
            .join(Report, Report.sub_period_id == SubPeriod.id)
            .where(Report.id == row.report_id)
        )
