"""keyset indexes for the API lists: (updated_at, id)

Revision ID: e7a41c58b2d0
Revises: e7a2c4f81b90
Create Date: 2026-12-05 08:05:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "e7a41c58b2d0"
down_revision = "e7a2c4f81b90"
branch_labels = None
depends_on = None

TABLES = ("employee", "work_plan", "report", "evaluation", "activity", "realization", "rating")


def upgrade():
    for table in TABLES:
        op.create_index(f"ix_{table}_updated_at_id", table, ["updated_at", "id"], unique=False)


def downgrade():
    for table in TABLES:
        op.drop_index(f"ix_{table}_updated_at_id", table_name=table)
