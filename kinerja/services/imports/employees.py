"""Importing employees: NIP (as printed or plain), unit and position, employment type and
rank, contact details; updates by NIP."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select

from kinerja.domain.contact import normalise_email
from kinerja.domain.errors import N_, DomainError
from kinerja.domain.nip import InvalidNip, parse_nip
from kinerja.domain.org import EmploymentType
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.org import Employee, Position, Rank, Unit
from kinerja.security.policies import employees, units
from kinerja.security.policies.scope import Scope
from kinerja.services.imports.checks import Progress, chunks, ids, mark_duplicates
from kinerja.services.imports.rows import Row, RowError


class EmployeeImport:
    def __init__(self, scope: Scope) -> None:
        self.units = dict(db.session.execute(select(Unit.code, Unit.id)).tuples().all())
        self.placeable = ids(select(Unit.id).where(units.placeable(scope)))
        self.positions = {
            r.code: (r.id, r.unit_id)
            for r in db.session.execute(select(Position.code, Position.id, Position.unit_id))
        }
        self.ranks = {
            r.code.lower(): (r.id, r.employment_type)
            for r in db.session.execute(select(Rank.code, Rank.id, Rank.employment_type))
        }
        self.existing = dict(db.session.execute(select(Employee.nip, Employee.id)).tuples().all())
        self.editable = ids(select(Employee.id).where(employees.manage(scope)))

    def check(self, rows: list[Row]) -> None:
        for row in rows:
            self._normalise_nip(row)
        mark_duplicates(rows, "nip")
        for row in rows:
            nip = row.values.get("nip")
            if nip in self.existing and self.existing[nip] not in self.editable:
                row.fail(
                    "nip",
                    N_("NIP %(nip)s belongs to an employee outside the units you manage."),
                    nip=nip,
                )
            self._check_position(row, self._check_unit(row))
            self._check_rank(row)
            self._check_email(row)

    @staticmethod
    def _normalise_nip(row: Row) -> None:
        """The NIP as stored (18 digits), whether it was typed plain or as printed."""
        if row.values.get("nip") and not row.failed("nip"):
            try:
                row.values["nip"] = parse_nip(row.values["nip"]).value
            except InvalidNip as exc:
                row.errors.append(RowError(row.number, "nip", exc))

    def _check_unit(self, row: Row) -> int | None:
        unit = row.values.get("kode_unit")
        unit_id = self.units.get(unit) if unit else None
        if unit and unit_id is None:
            row.fail("kode_unit", N_("Unknown unit code %(code)s."), code=unit)
        elif unit_id is not None and unit_id not in self.placeable:
            row.fail("kode_unit", N_("Unit %(code)s is outside the units you manage."), code=unit)
        return unit_id

    def _check_position(self, row: Row, unit_id: int | None) -> None:
        position = row.values.get("kode_jabatan")
        if not position:
            return
        found = self.positions.get(position)
        if found is None:
            row.fail("kode_jabatan", N_("Unknown position code %(code)s."), code=position)
        elif unit_id is not None and found[1] != unit_id:
            row.fail(
                "kode_jabatan", N_("Position %(code)s belongs to another unit."), code=position
            )

    def _check_rank(self, row: Row) -> None:
        v = row.values
        v["jenis_pegawai"] = v.get("jenis_pegawai") or EmploymentType.PNS
        rank = v.get("golongan")
        if not rank:
            return
        found = self.ranks.get(str(rank).lower())
        if found is None:
            row.fail("golongan", N_("Unknown rank %(code)s."), code=rank)
        elif found[1] != v["jenis_pegawai"]:
            row.fail("golongan", N_("This rank does not fit the employment type."))

    @staticmethod
    def _check_email(row: Row) -> None:
        """Checked and stored in normal form by the same rule as the employee form."""
        email = row.values.get("email")
        if not email:
            return
        try:
            row.values["email"] = normalise_email(email)
        except DomainError as exc:
            row.errors.append(RowError(row.number, "email", exc))

    def apply(self, rows: list[Row], progress: Progress | None) -> tuple[int, int]:
        now = utcnow()
        new = [r for r in rows if r.values["nip"] not in self.existing]
        old = [r for r in rows if r.values["nip"] in self.existing]
        batches = [
            (insert(Employee), [{**self._values(r, now), "created_at": now} for r in new]),
            (
                Employee.update_by_id(),
                [{"row_id": self.existing[r.values["nip"]], **self._values(r, now)} for r in old],
            ),
        ]
        done = 0
        for statement, values in batches:
            for chunk in chunks(values):
                db.session.execute(statement, chunk)
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
