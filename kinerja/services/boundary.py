"""The transaction boundary of every use case.

A use case runs inside :func:`transaction` (or is decorated with :func:`use_case`): when it
returns, the unit of work commits, then the follow-up jobs it recorded in the outbox are
handed to the queue and its after-commit steps run (removing replaced files); when it
raises, everything is rolled back and its rollback steps run (removing files written for
it), then the refusal propagates to the view, which only translates it. Nested use cases
join the outermost boundary, so a use case calling another commits once.

A unique or foreign-key violation found by the database becomes a :class:`FieldErrors`
naming the field, like any other validation error; a versioned row changed by someone else
since it was loaded (``StaleDataError``) becomes a :class:`ConflictError`.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from kinerja.domain.errors import N_, ConflictError, FieldErrors
from kinerja.extensions import db
from kinerja.services import outbox
from kinerja.services.versions import CHANGED_MEANWHILE

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

_DEPTH = "kinerja_use_case_depth"
_ON_COMMIT = "kinerja_on_commit"
_ON_ROLLBACK = "kinerja_on_rollback"
CONFLICT = N_("This value conflicts with another record.")


@contextmanager
def transaction() -> Iterator[None]:
    """Run the enclosed steps as one unit of work (see the module's docstring)."""
    info = db.session.info
    depth = info.get(_DEPTH, 0)
    info[_DEPTH] = depth + 1
    try:
        yield
        if depth == 0:
            db.session.commit()
    except IntegrityError as exc:
        if depth == 0:
            _rolled_back()
            raise FieldErrors.single(integrity_field(exc), CONFLICT) from exc
        raise
    except StaleDataError as exc:
        if depth == 0:
            _rolled_back()
            raise ConflictError(CHANGED_MEANWHILE) from exc
        raise
    except BaseException:
        if depth == 0:
            _rolled_back()
        raise
    finally:
        info[_DEPTH] = depth
    if depth == 0:
        _committed()


def use_case(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` inside :func:`transaction`."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction():
            return func(*args, **kwargs)

    return run


def on_commit(step: Callable[[], Any]) -> None:
    """Run ``step`` once the current use case has committed (e.g. remove a replaced file)."""
    db.session.info.setdefault(_ON_COMMIT, []).append(step)


def on_rollback(step: Callable[[], Any]) -> None:
    """Run ``step`` if the current use case is rolled back (e.g. remove a file written
    for it), so that nothing is kept half."""
    db.session.info.setdefault(_ON_ROLLBACK, []).append(step)


def _committed() -> None:
    db.session.info.pop(_ON_ROLLBACK, None)
    outbox.dispatch_committed()
    _run_all(db.session.info.pop(_ON_COMMIT, None) or [])


def _rolled_back() -> None:
    db.session.rollback()
    db.session.info.pop(_ON_COMMIT, None)
    _run_all(db.session.info.pop(_ON_ROLLBACK, None) or [])


def _run_all(steps: list[Callable[[], Any]]) -> None:
    """Clean-up steps run after the outcome is settled: one failing does not stop the rest
    (a file left behind is logged, never a reason to fail a committed use case)."""
    for step in steps:
        try:
            step()
        except Exception:
            log.exception("clean-up step after a use case failed")


_CONSTRAINT = re.compile(r"(?:uq|ck|fk)_(?P<table>[a-z_]+?)_(?P<column>[a-z_]+)")
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<table>\w+)\.(?P<column>\w+)")


def integrity_field(exc: IntegrityError) -> str:
    """Best guess of the field behind a database constraint error (PostgreSQL names the
    constraint; SQLite names the column)."""
    diag = getattr(getattr(exc, "orig", None), "diag", None)
    name = getattr(diag, "constraint_name", None) or ""
    table = getattr(diag, "table_name", None) or ""
    if name and table and name.startswith(("uq_", "ck_", "fk_")):
        column = name.split("_", 1)[1]
        column = column[len(table) + 1 :] if column.startswith(table + "_") else column
        return column.removesuffix("_id")
    match = _SQLITE_UNIQUE.search(str(exc.orig)) or _CONSTRAINT.search(str(exc.orig))
    return match.group("column").removesuffix("_id") if match else "_schema"
