"""The demo organisation's data: units and positions, growth templates, names, ranks, logins.

Typed records read from units.csv, positions.csv, growth.toml, names.toml, ranks.csv and
logins.toml; each file is read once and checked as it is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from kinerja.demo.datafiles import (
    DataFileError,
    as_optional_string,
    as_strings,
    read_csv,
    read_toml,
    reading,
)
from kinerja.domain.org import PositionKind, UnitKind
from kinerja.security import roles


@dataclass(frozen=True)
class PositionSpec:
    name: str
    kind: PositionKind
    grade: int


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: UnitKind
    parent: str | None
    head: PositionSpec | None
    staff: tuple[PositionSpec, ...] = ()
    head_vacant: bool = False  # left unfilled on purpose: its staff have nobody to rate them


@dataclass(frozen=True)
class GrowthTemplate:
    parent: str
    prefix: str
    name: str  # formatted with the unit's number ``n``
    kind: UnitKind
    head: PositionSpec
    staff: tuple[PositionSpec, ...]


@dataclass(frozen=True)
class Growth:
    core_employees: int
    employees_per_unit: int
    templates: tuple[GrowthTemplate, ...]


@dataclass(frozen=True)
class Names:
    first_male: tuple[str, ...]
    first_female: tuple[str, ...]
    last: tuple[str, ...]
    back_titles: tuple[str, ...]
    front_titles: Mapping[str, str]  # by position name


@dataclass(frozen=True)
class Ranks:
    pns: Mapping[int, str]
    pppk: Mapping[int, str]

    def code_for(self, grade: int, pppk: bool) -> str:
        """The rank a newcomer to a position of this class plausibly holds."""
        try:
            return (self.pppk if pppk else self.pns)[grade]
        except KeyError:
            raise DataFileError(f"ranks.csv: no rank for class {grade}") from None


@dataclass(frozen=True)
class LoginSpec:
    username: str
    roles: tuple[str, ...]
    first_name: str = ""
    last_name: str = ""
    unit: str | None = None  # the person behind the login: unit code and position name
    position: str | None = None
    operator_unit: str | None = None


def _position(table: Mapping[str, Any]) -> PositionSpec:
    return PositionSpec(str(table["name"]), PositionKind(table["kind"]), int(table["grade"]))


@cache
def core_units() -> tuple[UnitSpec, ...]:
    """The city government's unit tree (units.csv) with its positions (positions.csv).

    In positions.csv, ``head`` is ``yes`` for a unit's head (position number 00), ``vacant``
    for a head position left unfilled on purpose, and empty for staff, numbered 01, 02… in
    the order of the file; a unit without a head row has no head position at all.
    """
    heads: dict[str, tuple[PositionSpec, bool]] = {}
    staff: dict[str, list[PositionSpec]] = {}
    with reading("positions.csv"):
        for row in read_csv("positions.csv"):
            position, head = _position(row), row["head"]
            if head not in ("", "yes", "vacant"):
                raise ValueError(f"head is empty, yes or vacant, not {head!r}")
            if head and row["unit"] in heads:
                raise ValueError(f"{row['unit']} has two heads")
            if head:
                heads[row["unit"]] = (position, head == "vacant")
            else:
                staff.setdefault(row["unit"], []).append(position)
    units = []
    with reading("units.csv"):
        for row in read_csv("units.csv"):
            head_spec, vacant = heads.pop(row["code"], (None, False))
            units.append(
                UnitSpec(
                    code=row["code"],
                    name=row["name"],
                    kind=UnitKind(row["kind"]),
                    parent=row["parent"] or None,
                    head=head_spec,
                    staff=tuple(staff.pop(row["code"], ())),
                    head_vacant=vacant,
                )
            )
        codes = [unit.code for unit in units]
        if len(set(codes)) != len(codes):
            raise ValueError("a unit code appears twice")
        if unknown := {u.parent for u in units if u.parent and u.parent not in codes}:
            raise ValueError(f"unknown parents {sorted(unknown)}")
    if unknown := set(heads) | set(staff):
        raise DataFileError(f"positions.csv: unknown units {sorted(unknown)}")
    return tuple(units)


@cache
def growth() -> Growth:
    """The templates of the repeated units (schools, clinics, villages) of a large demo."""
    with reading("growth.toml"):
        data = read_toml("growth.toml")
        return Growth(
            core_employees=int(data["core_employees"]),
            employees_per_unit=int(data["employees_per_unit"]),
            templates=tuple(
                GrowthTemplate(
                    parent=str(unit["parent"]),
                    prefix=str(unit["prefix"]),
                    name=str(unit["name"]),
                    kind=UnitKind(unit["kind"]),
                    head=_position(unit["head"]),
                    staff=tuple(_position(position) for position in unit["staff"]),
                )
                for unit in data["unit"]
            ),
        )


@cache
def names() -> Names:
    """The names and titles the seeded generator draws from (their order matters)."""
    with reading("names.toml"):
        data = read_toml("names.toml")
        return Names(
            first_male=as_strings(data["first_male"]),
            first_female=as_strings(data["first_female"]),
            last=as_strings(data["last"]),
            back_titles=as_strings(data["back_titles"]),
            front_titles={str(k): str(v) for k, v in data["front_titles"].items()},
        )


@cache
def ranks() -> Ranks:
    """The rank each position class implies, for PNS and for PPPK."""
    with reading("ranks.csv"):
        rows = read_csv("ranks.csv")
        return Ranks(
            pns={int(row["grade"]): row["pns"] for row in rows},
            pppk={int(row["grade"]): row["pppk"] for row in rows},
        )


@cache
def logins() -> tuple[LoginSpec, ...]:
    """The demo logins; a login either belongs to a person or carries its own name."""
    out = []
    with reading("logins.toml"):
        for login in read_toml("logins.toml")["login"]:
            spec = LoginSpec(
                username=str(login["username"]),
                roles=as_strings(login["roles"]),
                first_name=str(login.get("first_name", "")),
                last_name=str(login.get("last_name", "")),
                unit=as_optional_string(login.get("unit")),
                position=as_optional_string(login.get("position")),
                operator_unit=as_optional_string(login.get("operator_unit")),
            )
            if unknown := set(spec.roles) - set(roles.ALL_ROLES):
                raise ValueError(f"{spec.username}: unknown roles {sorted(unknown)}")
            if (spec.unit is None) != (spec.position is None):
                raise ValueError(f"{spec.username}: a person needs both unit and position")
            if spec.unit is None and not (spec.first_name and spec.last_name):
                raise ValueError(f"{spec.username}: first_name and last_name are needed")
            out.append(spec)
    return tuple(out)
