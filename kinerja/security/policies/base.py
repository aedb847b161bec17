"""What every policy offers: SQL conditions for the rows a person may read, manage and
decide on, and the checks built on them.

A policy's conditions are the single source of row-level access: lists, detail pages,
form choices, ``_info``, exports, the API, jobs and use cases all ask them. A row outside
the read condition does not exist for the person (404); a readable row outside the manage
or decide condition is refused (403).
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import ColumnElement, false, or_, select, true

from kinerja.domain.errors import AccessDenied, NotFoundError
from kinerja.extensions import db
from kinerja.security.policies.scope import Scope

Row = TypeVar("Row")


def any_of(conditions: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    """OR of the conditions; nothing when there are none."""
    return or_(*conditions) if conditions else false()


def everything(scope: Scope) -> ColumnElement[bool]:
    return true()


def nothing(scope: Scope) -> ColumnElement[bool]:
    return false()


def is_within(condition: ColumnElement[bool], model: Any, row_id: int | None) -> bool:
    """Whether the row ``row_id`` of ``model`` satisfies ``condition``."""
    if row_id is None:
        return False
    with db.session.no_autoflush:
        found = db.session.execute(select(model.id).where(model.id == row_id, condition)).first()
    return found is not None


class Policy(Generic[Row]):
    """The access rules of one model. Subclasses set ``model`` and override the conditions
    they grant; by default nobody reads, manages or decides anything."""

    model: ClassVar[type[Any]]

    def read(self, scope: Scope) -> ColumnElement[bool]:
        """Rows the person may see: base filter of every list, page, choice and export."""
        return false()

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        """Rows the person may change, delete, or choose in a form."""
        return false()

    def decide(self, scope: Scope) -> ColumnElement[bool]:
        """Rows the person approves or returns (a supervisor's queue)."""
        return false()

    # --- checks on one row ------------------------------------------------------------------

    def may_read(self, scope: Scope, row: Row | None) -> bool:
        return row is not None and is_within(self.read(scope), self.model, _id(row))

    def may_manage(self, scope: Scope, row: Row | None) -> bool:
        return row is not None and is_within(self.manage(scope), self.model, _id(row))

    def may_decide(self, scope: Scope, row: Row | None) -> bool:
        return row is not None and is_within(self.decide(scope), self.model, _id(row))

    def check_read(self, scope: Scope, row: Row | None) -> None:
        if not self.may_read(scope, row):
            raise NotFoundError()

    def check_manage(self, scope: Scope, row: Row | None) -> None:
        """404 when the row is out of sight, 403 when it is seen but not one's to change."""
        self.check_read(scope, row)
        if not self.may_manage(scope, row):
            raise AccessDenied()

    def check_decide(self, scope: Scope, row: Row | None) -> None:
        self.check_read(scope, row)
        if not self.may_decide(scope, row):
            raise AccessDenied()

    # --- loading rows by id -----------------------------------------------------------------

    def readable(self, scope: Scope, row_id: int | None) -> Row | None:
        """The row ``row_id`` if the person may read it, else None."""
        return self._get(self.read(scope), row_id)

    def manageable(self, scope: Scope, row_id: int | None) -> Row | None:
        return self._get(self.manage(scope), row_id)

    def _get(self, condition: ColumnElement[bool], row_id: int | None) -> Row | None:
        if row_id is None:
            return None
        model = self.model
        with db.session.no_autoflush:
            found: Row | None = db.session.scalar(
                select(model).where(model.id == row_id, condition)
            )
        return found

    def manageable_ids(self, scope: Scope, row_ids: list[int]) -> set[int]:
        """Which of ``row_ids`` the person may change (one query, e.g. for a list page)."""
        if not row_ids:
            return set()
        model = self.model
        return set(
            db.session.scalars(select(model.id).where(model.id.in_(row_ids), self.manage(scope)))
        )

    def ids(self, condition: ColumnElement[bool]) -> Any:
        """``SELECT id`` of the rows meeting ``condition`` (for conditions on child rows)."""
        return select(self.model.id).where(condition)


def _id(row: Any) -> int | None:
    return getattr(row, "id", None)
