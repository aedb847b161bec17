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


def test_partitioning_realizations_keeps_every_row_both_ways(app, org, planning, reporting) -> None:
    """Down to the plain table and up again to the partitioned one, with reports written:
    every realization kept with its period, each period its partition, the feed's triggers
    on the new table."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import func, select, text

    from kinerja.models.changes import Change
    from kinerja.models.partitions import PARTITIONED_PERIODS, partition_name
    from kinerja.models.reports import Realization
    from kinerja.security.policies import SYSTEM
    from kinerja.services.reports import reports

    report = reports.start_report(reporting.plan.id, reporting.q1.id, SYSTEM)
    reports.save_report(report, {r.indicator_id: 5 for r in report.realizations}, SYSTEM)
    kept = sorted((r.id, r.indicator_id) for r in report.realizations)
    period_id, plan_id, q2_id = planning.period.id, reporting.plan.id, reporting.q2.id
    db.session.commit()
    db.session.remove()
    directory = app.extensions["migrate"].directory
    try:
        downgrade(directory=directory, revision="b3f1d2c4a5e6")
        kind = db.session.scalar(text("SELECT relkind FROM pg_class WHERE relname = 'realization'"))
        assert kind == "r"
        db.session.remove()
    finally:
        upgrade(directory=directory)
    rows = db.session.execute(
        select(Realization.id, Realization.indicator_id, Realization.period_id, Realization.value)
    ).all()
    assert sorted((r.id, r.indicator_id) for r in rows) == kept
    assert {(r.period_id, r.value) for r in rows} == {(period_id, 5)}
    assert partition_name(period_id) in set(db.session.execute(text(PARTITIONED_PERIODS)).scalars())
    changes = db.session.scalar(select(func.count()).select_from(Change))
    reports.start_report(plan_id, q2_id, SYSTEM)
    assert db.session.scalar(select(func.count()).select_from(Change)) > changes
    assert db.session.scalar(select(func.max(Realization.id))) > max(i for i, _ in kept)
    db.session.commit()
    db.session.execute(text(f"DROP TABLE {partition_name(period_id)}"))
    db.session.commit()
