"""Limits of reach found by probing the demo: an Operator cannot make themselves a
supervisor, and a closed period is read-only for the dialogue and the evaluation too."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kinerja.domain.errors import AccessDenied, ConflictError, FieldErrors
from kinerja.domain.org import PositionKind
from kinerja.domain.planning import PeriodStatus
from kinerja.extensions import db
from kinerja.models.org import Employee, Position
from kinerja.security import roles
from kinerja.security.policies import SYSTEM, scope_for_user
from kinerja.services import org as org_services
from kinerja.services.reports import dialogue, evaluations
from tests.factories import Org, Planning, Reporting, api_token, make_user, submitted_report


def _operator_holding(org: Org, position: Position) -> tuple[Employee, object]:
    """The Dinkes Operator, who is also an employee holding ``position``."""
    holder = org.employees.perawat
    holder.position = position
    holder.unit = position.unit
    db.session.commit()
    user = make_user(
        "op_pegawai",
        roles.OPERATOR,
        roles.EMPLOYEE,
        operator_unit=org.units.dinkes,
        employee=holder,
    )
    db.session.commit()
    return holder, user


def test_an_operator_cannot_put_a_position_under_their_own(client, org: Org) -> None:
    own = org.positions.kabid_yankes
    _operator_holding(org, own)
    headers = api_token(client, "op_pegawai")
    target = org.positions.epid
    answer = client.put(
        f"/api/v1/position/{target.id}", headers=headers, json={"supervisor": own.id}
    )
    assert answer.status_code == 422 and "supervisor" in answer.get_json()["fields"]
    db.session.expire_all()
    assert db.session.get(Position, target.id).supervisor_id == org.positions.kasi_surv.id
    # the positions hanging under their own are not theirs to change either
    under_own = client.put(
        f"/api/v1/position/{org.positions.perawat.id}", headers=headers, json={"grade": 7}
    )
    assert under_own.status_code == 404


def test_an_operator_cannot_take_a_supervising_post_or_change_their_own(client, org: Org) -> None:
    holder, user = _operator_holding(org, org.positions.perawat)
    scope = scope_for_user(user)
    holder.position = org.positions.kabid_yankes
    with pytest.raises(AccessDenied):
        org_services.save_employee(holder, scope)
    db.session.rollback()
    own = db.session.get(Position, org.positions.perawat.id)
    own.name = "Perawat Ahli"
    with pytest.raises(AccessDenied):
        org_services.save_position(own, scope)
    db.session.rollback()
    new = Position(
        code="DINKES.NEW",
        name="Staf baru",
        kind=PositionKind.EXECUTIVE,
        unit=org.units.yankes,
        supervisor=own,
    )
    with pytest.raises(FieldErrors) as refused:
        org_services.save_position(new, scope)
    assert "supervisor" in refused.value.errors


def test_the_admin_still_links_anything(org: Org) -> None:
    _operator_holding(org, org.positions.kabid_yankes)
    target = db.session.get(Position, org.positions.perawat.id)
    target.supervisor_id = org.positions.kabid_yankes.id
    org_services.save_position(target, SYSTEM)
    assert db.session.scalar(select(Position.supervisor_id).where(Position.id == target.id)) == (
        org.positions.kabid_yankes.id
    )


def test_a_closed_period_takes_no_dialogue_note_nor_evaluation_draft(
    org: Org, planning: Planning, reporting: Reporting
) -> None:
    report = submitted_report(reporting)
    planning.period.status = PeriodStatus.CLOSED
    db.session.commit()
    kasi = scope_for_user(planning.kasi)
    with pytest.raises(ConflictError):
        dialogue.add_note(report, "Catatan terlambat", kasi)
    with pytest.raises(ConflictError):
        evaluations.save_evaluation(report, evaluations.Ratings(feedback="x"), kasi)
