"""realizations partitioned by period

``realization`` gets ``period_id`` (its report's period, filled here). On PostgreSQL the
table is rebuilt ``PARTITION BY LIST (period_id)``: a partition per existing period and a
default partition, primary key ``(id, period_id)``, the same index and constraint names,
the same id sequence, and the change feed's statement triggers on the new parent. On SQLite
(``make run``) the table only gains the column, its key and index; its change triggers are
installed again after the table is rebuilt.

Revision ID: c8e4f1a2b9d7
Revises: b3f1d2c4a5e6
Create Date: 2026-12-06 01:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

from kinerja.models.changes import FIRST_TRACKED, drop_triggers, trigger_statements
from kinerja.models.partitions import COLUMNS, DEFAULT_PARTITION, new_partition

# revision identifiers, used by Alembic.
revision = 'c8e4f1a2b9d7'
down_revision = 'b3f1d2c4a5e6'
branch_labels = None
depends_on = None

REALIZATION = next(t for t in FIRST_TRACKED if t.table == "realization")
FILL_PERIOD = (
    "UPDATE realization SET period_id = (SELECT sp.period_id FROM report rp "
    "JOIN sub_period sp ON sp.id = rp.sub_period_id WHERE rp.id = realization.report_id)"
)
INDEXES = (
    ("ix_realization_created_at", "created_at"),
    ("ix_realization_indicator_id", "indicator_id"),
    ("ix_realization_report_id", "report_id"),
    ("ix_realization_updated_at", "updated_at"),
    ("ix_realization_updated_at_id", "updated_at, id"),
    ("ix_realization_period_id", "period_id"),
)
PARTITIONED = """
CREATE TABLE realization_partitioned (
    id integer NOT NULL DEFAULT nextval('realization_id_seq'),
    report_id integer NOT NULL,
    indicator_id integer NOT NULL,
    value numeric(14, 2),
    note text,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    period_id integer NOT NULL
) PARTITION BY LIST (period_id)
"""


def _constraints(partitioned: bool) -> list[str]:
    """realization's constraints; a partitioned table carries its key in the primary and
    unique keys (and references the period it is partitioned by)."""
    key = ", period_id" if partitioned else ""
    statements = [
        f"ADD CONSTRAINT pk_realization PRIMARY KEY (id{key})",
        "ADD CONSTRAINT uq_realization_report_indicator "
        f"UNIQUE (report_id, indicator_id{key})",
        "ADD CONSTRAINT ck_realization_value_not_negative CHECK (value >= 0)",
        "ADD CONSTRAINT fk_realization_report_id_report "
        "FOREIGN KEY (report_id) REFERENCES report (id) ON DELETE CASCADE",
        "ADD CONSTRAINT fk_realization_indicator_id_indicator "
        "FOREIGN KEY (indicator_id) REFERENCES indicator (id) ON DELETE RESTRICT",
    ]
    if partitioned:
        statements.append(
            "ADD CONSTRAINT fk_realization_period_id_period "
            "FOREIGN KEY (period_id) REFERENCES period (id) ON DELETE RESTRICT"
        )
    return [f"ALTER TABLE realization {statement}" for statement in statements]


def _indexes(partitioned: bool) -> list[str]:
    indexes = INDEXES if partitioned else [i for i in INDEXES if i[1] != "period_id"]
    return [f"CREATE INDEX {name} ON realization ({columns})" for name, columns in indexes]


def upgrade():
    dialect = op.get_bind().dialect.name
    for statement in drop_triggers(REALIZATION, dialect):
        op.execute(statement)
    if dialect == "postgresql":
        _partition()
    else:
        _add_the_column()
    for statement in trigger_statements(REALIZATION, dialect):
        op.execute(statement)


def _partition():
    op.execute("ALTER TABLE realization ADD COLUMN period_id integer")
    op.execute(FILL_PERIOD)
    op.execute("ALTER SEQUENCE realization_id_seq OWNED BY NONE")
    op.execute(PARTITIONED)
    op.execute(f"CREATE TABLE {DEFAULT_PARTITION} PARTITION OF realization_partitioned DEFAULT")
    for (period_id,) in op.get_bind().execute(sa.text("SELECT id FROM period ORDER BY id")):
        op.execute(new_partition(period_id, parent="realization_partitioned"))
    op.execute(
        f"INSERT INTO realization_partitioned ({COLUMNS}) SELECT {COLUMNS} FROM realization"
    )
    op.execute("DROP TABLE realization")
    op.execute("ALTER TABLE realization_partitioned RENAME TO realization")
    op.execute("ALTER SEQUENCE realization_id_seq OWNED BY realization.id")
    for statement in _constraints(partitioned=True) + _indexes(partitioned=True):
        op.execute(statement)


def _add_the_column():
    op.add_column('realization', sa.Column('period_id', sa.Integer(), nullable=True))
    op.execute(FILL_PERIOD)
    with op.batch_alter_table('realization', schema=None) as batch_op:
        batch_op.alter_column('period_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint('uq_realization_report_indicator', type_='unique')
        batch_op.create_unique_constraint(
            'uq_realization_report_indicator', ['report_id', 'indicator_id', 'period_id']
        )
        batch_op.create_foreign_key(
            'fk_realization_period_id_period', 'period', ['period_id'], ['id'],
            ondelete='RESTRICT',
        )
        batch_op.create_index('ix_realization_period_id', ['period_id'], unique=False)


def downgrade():
    dialect = op.get_bind().dialect.name
    for statement in drop_triggers(REALIZATION, dialect):
        op.execute(statement)
    if dialect == "postgresql":
        _unpartition()
    else:
        with op.batch_alter_table('realization', schema=None) as batch_op:
            batch_op.drop_index('ix_realization_period_id')
            batch_op.drop_constraint('fk_realization_period_id_period', type_='foreignkey')
            batch_op.drop_constraint('uq_realization_report_indicator', type_='unique')
            batch_op.create_unique_constraint(
                'uq_realization_report_indicator', ['report_id', 'indicator_id']
            )
            batch_op.drop_column('period_id')
    for statement in trigger_statements(REALIZATION, dialect):
        op.execute(statement)


def _unpartition():
    op.execute("ALTER SEQUENCE realization_id_seq OWNED BY NONE")
    op.execute("CREATE TABLE realization_plain (LIKE realization INCLUDING DEFAULTS)")
    op.execute(f"INSERT INTO realization_plain ({COLUMNS}) SELECT {COLUMNS} FROM realization")
    op.execute("DROP TABLE realization")  # its partitions with it
    op.execute("ALTER TABLE realization_plain RENAME TO realization")
    op.execute("ALTER TABLE realization DROP COLUMN period_id")
    op.execute("ALTER SEQUENCE realization_id_seq OWNED BY realization.id")
    for statement in _constraints(partitioned=False) + _indexes(partitioned=False):
        op.execute(statement)
