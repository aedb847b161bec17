"""token version of logins

Revision ID: 8b1e4c2d9f35
Revises: c641bc30bfa6
Create Date: 2026-12-04 16:30:00.000000

Every session and JWT carries the token version of its login and is refused once it has
moved on: signing out, a password change, a role change and a deactivation bump it.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "8b1e4c2d9f35"
down_revision = "c641bc30bfa6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("ab_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("token_version", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("ab_user", schema=None) as batch_op:
        batch_op.drop_column("token_version")
