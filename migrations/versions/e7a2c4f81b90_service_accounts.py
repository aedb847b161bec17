"""service accounts

Revision ID: e7a2c4f81b90
Revises: b21fb9814d03
Create Date: 2026-12-05 08:10:00.000000

Logins of programs, marked by a row here; they authenticate with FAB's API keys
(``ab_api_key``, created with the first revision).
"""

from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = "e7a2c4f81b90"
down_revision = "b21fb9814d03"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "service_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["ab_user.id"],
            name=op.f("fk_service_account_user_id_ab_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_account")),
        sa.UniqueConstraint("user_id", name=op.f("uq_service_account_user_id")),
    )
    with op.batch_alter_table("service_account", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_account_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_service_account_updated_at"), ["updated_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("service_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_account_updated_at"))
        batch_op.drop_index(batch_op.f("ix_service_account_created_at"))
    op.drop_table("service_account")
