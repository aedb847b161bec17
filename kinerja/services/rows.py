"""Reading rows for a state change."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select

from kinerja.domain.errors import N_, ConflictError
from kinerja.extensions import db

T = TypeVar("T")


def lock(model: type[T], row_id: int) -> T:
    """Re-read a row and lock it, so two people acting at once cannot both change its state
    (the second meets the new state and gets a conflict)."""
    column: Any = model.id  # type: ignore[attr-defined]
    row = db.session.scalar(
        select(model)
        .where(column == row_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise ConflictError(N_("The record no longer exists."))
    return row
