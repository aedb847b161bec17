"""The employee's self-evaluation of the year, made on their annual report before the
supervisor's annual evaluation and shown to the supervisor beside the suggestion."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja.domain.ratings import Level
from kinerja.extensions import BaseModel
from kinerja.models.base import TimestampMixin, UTCDateTime, enum_column
from kinerja.models.org import Employee
from kinerja.models.reports import Report


class SelfEvaluation(TimestampMixin, BaseModel):
    """How the employee rates their own results and each BerAKHLAK value for the year;
    ``behaviour`` is the level the values suggest (the rule the supervisor's form uses)."""

    __tablename__ = "self_evaluation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("report.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), nullable=False, index=True
    )
    results: Mapped[Level] = mapped_column(enum_column(Level, "self_results"), nullable=False)
    behaviour: Mapped[Level | None] = mapped_column(enum_column(Level, "self_behaviour"))
    # BerAKHLAK value code → level value ("above", "as_expected", "below")
    values: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)

    report: Mapped[Report] = relationship()
    employee: Mapped[Employee] = relationship()

    def level_of(self, code: str) -> Level | None:
        value = (self.values or {}).get(code)
        return Level(value) if value else None

    def __str__(self) -> str:
        return f"{self.employee} — {self.report}"
