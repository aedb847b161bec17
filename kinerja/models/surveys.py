"""Public satisfaction surveys (SKM): the services a unit delivers, a survey of a service
in a period, the public's answers and the computed index (IKM).

Answers are nine small integer columns, not a child table: the index of a million
responses is one ``GROUP BY`` over one narrow table. Responses keep no client address
and no name: the optional profile is coarse (ranges and categories), and the browser is
known only by a random key of its own (one response per browser and survey).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from kinerja.domain.errors import N_
from kinerja.domain.org import LabeledEnum
from kinerja.domain.survey import ELEMENT_COUNT, sample_size
from kinerja.extensions import BaseModel
from kinerja.models.base import TimestampMixin, UTCDateTime, enum_column
from kinerja.models.org import Position, Unit
from kinerja.models.planning import Period

ANSWER_COLUMNS = tuple(f"a{n}" for n in range(1, ELEMENT_COUNT + 1))
NRR_COLUMNS = tuple(f"nrr{n}" for n in range(1, ELEMENT_COUNT + 1))
COMMENT_LENGTH = 2000


class AgeRange(LabeledEnum):
    UNDER_20 = "lt20", N_("Under 20")
    FROM_20 = "20-29", N_("20–29")
    FROM_30 = "30-39", N_("30–39")
    FROM_40 = "40-49", N_("40–49")
    FROM_50 = "50-59", N_("50–59")
    FROM_60 = "ge60", N_("60 or older")


class Sex(LabeledEnum):
    MALE = "M", N_("Male")
    FEMALE = "F", N_("Female")


class Education(LabeledEnum):
    PRIMARY = "sd", N_("Primary school or lower")
    JUNIOR = "smp", N_("Junior high school")
    SENIOR = "sma", N_("Senior high school")
    DIPLOMA = "diploma", N_("Diploma (D1–D4)")
    BACHELOR = "s1", N_("Bachelor (S1)")
    POSTGRADUATE = "s2", N_("Postgraduate (S2/S3)")


class Occupation(LabeledEnum):
    CIVIL_SERVANT = "asn", N_("Civil servant / military / police")
    PRIVATE = "private", N_("Private employee")
    SELF_EMPLOYED = "self", N_("Self-employed")
    STUDENT = "student", N_("Student")
    OTHER = "other", N_("Other")


class SurveyStatus(LabeledEnum):
    """Where a survey stands on a given day."""

    UPCOMING = "upcoming", N_("Not yet open")
    OPEN = "open", N_("Open")
    CLOSED = "closed", N_("Closed")


service_position = Table(
    "service_position",
    BaseModel.metadata,
    Column("service_id", ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
    Column("position_id", ForeignKey("position.id", ondelete="CASCADE"), primary_key=True),
)


class Service(TimestampMixin, BaseModel):
    """A public service of a unit (KTP issuance, a kecamatan's letters, outpatient care)
    with the number of people it serves in a year: the population of its sample size.
    ``positions`` deliver it: their holders see the unit's index on their review page."""

    __tablename__ = "service"
    __table_args__ = (
        UniqueConstraint("unit_id", "name", name="uq_service_unit_name"),
        CheckConstraint("yearly_population > 0", name="population_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("unit.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    description: Mapped[str | None] = mapped_column(Text)
    yearly_population: Mapped[int] = mapped_column(Integer, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    unit: Mapped[Unit] = relationship()
    positions: Mapped[list[Position]] = relationship(secondary=service_position)
    surveys: Mapped[list[Survey]] = relationship(back_populates="service")

    def __str__(self) -> str:
        return self.name

    @property
    def required_sample(self) -> int:
        """Respondents a survey of this service needs (Krejcie–Morgan of the population)."""
        return sample_size(self.yearly_population) if self.yearly_population else 0


class Survey(TimestampMixin, BaseModel):
    """A survey of one service in one period, open to the public from ``opens_on`` to
    ``closes_on`` (inclusive) at ``/skm/<token>``, or until closed early (``closed_at``)."""

    __tablename__ = "survey"
    __table_args__ = (
        UniqueConstraint("service_id", "opens_on", name="uq_survey_service_opens"),
        CheckConstraint("closes_on >= opens_on", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    period_id: Mapped[int] = mapped_column(
        ForeignKey("period.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    # The public link's part: random, unguessable, never the id.
    token: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    opens_on: Mapped[date] = mapped_column(Date, nullable=False)
    closes_on: Mapped[date] = mapped_column(Date, nullable=False)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    service: Mapped[Service] = relationship(back_populates="surveys")
    period: Mapped[Period] = relationship()

    def __str__(self) -> str:
        return f"{self.service.name} ({self.opens_on:%d-%m-%Y} – {self.closes_on:%d-%m-%Y})"

    def is_open(self, today: date) -> bool:
        return self.closed_at is None and self.opens_on <= today <= self.closes_on

    @property
    def required_sample(self) -> int:
        return self.service.required_sample

    @property
    def response_count(self) -> int:
        session = object_session(self)
        if session is None or self.id is None:
            return 0
        query = select(func.count(SurveyResponse.id)).where(SurveyResponse.survey_id == self.id)
        return int(session.scalar(query) or 0)

    @property
    def schedule(self) -> tuple[date, date, bool]:
        """What the status depends on besides the day: shown as the status on screens."""
        return (self.opens_on, self.closes_on, self.closed_at is not None)

    @property
    def poster(self) -> int:
        """The printable poster's key (the survey's id), for screens."""
        return self.id

    def status_on(self, today: date) -> SurveyStatus:
        if self.closed_at is not None or today > self.closes_on:
            return SurveyStatus.CLOSED
        return SurveyStatus.UPCOMING if today < self.opens_on else SurveyStatus.OPEN


class SurveyResponse(BaseModel):
    """One member of the public's answers: nine answers 1–4, an optional coarse profile and
    comment. ``browser_key`` is a random key the browser keeps (a cookie), so that one
    browser answers a survey once; nothing identifies the person."""

    __tablename__ = "survey_response"
    __table_args__ = (
        UniqueConstraint("survey_id", "browser_key", name="uq_survey_response_browser"),
        *(CheckConstraint(f"{c} BETWEEN 1 AND 4", name=f"{c}_range") for c in ANSWER_COLUMNS),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        ForeignKey("survey.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)
    browser_key: Mapped[str] = mapped_column(String(64), nullable=False)
    a1: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    a2: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    a3: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    a4: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    a5: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    a6: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    a7: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    a8: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    a9: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    age_range: Mapped[AgeRange | None] = mapped_column(enum_column(AgeRange))
    sex: Mapped[Sex | None] = mapped_column(enum_column(Sex, "survey_sex"))
    education: Mapped[Education | None] = mapped_column(enum_column(Education))
    occupation: Mapped[Occupation | None] = mapped_column(enum_column(Occupation))
    comment: Mapped[str | None] = mapped_column(String(COMMENT_LENGTH))
    # An Admin or Operator approves a comment for the public transparency page.
    comment_published: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    survey: Mapped[Survey] = relationship()

    @property
    def answers(self) -> tuple[int, ...]:
        return tuple(getattr(self, c) for c in ANSWER_COLUMNS)


class _IndexColumns:
    """What a computed index holds: the count, NRR per element (1–4), IKM (25–100), its
    grade and the weakest elements (their codes, comma-separated) as priorities."""

    responses: Mapped[int] = mapped_column(Integer, nullable=False)
    nrr1: Mapped[Decimal | None] = mapped_column(Numeric(6, 4))
    nrr2: Mapped[Decimal | None] = mapped_column(Numeric(6, 4))
    nrr3: Mapped[Decimal | None] = mapped_column(Numeric(6, 4))
    nrr4: Mapped[Decimal | None] = mapped_column(Numeric(6, 4))
    nrr5: Mapped[Decimal | None] = mapped_column(Numeric(6, 4))
    nrr6: Mapped[Decimal | None] = mapped_column(Numeric(6, 4))
    nrr7: Mapped[Decimal | None] = mapped_column(Numeric(6, 4))
    nrr8: Mapped[Decimal | None] = mapped_column(Numeric(6, 4))
    nrr9: Mapped[Decimal | None] = mapped_column(Numeric(6, 4))
    ikm: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    grade: Mapped[str | None] = mapped_column(String(1))
    priorities: Mapped[str | None] = mapped_column(String(100))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("job_run.id", ondelete="SET NULL"))


class SurveyResult(_IndexColumns, TimestampMixin, BaseModel):
    """The index of one survey, with the sample it needed (from the service's population)."""

    __tablename__ = "survey_result"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        ForeignKey("survey.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    required: Mapped[int] = mapped_column(Integer, nullable=False)

    survey: Mapped[Survey] = relationship()


class UnitSurveyResult(_IndexColumns, TimestampMixin, BaseModel):
    """The index of a unit in a period over all its services' surveys (what feeds the
    unit's evaluation and the transparency page)."""

    __tablename__ = "unit_survey_result"
    __table_args__ = (UniqueConstraint("unit_id", "period_id", name="uq_unit_survey_result"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("unit.id", ondelete="CASCADE"), nullable=False, index=True
    )
    period_id: Mapped[int] = mapped_column(
        ForeignKey("period.id", ondelete="CASCADE"), nullable=False, index=True
    )

    unit: Mapped[Unit] = relationship()
    period: Mapped[Period] = relationship()
