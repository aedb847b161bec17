"""home pages: per-unit counts within one period or sub-period, index only

Revision ID: 5d2b9e7c1a43
Revises: 5d3e9a1c7b42
Create Date: 2026-12-05 18:20:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5d2b9e7c1a43'
down_revision = '5d3e9a1c7b42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_report_sub_period_unit_status', 'report', ['sub_period_id', 'unit_id', 'status']
    )
    op.create_index(
        'ix_work_plan_period_unit_status', 'work_plan', ['period_id', 'unit_id', 'status']
    )


def downgrade():
    op.drop_index('ix_work_plan_period_unit_status', table_name='work_plan')
    op.drop_index('ix_report_sub_period_unit_status', table_name='report')
