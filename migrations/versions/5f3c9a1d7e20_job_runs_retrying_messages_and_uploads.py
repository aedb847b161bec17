"""job runs: retrying status, message parameters; uploads waiting for a job

Revision ID: 5f3c9a1d7e20
Revises: 731538dbcb4c
Create Date: 2026-11-24 10:00:00.000000

A run whose attempt failed while RQ retries remain is "retrying" (the status is a string with
a CHECK constraint, hence this step). A run's message is kept as a template with parameters,
translated when shown. Import files wait for their job as "upload" rows of the upload store.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5f3c9a1d7e20"
down_revision = "731538dbcb4c"
branch_labels = None
depends_on = None

OLD_STATUSES = ("pending", "queued", "running", "succeeded", "failed")
NEW_STATUSES = ("pending", "queued", "running", "retrying", "succeeded", "failed")


def _status_check(statuses):
    return "status IN ({})".format(", ".join(f"'{status}'" for status in statuses))


def upgrade():
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_params", sa.JSON(), nullable=True))
        batch_op.drop_constraint(op.f("ck_job_run_jobstatus"), type_="check")
        batch_op.create_check_constraint(op.f("ck_job_run_jobstatus"), _status_check(NEW_STATUSES))

    op.create_table(
        "upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=True),
        sa.Column("original_name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["ab_user.id"],
            name=op.f("fk_upload_uploaded_by_id_ab_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upload")),
        sa.UniqueConstraint("key", name=op.f("uq_upload_key")),
    )
    with op.batch_alter_table("upload", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_upload_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_upload_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_upload_uploaded_by_id"), ["uploaded_by_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("upload", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_upload_uploaded_by_id"))
        batch_op.drop_index(batch_op.f("ix_upload_updated_at"))
        batch_op.drop_index(batch_op.f("ix_upload_created_at"))
    op.drop_table("upload")

    op.execute("UPDATE job_run SET status = 'failed' WHERE status = 'retrying'")
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_job_run_jobstatus"), type_="check")
        batch_op.create_check_constraint(op.f("ck_job_run_jobstatus"), _status_check(OLD_STATUSES))
        batch_op.drop_column("message_params")
