"""plan annex (lampiran SKP)

Revision ID: 5d3e9a1c7b42
Revises: 5a7d2e9c41b3
Create Date: 2026-12-05 17:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d3e9a1c7b42'
down_revision = '5a7d2e9c41b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('work_plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resource_support', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('accountability', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('consequences', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('work_plan', schema=None) as batch_op:
        batch_op.drop_column('consequences')
        batch_op.drop_column('accountability')
        batch_op.drop_column('resource_support')
