"""Chains of codes in import files (parent units, supervising positions): the same verdicts
as before, each link followed once, and a deep chain imported in a few statements."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select

from kinerja.bench.imports import LOOP, naive_check_chain
from kinerja.extensions import db
from kinerja.models.org import Unit
from kinerja.security.policies import SYSTEM
from kinerja.services.imports import ImportKind, ImportMode, Row, import_file
from kinerja.services.imports.checks import check_chain, codes_reaching_a_loop, mark_dependents
from tests.factories import Org


class CountingDict(dict[str, Any]):
    """A dict that counts its lookups: how often an algorithm visits it."""

    lookups = 0

    def get(self, key: str, default: Any = None) -> Any:
        CountingDict.lookups += 1
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        CountingDict.lookups += 1
        return super().__getitem__(key)


def _chain(rows: int, failing_top: bool = False) -> list[Row]:
    """Rows C0 ← C1 ← … (each the parent of the next), in file order, parents first."""
    chain = [
        Row(n + 2, CountingDict(kode=f"C{n}", kode_induk=f"C{n - 1}" if n else None))
        for n in range(rows)
    ]
    if failing_top:
        chain[0].fail("nama", "This field is required.")
    return chain


def _visits(check: Any, rows: list[Row]) -> int:
    CountingDict.lookups = 0
    check(rows)
    return CountingDict.lookups


def _verdicts(rows: list[Row]) -> list[list[Any]]:
    return [e.as_json() for row in rows for e in row.errors]


files = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", "C", "D", "E", "F", "G", ""]),
        st.sampled_from(["A", "B", "C", "D", "E", "F", "G", "Z", ""]),
        st.booleans(),
    ),
    max_size=12,
)
systems = st.dictionaries(
    st.sampled_from(["A", "B", "C", "Z", "Y"]), st.sampled_from(["A", "B", "C", "Z", "Y", None])
)


@settings(max_examples=300, deadline=None)
@given(file=files, existing=systems)
def test_chain_checks_fail_the_same_rows_with_the_same_messages_as_before(
    file: list[tuple[str, str, bool]], existing: dict[str, str | None]
) -> None:
    rows = []
    for number, (code, parent, broken) in enumerate(file, start=2):
        row = Row(number, {"kode": code, "kode_induk": parent or None})
        if broken or not code:
            row.fail("nama", "This field is required.")
        rows.append(row)
    before, after = copy.deepcopy(rows), copy.deepcopy(rows)

    naive_check_chain(before, "kode_induk", existing, LOOP)
    check_chain(after, "kode_induk", existing, LOOP)

    assert _verdicts(after) == _verdicts(before)


def test_a_loop_fails_every_row_whose_chain_reaches_it() -> None:
    links = {"A": "B", "B": "C", "C": "B", "D": "A", "E": None, "F": "E", "G": "UNKNOWN"}
    assert codes_reaching_a_loop(links, links) == {"A", "B", "C", "D"}


def test_a_deep_chain_is_walked_once_not_once_per_row() -> None:
    def walks(rows: int) -> int:
        links = CountingDict({f"C{n}": f"C{n - 1}" if n else None for n in range(rows)})
        CountingDict.lookups = 0
        assert codes_reaching_a_loop(links, list(links)) == set()
        return CountingDict.lookups

    assert walks(1000) <= 1000
    assert walks(4000) <= 4000  # walking from every row: 4000 × 4001 / 2


def test_rows_below_a_failed_row_are_found_in_one_pass_over_the_file() -> None:
    def visits(rows: int) -> int:
        chain = _chain(rows, failing_top=True)
        count = _visits(lambda r: mark_dependents(r, "kode_induk", "kode", set()), chain)
        assert all(not row.ok for row in chain)
        assert chain[-1].errors[0].error.params == {"row": rows, "code": f"C{rows - 2}"}
        return count

    assert visits(1000) <= 5 * 1000
    assert visits(4000) <= 5 * 4000  # a pass per level: 4000 passes over 4000 rows


def test_a_deep_chain_of_units_is_imported_in_a_few_statements(tmp_path: Path, org: Org) -> None:
    depth = 3000
    path = tmp_path / "chain.csv"
    lines = ["kode,nama,jenis,kode_induk"]
    lines += [f"C{n},Unit {n},seksi,{f'C{n - 1}' if n else 'DINKES'}" for n in range(depth)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    statements = []
    listener = lambda *args, **kwargs: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        report = import_file(path, path.name, ImportKind.UNITS, ImportMode.ALL_OR_NOTHING, SYSTEM)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)

    assert (report.applied, report.created, report.errors) == (True, depth, [])
    assert len(statements) < 40  # one round trip per level before: over 6000
    parents = dict(db.session.execute(select(Unit.code, Unit.parent_id)).tuples().all())
    ids = dict(db.session.execute(select(Unit.code, Unit.id)).tuples().all())
    assert parents["C0"] == org.units.dinkes.id
    assert all(parents[f"C{n}"] == ids[f"C{n - 1}"] for n in range(1, depth))
