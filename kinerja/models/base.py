"""Shared column mixins."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Enum, Index, Integer, Update, bindparam, text, update
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

from kinerja.models.partitions import is_partition


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored with its time zone and always read back as UTC-aware (SQLite keeps
    no zone, so its naive values are UTC by construction)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class TimestampMixin:
    """``created_at``/``updated_at`` in UTC, indexed so integrators can sync incrementally."""

    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, nullable=False, index=True
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False, index=True
    )


class RowVersionMixin:
    """``row_version``: the optimistic version check of a row two people may edit at once.

    SQLAlchemy bumps it on every ORM update and adds ``WHERE row_version = <as loaded>``, so a
    change made by someone else since the row was loaded fails (``StaleDataError``, turned
    into a conflict by the use-case boundary) instead of being overwritten. Screens carry
    the version in their forms and the API in its ``ETag``; the use cases compare it
    (:mod:`kinerja.services.versions`). Core ``UPDATE`` statements on a versioned table must
    bump it themselves (``row_version = row_version + 1``)."""

    row_version: Mapped[int] = mapped_column(
        Integer, nullable=False, default=1, server_default=text("1")
    )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.row_version}

    @classmethod
    def update_by_id(cls) -> Update:
        """A set-based ``UPDATE`` by id that bumps ``row_version``: executed with a list of
        ``{"row_id": id, column: value…}`` (the ORM's bulk update by primary key would
        need every row's current version)."""
        table = cls.__table__  # type: ignore[attr-defined]
        return (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(row_version=table.c.row_version + 1)
        )


def enum_column(enum_cls: type, name: str | None = None) -> Enum:
    """Store an enum's values (not names) as a plain string with a CHECK constraint (named
    ``name`` when one table has several columns of the same enum)."""
    return Enum(
        enum_cls,
        values_callable=lambda members: [m.value for m in members],
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=20,
        name=name or enum_cls.__name__.lower(),
    )


POSTGRESQL_ONLY_INDEX_SUFFIXES = ("_trgm", "_pattern")


def include_in_migrations(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic filter: the PostgreSQL-only search indexes of the migrations (trigram, pattern)
    and realization's partitions are not declared on the models, so autogenerate must not
    propose dropping them."""
    if type_ == "table" and reflected and is_partition(name):
        return False
    return not (
        type_ == "index" and reflected and (name or "").endswith(POSTGRESQL_ONLY_INDEX_SUFFIXES)
    )


def keyset_index(table: str) -> Index:
    """``(updated_at, id)``: the order of an integrator's sync, and the index that pages it by
    keyset (``after``) when many rows share one ``updated_at`` (written in one statement)."""
    return Index(f"ix_{table}_updated_at_id", "updated_at", "id")
