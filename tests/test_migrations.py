"""The Alembic migrations build exactly the schema the models declare (on PostgreSQL)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kinerja.extensions import db
from kinerja.models.base import include_in_migrations


def test_models_and_migrations_agree(app) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_in_migrations}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_search_indexes_exist_on_postgresql(app) -> None:
    with db.engine.connect() as connection:
        names = set(
            connection.exec_driver_sql(
                "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"
            ).scalars()
        )
    assert {"ix_employee_name_trgm", "ix_employee_nip_pattern", "ix_unit_name_trgm"} <= names
