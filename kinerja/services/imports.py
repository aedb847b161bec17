"""Importing units, positions and employees from CSV or XLSX.

Every row is checked first and each problem is reported with its row and column. A file with
errors imports nothing, unless the person chooses to import only the valid rows (rows that
depend on an invalid row are then left out too). Re-importing updates rows by unit code,
position code and NIP instead of duplicating them. All changes commit in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import insert, select, update

from kinerja.domain.errors import N_, DomainError
from kinerja.domain.nip import InvalidNip, parse_nip
from kinerja.domain.org import EmploymentType, PositionKind, UnitKind
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.jobs import JobRun
from kinerja.models.org import Employee, Position, Rank, Unit
from kinerja.security.policies import employees, positions, units
from kinerja.security.policies.scope import Scope
from kinerja.services import outbox
from kinerja.services.boundary import transaction, use_case
from kinerja.services.roles import sync_supervisor_roles
from kinerja.services.spreadsheets import read_table

BATCH = 2000
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ImportKind(StrEnum):
    UNITS = "units"
    POSITIONS = "positions"
    EMPLOYEES = "employees"


class ImportMode(StrEnum):
    CHECK = "check"  # report only
    ALL_OR_NOTHING = "all"  # import when every row is valid
    VALID_ROWS = "valid"  # import the valid rows, skip the others


@dataclass(frozen=True)
class Column:
    name: str  # the header in our templates (Indonesian)
    description: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    example: str = ""


ACTIVE = Column("aktif", N_("ya/tidak; empty means ya."), False, ("active",), "ya")
UNIT_CODE = Column(
    "kode_unit",
    N_("Code of the unit (already in the system)."),
    True,
    ("unit_code", "unit"),
    "DINKES.P2P",
)

COLUMNS: dict[ImportKind, list[Column]] = {
    ImportKind.UNITS: [
        Column("kode", N_("Unique unit code."), True, ("code",), "DINKES.P2P"),
        Column(
            "nama", N_("Unit name."), True, ("name",), "Bidang Pencegahan dan Pengendalian Penyakit"
        ),
        Column("jenis", N_("Kind: %(choices)s."), True, ("kind",), "bidang"),
        Column(
            "kode_induk",
            N_(
                "Code of the parent unit (in the system or earlier in the file); empty for the top."
            ),
            False,
            ("parent_code", "parent"),
            "DINKES",
        ),
        ACTIVE,
    ],
    ImportKind.POSITIONS: [
        Column("kode", N_("Unique position code."), True, ("code",), "DINKES.P2P-00"),
        Column(
            "nama",
            N_("Position name."),
            True,
            ("name",),
            "Kepala Bidang Pencegahan dan Pengendalian Penyakit",
        ),
        Column("jenis", N_("Kind: %(choices)s."), True, ("kind",), "administrator"),
        UNIT_CODE,
        Column(
            "kode_atasan",
            N_("Code of the supervising position (in the system or in the file)."),
            False,
            ("supervisor_code", "supervisor"),
            "DINKES-00",
        ),
        Column("kelas", N_("Position class 1–17."), False, ("grade", "kelas_jabatan"), "11"),
        Column(
            "kepala_unit",
            N_("ya if the position heads its unit."),
            False,
            ("is_head", "head"),
            "ya",
        ),
        ACTIVE,
    ],
    ImportKind.EMPLOYEES: [
        Column(
            "nip",
            N_("18-digit NIP; format the column as text in spreadsheets."),
            True,
            ("NIP",),
            "198504122010031001",
        ),
        Column("nama", N_("Full name with titles."), True, ("name",), "dr. Siti Rahmawati, M.Kes."),
        UNIT_CODE,
        Column(
            "kode_jabatan",
            N_("Code of the position, which must belong to that unit."),
            False,
            ("position_code", "position"),
            "DINKES.P2P-00",
        ),
        Column(
            "jenis_pegawai", N_("pns or pppk; empty means pns."), False, ("employment_type",), "pns"
        ),
        Column(
            "golongan",
            N_("Rank code, e.g. III/a (PNS) or IX (PPPK)."),
            False,
            ("rank", "pangkat"),
            "III/d",
        ),
        Column("email", N_("Email address."), False, ("surel",), "siti@contoh.go.id"),
        Column("telepon", N_("Phone number."), False, ("phone", "hp"), "081234567890"),
        ACTIVE,
    ],
}
ENUM_OF = {
    (ImportKind.UNITS, "jenis"): UnitKind,
    (ImportKind.POSITIONS, "jenis"): PositionKind,
    (ImportKind.EMPLOYEES, "jenis_pegawai"): EmploymentType,
}
TRUE_WORDS = {"ya", "y", "yes", "true", "1", "aktif", "benar"}
FALSE_WORDS = {"tidak", "t", "no", "n", "false", "0", "nonaktif", "salah"}


@dataclass
class RowError:
    row: int
    column: str
    error: DomainError

    def as_json(self) -> list[Any]:
        return [self.row, self.column, self.error.template, self.error.params]


@dataclass
class ImportReport:
    kind: ImportKind
    mode: ImportMode
    rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    applied: bool = False
    errors: list[RowError] = field(default_factory=list)
    file_error: DomainError | None = None

    @property
    def invalid_rows(self) -> int:
        return len({e.row for e in self.errors})

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "mode": self.mode.value,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "applied": self.applied,
            "invalid_rows": self.invalid_rows,
            "errors": [e.as_json() for e in self.errors],
            "file_error": (
                [self.file_error.template, self.file_error.params] if self.file_error else None
            ),
            "summary": (
                f"{self.kind.value}: {self.rows} rows, {self.created} created, "
                f"{self.updated} updated, {self.invalid_rows} with errors"
            ),
        }


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    errors: list[RowError] = field(default_factory=list)

    def fail(self, column: str, template: str, **params: object) -> None:
        self.errors.append(RowError(self.number, column, DomainError(template, **params)))

    @property
    def ok(self) -> bool:
        return not self.errors


# --- reading and parsing ------------------------------------------------------------------


def _normalise_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", (name or "").strip().lower())


def _header_map(kind: ImportKind, header: list[str]) -> tuple[dict[int, str], list[str]]:
    """Column index → canonical name; and the required columns that are missing."""
    lookup: dict[str, str] = {}
    for column in COLUMNS[kind]:
        for alias in (column.name, *column.aliases):
            lookup[_normalise_header(alias)] = column.name
    mapping = {
        i: lookup[_normalise_header(h)]
        for i, h in enumerate(header)
        if _normalise_header(h) in lookup
    }
    missing = [c.name for c in COLUMNS[kind] if c.required and c.name not in mapping.values()]
    return mapping, missing


def _parse_enum(row: Row, column: str, enum_class: type[Enum], raw: Any) -> Any:
    text = str(raw or "").strip().lower()
    for member in enum_class:
        if text in (str(member.value).lower(), member.name.lower()):
            return member
    row.fail(
        column,
        N_("Unknown value %(value)s; allowed: %(choices)s."),
        value=raw,
        choices=", ".join(str(m.value) for m in enum_class),
    )
    return None


def _parse_bool(row: Row, column: str, raw: Any, default: bool) -> bool:
    text = str(raw if raw is not None else "").strip().lower()
    if text == "":
        return default
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    row.fail(column, N_("Write ya or tidak, not %(value)s."), value=raw)
    return default


def _text(raw: Any) -> str:
    from kinerja.services.spreadsheets import cell_text

    return cell_text(raw)


def _parse_rows(
    kind: ImportKind, header: list[str], rows: Iterable[tuple[int, list[Any]]], limit: int
) -> Iterator[Row]:
    mapping, _missing = _header_map(kind, header)
    for count, (number, values) in enumerate(rows, start=1):
        if count > limit:
            raise DomainError(N_("The file has more than %(max)d rows; split it."), max=limit)
        raw = {name: values[i] if i < len(values) else None for i, name in mapping.items()}
        row = Row(number, {})
        for column in COLUMNS[kind]:
            value = raw.get(column.name)
            enum_class = ENUM_OF.get((kind, column.name))
            if column.name == "nip" and isinstance(value, int | float):
                row.fail(
                    "nip",
                    N_(
                        "The NIP is stored as a number and may have lost digits;"
                        " format the column as text."
                    ),
                )
                value = _text(value)
            elif enum_class is not None:
                value = _parse_enum(row, column.name, enum_class, value) if _text(value) else None
            elif column.name in ("aktif", "kepala_unit"):
                value = _parse_bool(row, column.name, value, column.name == "aktif")
            else:
                value = _text(value)
            already_failed = any(e.column == column.name for e in row.errors)
            if column.required and value in (None, "") and not already_failed:
                row.fail(column.name, N_("This field is required."))
            row.values[column.name] = value
        yield row


# --- the import ---------------------------------------------------------------------------


def import_file(
    path: Path,
    filename: str,
    kind: ImportKind,
    mode: ImportMode,
    scope: Scope,
    *,
    max_rows: int = 200_000,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Check every row of the file, then import according to ``mode``."""
    report = ImportReport(kind=kind, mode=mode)
    try:
        header, raw_rows = read_table(path, filename)
        _mapping, missing = _header_map(kind, header)
        if missing:
            raise DomainError(
                N_("Required columns are missing: %(columns)s."), columns=", ".join(missing)
            )
        rows = list(_parse_rows(kind, header, raw_rows, max_rows))
    except DomainError as exc:
        report.file_error = exc
        return report
    report.rows = len(rows)
    checkers: dict[ImportKind, Callable[[Scope], _Checker]] = {
        ImportKind.UNITS: _UnitImport,
        ImportKind.POSITIONS: _PositionImport,
        ImportKind.EMPLOYEES: _EmployeeImport,
    }
    checker = checkers[kind](scope)
    checker.check(rows)
    report.errors = [e for row in rows for e in row.errors]
    valid = [row for row in rows if row.ok]
    report.skipped = len(rows) - len(valid)
    if (
        mode == ImportMode.CHECK
        or not valid
        or (mode == ImportMode.ALL_OR_NOTHING and report.errors)
    ):
        return report
    with transaction():
        report.created, report.updated = checker.apply(valid, progress)
        sync_supervisor_roles()
    report.applied = True
    return report


