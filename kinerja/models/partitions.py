"""The partitions of ``realization`` on PostgreSQL, by period (the DDL, shared by the
migration that partitions the table and by :mod:`kinerja.services.partitions`).

``realization`` is ``PARTITION BY LIST (period_id)``: one partition per period
(``realization_p<period id>``) and a default partition (``realization_default``) that takes
the rows of a period not yet given its own. A year's rows then live in one table of their
own: its indexes stay small, it is vacuumed and backed up on its own, and a closed year is
archived by detaching it (``ALTER TABLE realization DETACH PARTITION realization_p7``, then
``pg_dump -t realization_p7`` and ``DROP TABLE``) instead of deleting millions of rows.

The change feed's triggers are statement-level triggers of the parent table: rows moved
from the default partition into a period's own are not changes and are not recorded.
"""

# The DDL is written from integer period ids and constant names, never from input.
# ruff: noqa: S608

from __future__ import annotations

import re

TABLE = "realization"
DEFAULT_PARTITION = f"{TABLE}_default"
PARTITION_NAME = re.compile(rf"^{TABLE}_(default|p\d+)$")

# realization's columns, in the table's order
COLUMNS = "id, report_id, indicator_id, value, note, created_at, updated_at, period_id"


def partition_name(period_id: int) -> str:
    return f"{TABLE}_p{int(period_id)}"


def is_partition(table_name: str | None) -> bool:
    """Whether ``table_name`` is one of realization's partitions (not declared as a model:
    the migrations' comparison with the models leaves them out)."""
    return bool(PARTITION_NAME.match(table_name or ""))


def new_partition(period_id: int, parent: str = TABLE) -> str:
    """A period's own partition of a table still empty (as the migration makes them)."""
    return (
        f"CREATE TABLE {partition_name(period_id)} PARTITION OF {parent} "
        f"FOR VALUES IN ({int(period_id)})"
    )


def partition_moving_rows(period_id: int) -> list[str]:
    """A period's own partition, its rows moved out of the default partition first (a
    partition cannot be attached while the default holds rows it would take)."""
    name, key = partition_name(period_id), int(period_id)
    return [
        f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)",
        f"INSERT INTO {name} ({COLUMNS}) SELECT {COLUMNS} FROM {DEFAULT_PARTITION} "
        f"WHERE period_id = {key}",
        f"DELETE FROM {DEFAULT_PARTITION} WHERE period_id = {key}",
        f"ALTER TABLE {name} ADD CONSTRAINT {name}_period CHECK (period_id = {key})",
        f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES IN ({key})",
        f"ALTER TABLE {name} DROP CONSTRAINT {name}_period",
    ]


PARTITIONED_PERIODS = (
    "SELECT child.relname FROM pg_inherits "
    "JOIN pg_class parent ON parent.oid = pg_inherits.inhparent "
    "JOIN pg_class child ON child.oid = pg_inherits.inhrelid "
    f"WHERE parent.relname = '{TABLE}'"
)
"""The names of realization's partitions (the default one included)."""
