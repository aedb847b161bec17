"""job run parent: the parts of a ratings run fanned out per agency

Revision ID: b3f1d2c4a5e6
Revises: f3a9d2c71b54
Create Date: 2026-12-05 18:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3f1d2c4a5e6'
down_revision = 'f3a9d2c71b54'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('job_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_job_run_parent_id'), ['parent_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_job_run_parent_id_job_run'), 'job_run', ['parent_id'], ['id'],
            ondelete='CASCADE',
        )


def downgrade():
    with op.batch_alter_table('job_run', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_job_run_parent_id_job_run'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_job_run_parent_id'))
        batch_op.drop_column('parent_id')