@use_case
def request_import(
    kind: ImportKind, stored_name: str, original_name: str, mode: ImportMode, scope: Scope
) -> JobRun:
    """Record the import of an uploaded file; the job runs it with the uploader's rights."""
    return outbox.schedule(
        "import_organisation_file",
        kind.value,
        stored_name,
        original_name,
        mode.value,
        scope.user_id,
    )


class _Checker(Protocol):
    def check(self, rows: list[Row]) -> None: ...

    def apply(
        self, rows: list[Row], progress: Callable[[int, int], None] | None
    ) -> tuple[int, int]: ...


def _mark_dependents(rows: list[Row], reference: str, key: str, exists: set[str]) -> None:
    """Rows referring to an invalid row of the file (not already in the system) fail too."""
    changed = True
    while changed:
        changed = False
        bad = {row.values.get(key) for row in rows if not row.ok}
        for row in rows:
            target = row.values.get(reference)
            if row.ok and target and target in bad and target not in exists:
                row.fail(
                    reference,
                    N_("Row %(row)s that defines %(code)s has errors."),
                    row=_row_of(rows, key, target),
                    code=target,
                )
                changed = True


def _row_of(rows: list[Row], key: str, value: str) -> int:
    return next(row.number for row in rows if row.values.get(key) == value)


