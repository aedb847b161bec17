"""Realizations partitioned by period on PostgreSQL: the migration's table, the nightly
partitioning that moves a period's rows out of the default partition, and what must not
change for anyone reading or writing them (the change feed, the reports)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from kinerja.domain.errors import AccessDenied
from kinerja.extensions import db
from kinerja.jobs.partitions import partition_realizations as nightly_job
from kinerja.models.changes import Change
from kinerja.models.partitions import DEFAULT_PARTITION, PARTITIONED_PERIODS, partition_name
from kinerja.models.reports import Realization
from kinerja.security.policies import SYSTEM
from kinerja.security.policies.scope import scope_for_user
from kinerja.services import partitions
from kinerja.services.reports import reports
from tests.factories import Org, Planning, Reporting


def _rows_in(table: str, period_id: int) -> int:
    query = text(f"SELECT count(*) FROM {table} WHERE period_id = :p")  # noqa: S608
    return int(db.session.scalar(query, {"p": period_id}) or 0)


def _partitions() -> set[str]:
    return set(db.session.execute(text(PARTITIONED_PERIODS)).scalars())


@pytest.fixture
def own_partitions() -> Iterator[None]:
    """The partitions a test makes are dropped after it (tables outlive the truncation)."""
    before = _partitions()
    yield
    db.session.rollback()
    for name in _partitions() - before:
        db.session.execute(text(f"DROP TABLE {name}"))
    db.session.commit()


def test_the_table_is_partitioned_by_period_with_a_default_partition(app: object) -> None:
    kind = db.session.scalar(text("SELECT relkind FROM pg_class WHERE relname = 'realization'"))
    key = db.session.scalar(text("SELECT pg_get_partkeydef('realization'::regclass)"))
    assert (kind, key) == ("p", "LIST (period_id)")
    assert DEFAULT_PARTITION in _partitions()


def test_a_report_writes_its_periods_realizations_and_the_night_moves_them_to_their_own(
    org: Org, planning: Planning, reporting: Reporting, own_partitions: None
) -> None:
    period_id = planning.period.id
    report = reports.start_report(reporting.plan.id, reporting.q1.id, SYSTEM)
    reports.save_report(report, {r.indicator_id: 3 for r in report.realizations}, SYSTEM)
    lines = len(report.realizations)
    assert lines >= 2
    assert {r.period_id for r in report.realizations} == {period_id}
    assert _rows_in(DEFAULT_PARTITION, period_id) == lines
    changes = db.session.scalar(select(func.count()).select_from(Change))

    done = partitions.partition_realizations(SYSTEM)

    assert period_id in done.periods and done.moved == lines
    assert _rows_in(partition_name(period_id), period_id) == lines
    assert _rows_in(DEFAULT_PARTITION, period_id) == 0
    # a move is not a change: the feed gets nothing; readers see the same rows
    assert db.session.scalar(select(func.count()).select_from(Change)) == changes
    db.session.expire_all()
    values = db.session.scalars(
        select(Realization.value).where(Realization.report_id == report.id)
    ).all()
    assert values == [Decimal(3)] * lines
    # new rows of the period go straight to its partition; the run is idempotent
    second = reports.start_report(reporting.plan.id, reporting.q2.id, SYSTEM)
    assert _rows_in(partition_name(period_id), period_id) == lines + len(second.realizations)
    assert _rows_in(DEFAULT_PARTITION, period_id) == 0
    assert partitions.partition_realizations(SYSTEM).periods == []
    assert nightly_job() == []


def test_a_partitioned_periods_realizations_still_change_and_stay_unique(
    org: Org, planning: Planning, reporting: Reporting, own_partitions: None
) -> None:
    report = reports.start_report(reporting.plan.id, reporting.q1.id, SYSTEM)
    partitions.partition_realizations(SYSTEM)
    reports.save_report(report, {r.indicator_id: 7 for r in report.realizations}, SYSTEM)
    stored = db.session.scalars(
        select(Realization.value).where(Realization.report_id == report.id)
    ).all()
    assert set(stored) == {Decimal(7)}
    # the unique key still holds across the partitioned table
    first = report.realizations[0]
    duplicate = Realization(
        report_id=report.id, indicator_id=first.indicator_id, period_id=first.period_id
    )
    # (PostgreSQL names the violated index of the partition, not the parent's constraint)
    with pytest.raises(IntegrityError, match=r"\(report_id, indicator_id, period_id\)"):
        db.session.add(duplicate)
        db.session.flush()
    db.session.rollback()


def test_only_the_system_or_an_admin_partitions(org: Org) -> None:
    with pytest.raises(AccessDenied):
        partitions.partition_realizations(scope_for_user(org.users.employee))
