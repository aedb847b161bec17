"""Files we write for spreadsheet programs never carry a live formula."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from kinerja.services.spreadsheets import inert, write_csv, write_xlsx

EVIL = '=HYPERLINK("http://evil.example","x")'


@pytest.mark.parametrize(
    ("given", "written"),
    [
        (EVIL, "'" + EVIL),
        ("+cmd", "'+cmd"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("+6281234567890", "'+6281234567890"),  # a phone number stays as typed
        ("-", "'-"),
        ("-12", "-12"),  # negative numbers stay numbers
        ("-1.234,5", "-1.234,5"),
        ("-0.75", "-0.75"),
        ("-12 hari", "'-12 hari"),
        ("Rapat = koordinasi", "Rapat = koordinasi"),
        ("2026-01-05", "2026-01-05"),
        ("", ""),
        (-12, -12),
        (3.5, 3.5),
        (None, None),
    ],
)
def test_cells_that_would_start_a_formula_are_quoted(given: object, written: object) -> None:
    assert inert(given) == written


def test_csv_files_quote_formulas_in_every_cell_header_included() -> None:
    body = write_csv(["=Row", "Problem"], [[2, EVIL], [-3, "-4"]]).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(body))) == [
        ["'=Row", "Problem"],
        ["2", "'" + EVIL],
        ["-3", "-4"],
    ]


def test_xlsx_files_store_formula_like_text_as_text() -> None:
    body = write_xlsx(["kode", "nama"], [["=1+1", EVIL]], notes=[["@kolom", "+arti"]])
    workbook = load_workbook(io.BytesIO(body))
    data, notes = workbook.worksheets
    assert [(c.value, c.data_type) for c in data[2]] == [("=1+1", "s"), (EVIL, "s")]
    assert [c.data_type for c in notes[1]] == ["s", "s"]
