"""Files the back office hands out: CSV exports run no formulas."""

from __future__ import annotations

import csv
import io

from kinerja.extensions import db
from kinerja.models.reports import Activity
from kinerja.services.reports.activities import today
from tests.factories import Org, Reporting, login, make_employee

EVIL = '=HYPERLINK("http://evil.example","x")'


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def _cells(rows: list[list[str]]) -> set[str]:
    return {cell for row in rows for cell in row}


def test_an_activity_exported_as_csv_carries_no_live_formula(
    client, org: Org, reporting: Reporting
) -> None:
    db.session.add(
        Activity(employee=org.employees.epid1, day=today(), description=EVIL, duration_minutes=30)
    )
    db.session.commit()
    login(client, "employee")

    cells = _cells(_rows(client.get("/activities/export/")))

    assert "'" + EVIL in cells
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells)


def test_an_employee_exported_as_csv_carries_no_live_formula(client, org: Org) -> None:
    make_employee("+cmd", org.positions.penguji, phone="+6281234567890")
    db.session.commit()
    login(client, "admin")

    cells = _cells(_rows(client.get("/employees/export/")))

    assert "'+cmd" in cells
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells)