def _mark_duplicates(rows: list[Row], key: str) -> None:
    first: dict[str, int] = {}
    for row in rows:
        value = row.values.get(key)
        if not value:
            continue
        if value in first:
            row.fail(
                key,
                N_("%(value)s appears again; first in row %(row)s."),
                value=value,
                row=first[value],
            )
        else:
            first[value] = row.number


def _check_chain(
    rows: list[Row], reference: str, existing: dict[str, str | None], loop_message: str
) -> None:
    """Rows refer to others by code (a parent unit, a supervising position): fail the rows
    whose chain, file rows over the system's, loops; then the rows that depend on a row of
    the file that failed (unless the system already has that code)."""
    links = dict(existing)
    links.update(
        {
            row.values["kode"]: row.values.get(reference) or None
            for row in rows
            if row.ok and row.values.get("kode")
        }
    )
    for row in rows:
        if not row.ok:
            continue
        seen = {row.values["kode"]}
        current = links.get(row.values["kode"])
        while current is not None:
            if current in seen:
                row.fail(reference, loop_message)
                break
            seen.add(current)
            current = links.get(current)
    _mark_dependents(rows, reference, "kode", set(existing))


def _ids(query: Any) -> set[int]:
    return set(db.session.scalars(query))


class _UnitImport:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.existing = {
            r.code: (r.id, r.parent_id)
            for r in db.session.execute(select(Unit.code, Unit.id, Unit.parent_id))
        }
        self.code_of = {uid: code for code, (uid, _p) in self.existing.items()}
        self.placeable = _ids(select(Unit.id).where(units.placeable(scope)))
        self.editable = _ids(select(Unit.id).where(units.manage(scope)))

    def check(self, rows: list[Row]) -> None:
        _mark_duplicates(rows, "kode")
        in_file = {row.values["kode"] for row in rows if row.values.get("kode")}
        for row in rows:
            code, parent = row.values.get("kode"), row.values.get("kode_induk")
            if code in self.existing and self.existing[code][0] not in self.editable:
                row.fail("kode", N_("Unit %(code)s is outside the units you manage."), code=code)
            if not parent:
                if not self.scope.manages_all:
                    row.fail("kode_induk", N_("Choose the unit this unit belongs to."))
            elif parent == code:
                row.fail("kode_induk", N_("A unit cannot be its own parent."))
            elif parent in self.existing:
                if self.existing[parent][0] not in self.placeable:
                    row.fail(
                        "kode_induk",
                        N_("Unit %(code)s is outside the units you manage."),
                        code=parent,
                    )
            elif parent not in in_file:
                row.fail("kode_induk", N_("Unknown unit code %(code)s."), code=parent)
        _check_chain(
            rows,
            "kode_induk",
            {code: self.code_of.get(p) if p else None for code, (_i, p) in self.existing.items()},
            N_("A unit cannot be placed below itself or one of its sub-units."),
        )

    def apply(
        self, rows: list[Row], progress: Callable[[int, int], None] | None
    ) -> tuple[int, int]:
        ids = {code: uid for code, (uid, _p) in self.existing.items()}
        pending, created, updated, now = list(rows), 0, 0, utcnow()
        while pending:  # parents before children
            waiting = {r.values["kode"] for r in pending}
            ready = [
                r
                for r in pending
                if not r.values["kode_induk"]
                or (r.values["kode_induk"] in ids and r.values["kode_induk"] not in waiting)
            ]
            if not ready:  # pragma: no cover - cycles were refused in check()
                raise RuntimeError("unit rows could not be ordered")
            new = [r for r in ready if r.values["kode"] not in ids]
            old = [r for r in ready if r.values["kode"] in ids]
            values = [self._values(r, ids, now) for r in new]
            for chunk in _chunks(values):
                db.session.execute(insert(Unit), [{**v, "created_at": now} for v in chunk])
            for chunk in _chunks(
                [{"id": ids[r.values["kode"]], **self._values(r, ids, now)} for r in old]
            ):
                db.session.execute(update(Unit), chunk)
            created, updated = created + len(new), updated + len(old)
            ids.update(
                dict(
                    db.session.execute(
                        select(Unit.code, Unit.id).where(
                            Unit.code.in_([r.values["kode"] for r in new])
                        )
                    )
                    .tuples()
                    .all()
                )
            )
            done = {id(r) for r in ready}
            pending = [r for r in pending if id(r) not in done]
            if progress:
                progress(created + updated, len(rows))
        return created, updated

    @staticmethod
    def _values(row: Row, ids: dict[str, int], now: Any) -> dict[str, Any]:
        v = row.values
        return {
            "code": v["kode"],
            "name": v["nama"],
            "kind": v["jenis"],
            "parent_id": ids[v["kode_induk"]] if v["kode_induk"] else None,
            "active": v["aktif"],
            "updated_at": now,
        }


