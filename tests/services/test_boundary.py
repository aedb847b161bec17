"""The use-case boundary: one commit, a full rollback on any refusal, follow-up jobs and
clean-up steps only for what was committed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kinerja.domain.errors import ConflictError, FieldErrors
from kinerja.domain.org import UnitKind
from kinerja.extensions import db
from kinerja.models.jobs import JobRun
from kinerja.models.org import Unit
from kinerja.services import outbox
from kinerja.services.boundary import on_commit, on_rollback, transaction, use_case
from tests.factories import Org


def _units(code: str) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).where(Unit.code == code)) or 0


def _add_unit(org: Org, code: str) -> Unit:
    unit = Unit(code=code, name=code, kind=UnitKind.DIVISION, parent=org.units.dinkes)
    db.session.add(unit)
    db.session.flush()
    return unit


def test_a_refusal_rolls_back_everything_and_runs_the_rollback_steps(org: Org) -> None:
    done: list[str] = []

    @use_case
    def refused() -> None:
        _add_unit(org, "TMP.A")
        on_commit(lambda: done.append("commit"))
        on_rollback(lambda: done.append("rollback"))
        raise ConflictError("not now")

    with pytest.raises(ConflictError):
        refused()
    assert _units("TMP.A") == 0
    assert done == ["rollback"]


def test_a_nested_use_case_commits_with_the_outer_one_only(org: Org) -> None:
    @use_case
    def inner() -> None:
        _add_unit(org, "TMP.B")

    with pytest.raises(ConflictError), transaction():
        inner()
        raise ConflictError("the outer one changes its mind")
    assert _units("TMP.B") == 0

    with transaction():
        inner()
    assert _units("TMP.B") == 1


def test_a_database_constraint_becomes_a_field_error(org: Org) -> None:
    with pytest.raises(FieldErrors) as refused, transaction():
        _add_unit(org, org.units.dinkes.code)  # the code is unique
    assert list(refused.value.errors) == ["code"]
    assert _units(org.units.dinkes.code) == 1


def test_jobs_of_a_rolled_back_use_case_are_never_recorded_nor_run(org: Org) -> None:
    before = db.session.scalar(select(func.count()).select_from(JobRun))
    with pytest.raises(ConflictError), transaction():
        outbox.schedule("email_login_credentials", [], queue_name="mail")
        raise ConflictError("refused")
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(JobRun)) == before
