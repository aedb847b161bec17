"""``flask kinerja bench import``: how long checking a large unit file takes.

The file is synthetic and built to be the hard case for chain checks: one chain of units
nearly as deep as the file is long, a branch under a row with an error (every row below it
fails as a dependent), and a three-unit loop. It is checked with mode CHECK against the
database, as an import job would (read, parse, check every row; nothing is written). The
baseline runs the chain checks as they were before issue 15 (a walk from every row, failed
rows searched for again on every pass) and the memoised ones on the same rows of a smaller
file, and makes sure they fail the same rows with the same messages.
"""

from __future__ import annotations

import copy
import json
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from flask import Flask

from kinerja.domain.errors import N_
from kinerja.security.policies.scope import SYSTEM
from kinerja.services.imports import ImportKind, ImportMode, Row, import_file
from kinerja.services.imports.checks import check_chain
from kinerja.services.imports.rows import parse_rows
from kinerja.services.spreadsheets import read_table

HEADER = "kode,nama,jenis,kode_induk,aktif"
LOOP = N_("A unit cannot be placed below itself or one of its sub-units.")
DEPENDENT = N_("Row %(row)s that defines %(code)s has errors.")


def chain_depth(rows: int) -> int:
    """How deep the main chain of a synthetic file of ``rows`` rows is (its root included)."""
    return rows - rows // 10 - 4


def synthetic_units(rows: int) -> Iterator[str]:
    """The lines of a unit file of ``rows`` rows (at least 10; header apart): a root, a
    chain below it, a bad unit (unknown kind) with a tenth of the rows chained below it,
    and a loop of three."""
    loop = ["BL1", "BL2", "BL3"]
    below_bad = rows // 10
    deep = chain_depth(rows) - 1
    yield HEADER
    yield "B0000000,Root,opd,,ya"
    for i in range(1, deep + 1):
        yield f"B{i:07d},Bidang {i},bidang,B{i - 1:07d},ya"
    yield "X0000000,Unit with an error,planet,B0000000,ya"
    for i in range(1, below_bad + 1):
        yield f"X{i:07d},Seksi {i},seksi,X{i - 1:07d},ya"
    for code, parent in zip(loop, loop[1:] + loop[:1], strict=True):
        yield f"{code},Loop {code},seksi,{parent},ya"


def naive_check_chain(
    rows: list[Row], reference: str, existing: dict[str, str | None], loop_message: str
) -> None:
    """The chain checks before issue 15, kept as the baseline: each row walks its whole
    chain, and failed rows are gathered again on every pass until nothing changes."""
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
    changed = True
    while changed:
        changed = False
        bad = {row.values.get("kode") for row in rows if not row.ok}
        for row in rows:
            target = row.values.get(reference)
            if row.ok and target and target in bad and target not in existing:
                number = next(r.number for r in rows if r.values.get("kode") == target)
                row.fail(reference, DEPENDENT, row=number, code=target)
                changed = True


def bench_import(app: Flask, rows: int, baseline_rows: int = 8000) -> list[str]:
    """Check a synthetic file of ``rows`` rows; compare both chain checks on
    ``baseline_rows`` rows (0: no baseline). The last line is the JSON summary."""
    with tempfile.TemporaryDirectory(prefix="kinerja-bench-") as folder:
        path = _write(Path(folder) / "units.csv", rows)
        with app.app_context():
            started = time.perf_counter()
            report = import_file(
                path, path.name, ImportKind.UNITS, ImportMode.CHECK, SYSTEM, max_rows=rows
            )
            seconds = time.perf_counter() - started
        if report.file_error is not None:
            raise RuntimeError(f"the synthetic file was refused: {report.file_error}")
        lines = [
            f"Import check (units, mode CHECK against the database): {rows:,} rows, "
            f"a chain {chain_depth(rows):,} deep, {rows // 10:,} rows below a failing row, "
            "a loop of 3",
            f"  read, parse and check: {seconds:.2f} s, {report.invalid_rows:,} rows with errors",
        ]
        if baseline_rows:
            lines += _baseline(_write(Path(folder) / "baseline.csv", baseline_rows), baseline_rows)
    lines.append(json.dumps({"bench": "import", "rows": rows, "check_seconds": round(seconds, 3)}))
    return lines


def _write(path: Path, rows: int) -> Path:
    path.write_text("\n".join(synthetic_units(rows)) + "\n", encoding="utf-8")
    return path


def _baseline(path: Path, rows: int) -> list[str]:
    header, raw = read_table(path, path.name)
    parsed = list(parse_rows(ImportKind.UNITS, header, raw, rows))
    timings: dict[str, float] = {}
    outcomes: dict[str, list[list[object]]] = {}
    for name, check in (("naive", naive_check_chain), ("memoised", check_chain)):
        copied = copy.deepcopy(parsed)
        started = time.perf_counter()
        check(copied, "kode_induk", {}, LOOP)
        timings[name] = time.perf_counter() - started
        outcomes[name] = [e.as_json() for row in copied for e in row.errors]
    if outcomes["naive"] != outcomes["memoised"]:
        raise RuntimeError("the memoised chain checks disagree with the baseline")
    naive, memoised = timings["naive"], timings["memoised"]
    return [
        f"Baseline at {rows:,} rows, chain and dependent checks only "
        f"(same {len(outcomes['naive']):,} errors):",
        f"  walk from every row, rescan per pass (before): {naive:8.3f} s",
        f"  memoised walk, rows indexed by code:           {memoised:8.3f} s"
        f"   {naive / max(memoised, 1e-9):,.0f}x faster",
    ]