class _PositionImport:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.units = dict(db.session.execute(select(Unit.code, Unit.id)).tuples().all())
        self.placeable = _ids(select(Unit.id).where(units.placeable(scope)))
        self.existing = {
            r.code: r
            for r in db.session.execute(
                select(
                    Position.code,
                    Position.id,
                    Position.unit_id,
                    Position.supervisor_id,
                    Position.is_head,
                    Position.active,
                )
            )
        }
        self.code_of = {r.id: code for code, r in self.existing.items()}
        self.editable = _ids(select(Position.id).where(positions.manage(scope)))
        self.supervisors = _ids(select(Position.id).where(positions.supervisor_choices(scope)))

    def check(self, rows: list[Row]) -> None:
        _mark_duplicates(rows, "kode")
        in_file = {row.values["kode"] for row in rows if row.values.get("kode")}
        heads: dict[int, str] = {
            r.unit_id: code
            for code, r in self.existing.items()
            if r.is_head and r.active and code not in in_file
        }
        for row in rows:
            v = row.values
            code, unit, boss = v.get("kode"), v.get("kode_unit"), v.get("kode_atasan")
            if code in self.existing and self.existing[code].id not in self.editable:
                row.fail(
                    "kode", N_("Position %(code)s is outside the units you manage."), code=code
                )
            unit_id = self.units.get(unit) if unit else None
            if unit and unit_id is None:
                row.fail("kode_unit", N_("Unknown unit code %(code)s."), code=unit)
            elif unit_id is not None and unit_id not in self.placeable:
                row.fail(
                    "kode_unit", N_("Unit %(code)s is outside the units you manage."), code=unit
                )
            if boss:
                if boss == code:
                    row.fail("kode_atasan", N_("A position cannot supervise itself."))
                elif boss in self.existing:
                    if self.existing[boss].id not in self.supervisors:
                        row.fail(
                            "kode_atasan",
                            N_("Position %(code)s is outside the units you manage."),
                            code=boss,
                        )
                elif boss not in in_file:
                    row.fail("kode_atasan", N_("Unknown position code %(code)s."), code=boss)
            grade = v.get("kelas")
            if grade:
                if not str(grade).isdigit() or not 1 <= int(grade) <= 17:
                    row.fail("kelas", N_("The position class must be between 1 and 17."))
                else:
                    v["kelas"] = int(grade)
            else:
                v["kelas"] = None
            if unit_id is not None and v.get("kepala_unit") and v.get("aktif"):
                if unit_id in heads and heads[unit_id] != code:
                    row.fail(
                        "kepala_unit",
                        N_("Unit %(unit)s already has a head position (%(code)s)."),
                        unit=unit,
                        code=heads[unit_id],
                    )
                else:
                    heads[unit_id] = str(code)
        _check_chain(
            rows,
            "kode_atasan",
            {
                code: self.code_of.get(r.supervisor_id) if r.supervisor_id else None
                for code, r in self.existing.items()
            },
            N_("A position cannot be supervised by itself or by one it supervises."),
        )

    def apply(
        self, rows: list[Row], progress: Callable[[int, int], None] | None
    ) -> tuple[int, int]:
        now = utcnow()
        ids = {code: r.id for code, r in self.existing.items()}
        new = [r for r in rows if r.values["kode"] not in ids]
        old = [r for r in rows if r.values["kode"] in ids]
        for chunk in _chunks([{**self._values(r, now), "created_at": now} for r in new]):
            db.session.execute(insert(Position), chunk)
        for chunk in _chunks([{"id": ids[r.values["kode"]], **self._values(r, now)} for r in old]):
            db.session.execute(update(Position), chunk)
        ids = dict(db.session.execute(select(Position.code, Position.id)).tuples().all())
        links = [
            {
                "id": ids[r.values["kode"]],
                "supervisor_id": ids[r.values["kode_atasan"]] if r.values["kode_atasan"] else None,
            }
            for r in rows
        ]
        for chunk in _chunks(links):
            db.session.execute(update(Position), chunk)
        if progress:
            progress(len(rows), len(rows))
        return len(new), len(old)

    def _values(self, row: Row, now: Any) -> dict[str, Any]:
        v = row.values
        return {
            "code": v["kode"],
            "name": v["nama"],
            "kind": v["jenis"],
            "unit_id": self.units[v["kode_unit"]],
            "grade": v["kelas"],
            "is_head": v["kepala_unit"],
            "active": v["aktif"],
            "updated_at": now,
        }


