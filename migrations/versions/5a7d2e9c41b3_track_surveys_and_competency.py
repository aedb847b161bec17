"""track surveys and competency in the change log

The change feed covers the satisfaction-survey and competency tables too: their triggers
are installed from :data:`kinerja.models.changes.SURVEY_AND_COMPETENCY_TRACKED`, and their
rows already there get a ``create`` each (numbered by the sequencer at the next read), so a
mirror that reads from its cursor learns of them.

Revision ID: 5a7d2e9c41b3
Revises: 231dabf645e9
Create Date: 2026-12-05 17:45:00.000000

"""
from alembic import op

from kinerja.models.changes import (
    SURVEY_AND_COMPETENCY_TRACKED,
    backfill_statement,
    drop_triggers,
    trigger_statements,
)


# revision identifiers, used by Alembic.
revision = "5a7d2e9c41b3"
down_revision = "231dabf645e9"
branch_labels = None
depends_on = None


def upgrade():
    dialect = op.get_bind().dialect.name
    for tracked in SURVEY_AND_COMPETENCY_TRACKED:
        op.execute(backfill_statement(tracked))
        for statement in trigger_statements(tracked, dialect):
            op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for tracked in SURVEY_AND_COMPETENCY_TRACKED:
        for statement in drop_triggers(tracked, dialect):
            op.execute(statement)
        op.execute(f"DELETE FROM change WHERE resource = '{tracked.resource}'")  # noqa: S608
