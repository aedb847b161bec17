"""The organisation: units (a tree), positions (a supervision tree), employees, ranks."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja.domain.nip import InvalidNip, Nip, parse_nip
from kinerja.domain.org import EmploymentType, PositionKind, UnitKind
from kinerja.extensions import BaseModel
from kinerja.models.base import RowVersionMixin, TimestampMixin, enum_column, keyset_index

PATH_SEPARATOR = " › "


class Rank(TimestampMixin, BaseModel):
    """Golongan/ruang (PNS, e.g. III/a Penata Muda) or PPPK grade (I–XVII): reference data."""

    __tablename__ = "rank"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    employment_type: Mapped[EmploymentType] = mapped_column(
        enum_column(EmploymentType), nullable=False
    )
    order: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)

    def __str__(self) -> str:
        return f"{self.code} {self.name}" if self.name != self.code else self.code


class Unit(TimestampMixin, BaseModel):
    """An organisation unit: OPD, bidang, seksi, kecamatan, kelurahan, UPTD… (a tree)."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind), nullable=False, index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit.id", ondelete="RESTRICT"), index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    parent: Mapped[Unit | None] = relationship(remote_side="Unit.id", back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def path(self) -> str:
        """The full path from the top, e.g. ``Dinas Kesehatan › Bidang P2P › Seksi Surveilans``
        (shown on one unit's page: a few lazy loads, safe even on a corrupted cyclic tree)."""
        names: list[str] = []
        seen: set[int] = set()
        unit: Unit | None = self
        while unit is not None and unit.id not in seen:
            seen.add(unit.id)
            names.append(unit.name)
            unit = unit.parent
        return PATH_SEPARATOR.join(reversed(names))


class Position(TimestampMixin, BaseModel):
    """A jabatan in a unit, supervised by another position (the atasan)."""

    __tablename__ = "position"
    __table_args__ = (
        CheckConstraint("grade BETWEEN 1 AND 17", name="grade_range"),
        CheckConstraint("supervisor_id IS NULL OR supervisor_id <> id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    kind: Mapped[PositionKind] = mapped_column(
        enum_column(PositionKind), nullable=False, index=True
    )
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("unit.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    supervisor_id: Mapped[int | None] = mapped_column(
        ForeignKey("position.id", ondelete="RESTRICT"), index=True
    )
    grade: Mapped[int | None] = mapped_column(SmallInteger)
    is_head: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, index=True)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, index=True)

    unit: Mapped[Unit] = relationship()
    supervisor: Mapped[Position | None] = relationship(
        remote_side="Position.id", back_populates="subordinates"
    )
    subordinates: Mapped[list[Position]] = relationship(back_populates="supervisor")
    holders: Mapped[list[Employee]] = relationship(back_populates="position")

    def __str__(self) -> str:
        return f"{self.name} – {self.unit.name}" if self.unit else self.name


class Employee(RowVersionMixin, TimestampMixin, BaseModel):
    """A civil servant (PNS or PPPK), placed in a unit and usually holding a position."""

    __tablename__ = "employee"
    __table_args__ = (keyset_index("employee"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(30))
    employment_type: Mapped[EmploymentType] = mapped_column(
        enum_column(EmploymentType), nullable=False, default=EmploymentType.PNS, index=True
    )
    rank_id: Mapped[int | None] = mapped_column(
        ForeignKey("rank.id", ondelete="RESTRICT"), index=True
    )
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("unit.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    position_id: Mapped[int | None] = mapped_column(
        ForeignKey("position.id", ondelete="SET NULL"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("ab_user.id", ondelete="SET NULL"), unique=True
    )
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, index=True)

    rank: Mapped[Rank | None] = relationship()
    unit: Mapped[Unit] = relationship()
    position: Mapped[Position | None] = relationship(back_populates="holders")
    user = relationship("KinerjaUser", foreign_keys=[user_id])

    def __str__(self) -> str:
        return f"{self.name} ({self.nip})"

    @property
    def supervisor(self) -> Employee | None:
        """The active holder of the position that supervises this employee's position."""
        boss = self.position.supervisor if self.position is not None else None
        if boss is None:
            return None
        return next((h for h in boss.holders if h.active and h.id != self.id), None)

    @property
    def parsed_nip(self) -> Nip | None:
        try:
            return parse_nip(self.nip)
        except InvalidNip:
            return None

    @property
    def birth_date(self) -> date | None:
        nip = self.parsed_nip
        return nip.birth_date if nip else None

    @property
    def service_start(self) -> date | None:
        nip = self.parsed_nip
        return nip.service_start if nip else None

    @property
    def sex(self) -> str | None:
        nip = self.parsed_nip
        return nip.sex if nip else None
