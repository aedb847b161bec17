"""Competency and development: the dictionary, position standards, assessments, the training
catalogue and records, and what the recommendation job derives from them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja.domain.competency import AssessmentSource, CompetencyGroup, TrainingMode
from kinerja.domain.ratings import Predikat
from kinerja.extensions import BaseModel
from kinerja.models.base import TimestampMixin, UTCDateTime, enum_column
from kinerja.models.org import Employee, Position
from kinerja.models.reports import Attachment

LEVEL_RANGE = "BETWEEN 1 AND 5"


class Competency(TimestampMixin, BaseModel):
    """A competency of the dictionary: the eight managerial ones and the socio-cultural one
    seeded from the regulation, technical ones defined by the instance."""

    __tablename__ = "competency"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    category: Mapped[CompetencyGroup] = mapped_column(
        enum_column(CompetencyGroup), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    name_en: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    levels: Mapped[list[CompetencyLevel]] = relationship(
        back_populates="competency", order_by="CompetencyLevel.level", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CompetencyLevel(TimestampMixin, BaseModel):
    """What level 1–5 of a competency means (the behaviour expected at it)."""

    __tablename__ = "competency_level"
    __table_args__ = (
        UniqueConstraint("competency_id", "level"),
        CheckConstraint(f"level {LEVEL_RANGE}", name="level_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    competency_id: Mapped[int] = mapped_column(
        ForeignKey("competency.id", ondelete="CASCADE"), nullable=False
    )
    level: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False)

    competency: Mapped[Competency] = relationship(back_populates="levels")

    def __str__(self) -> str:
        return f"{self.competency} — {self.level}"


class PositionCompetency(TimestampMixin, BaseModel):
    """The level a position requires of a competency (its standard, PermenPANRB 38/2017)."""

    __tablename__ = "position_competency"
    __table_args__ = (
        UniqueConstraint("position_id", "competency_id"),
        CheckConstraint(f"required_level {LEVEL_RANGE}", name="required_level_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    position_id: Mapped[int] = mapped_column(
        ForeignKey("position.id", ondelete="CASCADE"), nullable=False, index=True
    )
    competency_id: Mapped[int] = mapped_column(
        ForeignKey("competency.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    required_level: Mapped[int] = mapped_column(SmallInteger, nullable=False)

    position: Mapped[Position] = relationship()
    competency: Mapped[Competency] = relationship()

    def __str__(self) -> str:
        return f"{self.position} — {self.competency}: {self.required_level}"


class Assessment(TimestampMixin, BaseModel):
    """An assessed level of one competency of one employee; the latest one counts."""

    __tablename__ = "assessment"
    __table_args__ = (
        CheckConstraint(f"level {LEVEL_RANGE}", name="assessed_level_range"),
        Index("ix_assessment_latest", "employee_id", "competency_id", "assessed_on", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), nullable=False
    )
    competency_id: Mapped[int] = mapped_column(
        ForeignKey("competency.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    level: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    assessed_on: Mapped[date] = mapped_column(Date, nullable=False)
    source: Mapped[AssessmentSource] = mapped_column(enum_column(AssessmentSource), nullable=False)
    note: Mapped[str | None] = mapped_column(String(500))

    employee: Mapped[Employee] = relationship()
    competency: Mapped[Competency] = relationship()

    def __str__(self) -> str:
        return f"{self.employee} — {self.competency}: {self.level}"


class Training(TimestampMixin, BaseModel):
    """A development activity of the catalogue: classical or not, worth some lesson hours."""

    __tablename__ = "training"
    __table_args__ = (
        CheckConstraint("jp > 0", name="jp_positive"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint(
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="dates_ordered"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    provider: Mapped[str | None] = mapped_column(String(200))
    mode: Mapped[TrainingMode] = mapped_column(enum_column(TrainingMode), nullable=False)
    jp: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    capacity: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    addresses: Mapped[list[TrainingCompetency]] = relationship(
        back_populates="training", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return self.title


class TrainingCompetency(TimestampMixin, BaseModel):
    """A competency a training develops, and by how many levels it raises it."""

    __tablename__ = "training_competency"
    __table_args__ = (
        UniqueConstraint("training_id", "competency_id"),
        CheckConstraint("raises BETWEEN 1 AND 4", name="raises_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    training_id: Mapped[int] = mapped_column(
        ForeignKey("training.id", ondelete="CASCADE"), nullable=False
    )
    competency_id: Mapped[int] = mapped_column(
        ForeignKey("competency.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    raises: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=1)

    training: Mapped[Training] = relationship(back_populates="addresses")
    competency: Mapped[Competency] = relationship()

    def __str__(self) -> str:
        return f"{self.training} — {self.competency} (+{self.raises})"


class TrainingRecord(TimestampMixin, BaseModel):
    """Development one employee completed: its lesson hours count toward the year's 20 JP."""

    __tablename__ = "training_record"
    __table_args__ = (
        CheckConstraint("jp > 0", name="record_jp_positive"),
        Index("ix_training_record_year", "year", "employee_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), nullable=False, index=True
    )
    training_id: Mapped[int | None] = mapped_column(
        ForeignKey("training.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    mode: Mapped[TrainingMode] = mapped_column(enum_column(TrainingMode), nullable=False)
    jp: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    completed_on: Mapped[date] = mapped_column(Date, nullable=False)
    year: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    certificate_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachment.id", ondelete="SET NULL"), unique=True
    )

    employee: Mapped[Employee] = relationship()
    training: Mapped[Training | None] = relationship()
    certificate: Mapped[Attachment | None] = relationship()

    def __str__(self) -> str:
        return f"{self.employee} — {self.title} ({self.jp} JP)"


class Recommendation(TimestampMixin, BaseModel):
    """A training recommended to an employee for a year, ranked by the levels of their gaps
    it closes (written by the recommendation job; a re-run replaces the year's rows)."""

    __tablename__ = "recommendation"
    # Few indexes: the job writes half a million rows a year at once (one training per
    # rank is enough to keep a training from being recommended twice to a person).
    __table_args__ = (UniqueConstraint("year", "employee_id", "rank"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), nullable=False
    )
    training_id: Mapped[int] = mapped_column(
        ForeignKey("training.id", ondelete="CASCADE"), nullable=False
    )
    year: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    rank: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    gap_closed: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    gap_total: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    # first in line: the latest predikat was Butuh Perbaikan, Kurang or Sangat Kurang
    priority: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    predikat: Mapped[Predikat | None] = mapped_column(enum_column(Predikat))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)

    employee: Mapped[Employee] = relationship()
    training: Mapped[Training] = relationship()

    def __str__(self) -> str:
        return f"{self.employee} — {self.training} (#{self.rank})"


class RewardCandidate(TimestampMixin, BaseModel):
    """An employee whose ratings make them a candidate for recognition in a year."""

    __tablename__ = "reward_candidate"
    __table_args__ = (UniqueConstraint("employee_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), nullable=False
    )
    year: Mapped[int] = mapped_column(SmallInteger, nullable=False, index=True)
    predikat: Mapped[Predikat] = mapped_column(enum_column(Predikat), nullable=False)
    two_good_years: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    match: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)

    employee: Mapped[Employee] = relationship()

    def __str__(self) -> str:
        return f"{self.employee} — {self.year}"
