"""Importing competency assessments (an assessment centre's results, a round of supervisor
assessments): NIP, competency code, level, date and source per row; re-importing updates
the level of the same employee, competency, date and source instead of adding a second
assessment."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select, update

from kinerja.domain.competency import MAX_LEVEL, MIN_LEVEL, AssessmentSource
from kinerja.domain.errors import N_
from kinerja.domain.nip import InvalidNip, parse_nip
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.competency import Assessment, Competency
from kinerja.models.org import Employee
from kinerja.security.policies import assessments
from kinerja.security.policies.scope import Scope
from kinerja.services.imports.checks import Progress, chunks, ids
from kinerja.services.imports.rows import Row, RowError

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%dT%H:%M:%S")
Key = tuple[int, int, date, str]


class AssessmentImport:
    def __init__(self, scope: Scope) -> None:
        self.employees = dict(db.session.execute(select(Employee.nip, Employee.id)).tuples().all())
        self.assessable = ids(select(Employee.id).where(assessments.assessable_employees(scope)))
        self.competencies = dict(
            db.session.execute(select(Competency.code, Competency.id)).tuples().all()
        )
        self.today = date.today()

    def check(self, rows: list[Row]) -> None:
        first: dict[Key, int] = {}
        for row in rows:
            employee_id = self._check_employee(row)
            competency_id = self._check_competency(row)
            self._check_level(row)
            on = self._check_date(row)
            source = row.values.get("sumber")
            if employee_id is None or competency_id is None or on is None or source is None:
                continue
            key: Key = (employee_id, competency_id, on, source.value)
            if key in first:
                row.fail(
                    "kode_kompetensi",
                    N_("This assessment appears again; first in row %(row)s."),
                    row=first[key],
                )
            else:
                first[key] = row.number
                row.values["key"] = key

    def _check_employee(self, row: Row) -> int | None:
        nip = row.values.get("nip")
        if not nip or row.failed("nip"):
            return None
        try:
            nip = row.values["nip"] = parse_nip(nip).value
        except InvalidNip as exc:
            row.errors.append(RowError(row.number, "nip", exc))
            return None
        employee_id = self.employees.get(nip)
        if employee_id is None or employee_id not in self.assessable:
            # the same answer whether the NIP is unknown or out of reach: no probing
            row.fail("nip", N_("No employee with NIP %(nip)s in the units you manage."), nip=nip)
            return None
        return employee_id

    def _check_competency(self, row: Row) -> int | None:
        code = (row.values.get("kode_kompetensi") or "").upper()
        if not code:
            return None
        competency_id = self.competencies.get(code)
        if competency_id is None:
            row.fail("kode_kompetensi", N_("Unknown competency code %(code)s."), code=code)
        return competency_id

    @staticmethod
    def _check_level(row: Row) -> None:
        level = row.values.get("level")
        if not level:
            return
        if not str(level).isdigit() or not MIN_LEVEL <= int(level) <= MAX_LEVEL:
            row.fail("level", N_("A level is a whole number from 1 to 5."))
        else:
            row.values["level"] = int(level)

    def _check_date(self, row: Row) -> date | None:
        text = row.values.get("tanggal_penilaian")
        if not text:
            return None
        for pattern in DATE_FORMATS:
            try:
                on = datetime.strptime(str(text), pattern).date()
            except ValueError:
                continue
            if on > self.today:
                row.fail("tanggal_penilaian", N_("An assessment cannot be dated in the future."))
                return None
            return on
        row.fail(
            "tanggal_penilaian",
            N_("%(value)s is not a date; write YYYY-MM-DD or DD/MM/YYYY."),
            value=text,
        )
        return None

    def apply(self, rows: list[Row], progress: Progress | None) -> tuple[int, int]:
        keys: list[Key] = [row.values["key"] for row in rows]
        people = {key[0] for key in keys}
        existing: dict[Key, int] = {
            (r.employee_id, r.competency_id, r.assessed_on, AssessmentSource(r.source).value): r.id
            for r in db.session.execute(
                select(
                    Assessment.id,
                    Assessment.employee_id,
                    Assessment.competency_id,
                    Assessment.assessed_on,
                    Assessment.source,
                ).where(Assessment.employee_id.in_(people))
            )
        }
        now = utcnow()
        new: list[dict[str, Any]] = []
        old: list[dict[str, Any]] = []
        for row, key in zip(rows, keys, strict=True):
            if key in existing:
                old.append({"id": existing[key], "level": row.values["level"], "updated_at": now})
                continue
            employee_id, competency_id, on, _source = key
            new.append(
                {
                    "employee_id": employee_id,
                    "competency_id": competency_id,
                    "level": row.values["level"],
                    "assessed_on": on,
                    "source": row.values["sumber"],
                    "created_at": now,
                    "updated_at": now,
                }
            )
        for chunk in chunks(new):
            db.session.execute(insert(Assessment), chunk)
        for chunk in chunks(old):
            db.session.execute(update(Assessment), chunk)
        if progress:
            progress(len(rows), len(rows))
        return len(new), len(old)