class _EmployeeImport:
    def __init__(self, scope: Scope) -> None:
        self.units = dict(db.session.execute(select(Unit.code, Unit.id)).tuples().all())
        self.placeable = _ids(select(Unit.id).where(units.placeable(scope)))
        self.positions = {
            r.code: (r.id, r.unit_id)
            for r in db.session.execute(select(Position.code, Position.id, Position.unit_id))
        }
        self.ranks = {
            r.code.lower(): (r.id, r.employment_type)
            for r in db.session.execute(select(Rank.code, Rank.id, Rank.employment_type))
        }
        self.existing = dict(db.session.execute(select(Employee.nip, Employee.id)).tuples().all())
        self.editable = _ids(select(Employee.id).where(employees.manage(scope)))

    def check(self, rows: list[Row]) -> None:
        for row in rows:
            v = row.values
            if v.get("nip") and not any(e.column == "nip" for e in row.errors):
                try:
                    v["nip"] = parse_nip(v["nip"]).value
                except InvalidNip as exc:
                    row.errors.append(RowError(row.number, "nip", exc))
        _mark_duplicates(rows, "nip")
        for row in rows:
            v = row.values
            nip = v.get("nip")
            if nip in self.existing and self.existing[nip] not in self.editable:
                row.fail(
                    "nip",
                    N_("NIP %(nip)s belongs to an employee outside the units you manage."),
                    nip=nip,
                )
            unit = v.get("kode_unit")
            unit_id = self.units.get(unit) if unit else None
            if unit and unit_id is None:
                row.fail("kode_unit", N_("Unknown unit code %(code)s."), code=unit)
            elif unit_id is not None and unit_id not in self.placeable:
                row.fail(
                    "kode_unit", N_("Unit %(code)s is outside the units you manage."), code=unit
                )
            position = v.get("kode_jabatan")
            if position:
                found = self.positions.get(position)
                if found is None:
                    row.fail("kode_jabatan", N_("Unknown position code %(code)s."), code=position)
                elif unit_id is not None and found[1] != unit_id:
                    row.fail(
                        "kode_jabatan",
                        N_("Position %(code)s belongs to another unit."),
                        code=position,
                    )
            v["jenis_pegawai"] = v.get("jenis_pegawai") or EmploymentType.PNS
            rank = v.get("golongan")
            if rank:
                found_rank = self.ranks.get(str(rank).lower())
                if found_rank is None:
                    row.fail("golongan", N_("Unknown rank %(code)s."), code=rank)
                elif found_rank[1] != v["jenis_pegawai"]:
                    row.fail("golongan", N_("This rank does not fit the employment type."))
            email = v.get("email")
            if email and not EMAIL.match(email):
                row.fail("email", N_("Not a valid email address."))

    def apply(
        self, rows: list[Row], progress: Callable[[int, int], None] | None
    ) -> tuple[int, int]:
        now = utcnow()
        new = [r for r in rows if r.values["nip"] not in self.existing]
        old = [r for r in rows if r.values["nip"] in self.existing]
        done = 0
        for chunk in _chunks([{**self._values(r, now), "created_at": now} for r in new]):
            db.session.execute(insert(Employee), chunk)
            done += len(chunk)
            if progress:
                progress(done, len(rows))
        for chunk in _chunks(
            [{"id": self.existing[r.values["nip"]], **self._values(r, now)} for r in old]
        ):
            db.session.execute(update(Employee), chunk)
            done += len(chunk)
            if progress:
                progress(done, len(rows))
        return len(new), len(old)

    def _values(self, row: Row, now: Any) -> dict[str, Any]:
        v = row.values
        rank = self.ranks.get(str(v.get("golongan") or "").lower())
        return {
            "nip": v["nip"],
            "name": v["nama"],
            "unit_id": self.units[v["kode_unit"]],
            "position_id": self.positions[v["kode_jabatan"]][0] if v.get("kode_jabatan") else None,
            "employment_type": v["jenis_pegawai"],
            "rank_id": rank[0] if rank else None,
            "email": v.get("email") or None,
            "phone": v.get("telepon") or None,
            "active": v["aktif"],
            "updated_at": now,
        }


def _chunks(rows: list[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def template_rows(kind: ImportKind) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """Header, one example row, and the notes (column, description) of a template."""
    columns = COLUMNS[kind]
    header = [c.name for c in columns]
    example = [c.example for c in columns]
    return header, [example], [[c.name, c.description] for c in columns]


def choices_for(kind: ImportKind, column: str) -> str:
    enum_class = ENUM_OF.get((kind, column))
    return ", ".join(str(m.value) for m in enum_class) if enum_class else ""
