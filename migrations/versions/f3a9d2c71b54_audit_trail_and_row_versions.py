"""audit trail and row versions

Revision ID: f3a9d2c71b54
Revises: 5d2b9e7c1a43
Create Date: 2026-12-05 17:45:00.000000

The audit trail's table (entries refused any UPDATE or DELETE by a trigger on PostgreSQL)
and the ``row_version`` of the rows two people may edit at once.
"""
from alembic import op
import sqlalchemy as sa

from kinerja.models.audit import DROP_REFUSAL, REFUSE_CHANGES_FUNCTION, REFUSE_CHANGES_TRIGGER

# revision identifiers, used by Alembic.
revision = 'f3a9d2c71b54'
down_revision = '5d2b9e7c1a43'
branch_labels = None
depends_on = None

VERSIONED = ('employee', 'work_plan', 'report', 'evaluation')


def upgrade():
    op.create_table('audit_entry',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=200), nullable=True),
    sa.Column('via', sa.String(length=80), nullable=True),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('row_id', sa.BigInteger(), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.CheckConstraint("action IN ('create', 'update', 'delete')", name=op.f('ck_audit_entry_action')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entry_actor_at', ['actor_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_entry_record', ['table_name', 'row_id'], unique=False)
    for table in VERSIONED:
        # A plain ADD COLUMN (SQLite takes it too): batch mode would copy the table on SQLite,
        # and dropping the original breaks the change triggers that name it.
        op.add_column(
            table,
            sa.Column('row_version', sa.Integer(), server_default=sa.text('1'), nullable=False),
        )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(REFUSE_CHANGES_FUNCTION)
        op.execute(REFUSE_CHANGES_TRIGGER)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for statement in DROP_REFUSAL:
            op.execute(statement)
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('row_version')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_record')
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))
        batch_op.drop_index('ix_audit_entry_actor_at')
    op.drop_table('audit_entry')
