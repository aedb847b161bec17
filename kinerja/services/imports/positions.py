"""Importing positions: codes, units, the supervision chain (supervisors may come later in
the file), class and the one head position per unit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update

from kinerja.domain.errors import N_
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.org import Position, Unit
from kinerja.security.policies import positions, units
from kinerja.security.policies.scope import Scope
from kinerja.services.imports.checks import (
    Progress,
    check_chain,
    chunks,
    ids,
    mark_duplicates,
)
from kinerja.services.imports.rows import Row

OUTSIDE = N_("Position %(code)s is outside the units you manage.")


class PositionImport:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.units = dict(db.session.execute(select(Unit.code, Unit.id)).tuples().all())
        self.placeable = ids(select(Unit.id).where(units.placeable(scope)))
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
        self.editable = ids(select(Position.id).where(positions.manage(scope)))
        self.supervisors = ids(select(Position.id).where(positions.supervisor_choices(scope)))

    def check(self, rows: list[Row]) -> None:
        mark_duplicates(rows, "kode")
        in_file = {row.values["kode"] for row in rows if row.values.get("kode")}
        heads: dict[int, str] = {
            r.unit_id: code
            for code, r in self.existing.items()
            if r.is_head and r.active and code not in in_file
        }
        for row in rows:
            unit_id = self._check_place(row)
            self._check_supervisor(row, in_file)
            self._check_grade(row)
            self._check_head(row, unit_id, heads)
        check_chain(
            rows,
            "kode_atasan",
            {
                code: self.code_of.get(r.supervisor_id) if r.supervisor_id else None
                for code, r in self.existing.items()
            },
            N_("A position cannot be supervised by itself or by one it supervises."),
        )

    def _check_place(self, row: Row) -> int | None:
        code, unit = row.values.get("kode"), row.values.get("kode_unit")
        if code in self.existing and self.existing[code].id not in self.editable:
            row.fail("kode", OUTSIDE, code=code)
        unit_id = self.units.get(unit) if unit else None
        if unit and unit_id is None:
            row.fail("kode_unit", N_("Unknown unit code %(code)s."), code=unit)
        elif unit_id is not None and unit_id not in self.placeable:
            row.fail("kode_unit", N_("Unit %(code)s is outside the units you manage."), code=unit)
        return unit_id

    def _check_supervisor(self, row: Row, in_file: set[str]) -> None:
        code, boss = row.values.get("kode"), row.values.get("kode_atasan")
        if not boss:
            return
        if boss == code:
            row.fail("kode_atasan", N_("A position cannot supervise itself."))
        elif boss in self.existing:
            if self.existing[boss].id not in self.supervisors:
                row.fail("kode_atasan", OUTSIDE, code=boss)
        elif boss not in in_file:
            row.fail("kode_atasan", N_("Unknown position code %(code)s."), code=boss)

    @staticmethod
    def _check_grade(row: Row) -> None:
        grade = row.values.get("kelas")
        if not grade:
            row.values["kelas"] = None
        elif not str(grade).isdigit() or not 1 <= int(grade) <= 17:
            row.fail("kelas", N_("The position class must be between 1 and 17."))
        else:
            row.values["kelas"] = int(grade)

    @staticmethod
    def _check_head(row: Row, unit_id: int | None, heads: dict[int, str]) -> None:
        v = row.values
        if unit_id is None or not v.get("kepala_unit") or not v.get("aktif"):
            return
        if unit_id in heads and heads[unit_id] != v.get("kode"):
            row.fail(
                "kepala_unit",
                N_("Unit %(unit)s already has a head position (%(code)s)."),
                unit=v.get("kode_unit"),
                code=heads[unit_id],
            )
        else:
            heads[unit_id] = str(v.get("kode"))

    def apply(self, rows: list[Row], progress: Progress | None) -> tuple[int, int]:
        now = utcnow()
        ids_by_code = {code: r.id for code, r in self.existing.items()}
        new = [r for r in rows if r.values["kode"] not in ids_by_code]
        old = [r for r in rows if r.values["kode"] in ids_by_code]
        for chunk in chunks([{**self._values(r, now), "created_at": now} for r in new]):
            db.session.execute(insert(Position), chunk)
        for chunk in chunks(
            [{"id": ids_by_code[r.values["kode"]], **self._values(r, now)} for r in old]
        ):
            db.session.execute(update(Position), chunk)
        ids_by_code = dict(db.session.execute(select(Position.code, Position.id)).tuples().all())
        links = [
            {
                "id": ids_by_code[r.values["kode"]],
                "supervisor_id": ids_by_code[r.values["kode_atasan"]]
                if r.values["kode_atasan"]
                else None,
            }
            for r in rows
        ]
        for chunk in chunks(links):
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
