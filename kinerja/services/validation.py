"""Collecting field errors in a use case, to raise them all at once as FieldErrors."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, select

from kinerja.domain.errors import N_, DomainError, FieldErrors
from kinerja.extensions import db
from kinerja.security.policies import is_within

NOT_FOUND = N_("Not found or not within your reach.")


class Errors(defaultdict[str, list[DomainError]]):
    def __init__(self) -> None:
        super().__init__(list)

    def add(self, field: str, template: str, **params: object) -> None:
        self[field].append(DomainError(template, **params))

    def raise_if_any(self) -> None:
        if any(self.values()):
            raise FieldErrors(self)


def duplicate(
    model: Any, column: Any, value: object, own_id: int | None, *conditions: ColumnElement[bool]
) -> bool:
    query = select(model.id).where(column == value, *conditions)
    if own_id is not None:
        query = query.where(model.id != own_id)
    return db.session.execute(query.limit(1)).first() is not None


def require(errors: Errors, field: str, value: object) -> bool:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.add(field, N_("This field is required."))
        return False
    return True


def require_within(
    errors: Errors, field: str, row_id: int | None, condition: ColumnElement[bool], model: Any
) -> bool:
    """``row_id`` is given and names a row of ``model`` that satisfies ``condition`` (the
    caller's policy); one out of reach reads as one that does not exist."""
    if not require(errors, field, row_id):
        return False
    if not is_within(condition, model, row_id):
        errors.add(field, NOT_FOUND)
        return False
    return True
