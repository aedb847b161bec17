"""Importing units: codes, the parent tree (parents before children), and the units the
importing person may manage."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update

from kinerja.domain.errors import N_
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.org import Unit
from kinerja.security.policies import units
from kinerja.security.policies.scope import Scope
from kinerja.services.imports.checks import (
    Progress,
    check_chain,
    chunks,
    ids,
    mark_duplicates,
)
from kinerja.services.imports.rows import Row

OUTSIDE = N_("Unit %(code)s is outside the units you manage.")


class UnitImport:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.existing = {
            r.code: (r.id, r.parent_id)
            for r in db.session.execute(select(Unit.code, Unit.id, Unit.parent_id))
        }
        self.code_of = {uid: code for code, (uid, _p) in self.existing.items()}
        self.placeable = ids(select(Unit.id).where(units.placeable(scope)))
        self.editable = ids(select(Unit.id).where(units.manage(scope)))

    def check(self, rows: list[Row]) -> None:
        mark_duplicates(rows, "kode")
        in_file = {row.values["kode"] for row in rows if row.values.get("kode")}
        for row in rows:
            self._check_row(row, in_file)
        check_chain(
            rows,
            "kode_induk",
            {code: self.code_of.get(p) if p else None for code, (_i, p) in self.existing.items()},
            N_("A unit cannot be placed below itself or one of its sub-units."),
        )

    def _check_row(self, row: Row, in_file: set[str]) -> None:
        code, parent = row.values.get("kode"), row.values.get("kode_induk")
        if code in self.existing and self.existing[code][0] not in self.editable:
            row.fail("kode", OUTSIDE, code=code)
        if not parent:
            if not self.scope.manages_all:
                row.fail("kode_induk", N_("Choose the unit this unit belongs to."))
        elif parent == code:
            row.fail("kode_induk", N_("A unit cannot be its own parent."))
        elif parent in self.existing:
            if self.existing[parent][0] not in self.placeable:
                row.fail("kode_induk", OUTSIDE, code=parent)
        elif parent not in in_file:
            row.fail("kode_induk", N_("Unknown unit code %(code)s."), code=parent)

    def apply(self, rows: list[Row], progress: Progress | None) -> tuple[int, int]:
        """Write every row without its parent, then link the parents: a file that is one
        deep chain takes a few batched statements, not one round trip per level."""
        now = utcnow()
        ids_by_code = {code: uid for code, (uid, _p) in self.existing.items()}
        new = [r for r in rows if r.values["kode"] not in ids_by_code]
        old = [r for r in rows if r.values["kode"] in ids_by_code]
        done = 0
        batches = [
            (insert(Unit), [{**self._values(r, now), "created_at": now} for r in new]),
            (
                update(Unit),
                [{"id": ids_by_code[r.values["kode"]], **self._values(r, now)} for r in old],
            ),
        ]
        for statement, values in batches:
            for chunk in chunks(values):
                db.session.execute(statement, chunk)
                done += len(chunk)
                if progress:
                    progress(done, len(rows))
        ids_by_code = dict(db.session.execute(select(Unit.code, Unit.id)).tuples().all())
        parents = [
            {
                "id": ids_by_code[r.values["kode"]],
                "parent_id": ids_by_code[r.values["kode_induk"]]
                if r.values["kode_induk"]
                else None,
            }
            for r in rows
        ]
        for chunk in chunks(parents):
            db.session.execute(update(Unit), chunk)
        return len(new), len(old)

    @staticmethod
    def _values(row: Row, now: Any) -> dict[str, Any]:
        v = row.values
        return {
            "code": v["kode"],
            "name": v["nama"],
            "kind": v["jenis"],
            "active": v["aktif"],
            "updated_at": now,
        }
