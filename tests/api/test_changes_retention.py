"""The change feed covers the survey and competency tables; the change log and the webhook
deliveries are pruned past their retention by nightly jobs, and a cursor from before the
kept window answers 410 Gone in the API's error shape, telling the mirror to resync."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from kinerja.domain.competency import AssessmentSource, CompetencyGroup, TrainingMode
from kinerja.extensions import db
from kinerja.jobs.retention import prune_change_log, prune_webhook_deliveries
from kinerja.models.base import utcnow
from kinerja.models.changes import SURVEY_AND_COMPETENCY_TRACKED, Change
from kinerja.models.competency import (
    Assessment,
    Competency,
    PositionCompetency,
    Recommendation,
    RewardCandidate,
    Training,
    TrainingRecord,
)
from kinerja.models.surveys import SurveyResult
from kinerja.models.webhooks import DeliveryStatus, WebhookDelivery, WebhookSubscription
from tests.api.test_changes_feed import _read_all
from tests.factories import Org, Planning, api_token
from tests.survey_factories import add_responses, make_service, make_survey


def _competency(code: str = "T.01") -> Competency:
    row = Competency(code=code, category=CompetencyGroup.MANAGERIAL, name="Uji", active=True)
    db.session.add(row)
    db.session.flush()
    return row


def _training() -> Training:
    row = Training(title="Pelatihan uji", mode=TrainingMode.CLASSICAL, jp=8, active=True)
    db.session.add(row)
    db.session.flush()
    return row


def _rows(org: Org, planning: Planning) -> dict[str, tuple[Callable[[], Any], str, Any]]:
    """For each newly tracked resource: how to make a row, a column to change and its new
    value."""
    staff = org.employees
    survey = lambda: make_survey(make_service(org.units.surv), planning.period)  # noqa: E731
    return {
        "service": (lambda: make_service(org.units.surv), "name", "Layanan diubah"),
        "survey": (survey, "closes_on", date(2026, 12, 31)),
        "survey_response": (lambda: add_responses(survey(), [[3] * 9])[0], "comment", "Baik"),
        "survey_result": (
            lambda: _add(
                SurveyResult(survey_id=survey().id, required=10, responses=1, computed_at=utcnow())
            ),
            "responses",
            2,
        ),
        "competency": (lambda: _competency(), "name", "Diubah"),
        "training": (_training, "jp", 12),
        "position_competency": (
            lambda: _add(
                PositionCompetency(
                    position_id=org.positions.epid.id,
                    competency_id=_competency("T.02").id,
                    required_level=2,
                )
            ),
            "required_level",
            3,
        ),
        "assessment": (
            lambda: _add(
                Assessment(
                    employee_id=staff.epid1.id,
                    competency_id=_competency("T.03").id,
                    level=2,
                    assessed_on=date(2026, 2, 1),
                    source=AssessmentSource.SUPERVISOR,
                )
            ),
            "level",
            3,
        ),
        "training_record": (
            lambda: _add(
                TrainingRecord(
                    employee_id=staff.epid1.id,
                    title="Diklat",
                    mode=TrainingMode.CLASSICAL,
                    jp=8,
                    completed_on=date(2026, 2, 1),
                    year=2026,
                )
            ),
            "jp",
            10,
        ),
        "recommendation": (
            lambda: _add(
                Recommendation(
                    employee_id=staff.epid1.id,
                    training_id=_training().id,
                    year=2026,
                    rank=1,
                    gap_closed=1,
                    gap_total=2,
                    computed_at=utcnow(),
                )
            ),
            "rank",
            2,
        ),
        "reward_candidate": (
            lambda: _add(
                RewardCandidate(
                    employee_id=staff.epid1.id,
                    year=2026,
                    predikat="sangat_baik",
                    match=Decimal("90"),
                    computed_at=utcnow(),
                )
            ),
            "two_good_years",
            True,
        ),
    }


def _add(row: Any) -> Any:
    db.session.add(row)
    db.session.flush()
    return row


def test_the_survey_and_competency_tables_are_all_tracked(org: Org, planning: Planning) -> None:
    assert set(_rows(org, planning)) == {t.resource for t in SURVEY_AND_COMPETENCY_TRACKED}


@pytest.mark.parametrize("resource", sorted(t.resource for t in SURVEY_AND_COMPETENCY_TRACKED))
def test_a_create_update_and_delete_show_up_in_the_feed(
    client: FlaskClient, org: Org, planning: Planning, resource: str
) -> None:
    headers = api_token(client, "integrator")
    _, cursor = _read_all(client, headers)
    make, column, value = _rows(org, planning)[resource]
    row = make()
    db.session.commit()
    setattr(row, column, value)
    db.session.commit()
    row_id = row.id

    entries, cursor = _read_all(client, headers, cursor, resources=resource)
    assert [(e["id"], e["op"]) for e in entries] == [(row_id, "create"), (row_id, "update")]
    shown = entries[-1]["data"][column]
    assert shown == (value.isoformat() if isinstance(value, date) else value)

    db.session.delete(row)
    db.session.commit()
    entries, _ = _read_all(client, headers, cursor, resources=resource)
    assert [(e["id"], e["op"], e["data"]) for e in entries] == [(row_id, "delete", None)]


def test_an_operator_sees_the_survey_changes_of_their_units_only(
    client: FlaskClient, org: Org, planning: Planning
) -> None:
    headers = api_token(client, "operator")
    _, cursor = _read_all(client, headers)
    ours = make_service(org.units.surv, "Layanan kami")
    theirs = make_service(org.units.dishub, "Layanan mereka")
    db.session.commit()
    entries, _ = _read_all(client, headers, cursor, resources="service")
    assert [e["id"] for e in entries] == [ours.id]
    assert theirs.id not in {e["id"] for e in entries}


def test_a_deleted_service_is_told_to_whoever_reads_its_unit(
    client: FlaskClient, org: Org, planning: Planning
) -> None:
    headers = api_token(client, "employee")  # Epidemiolog Satu, of Seksi Surveilans
    _, cursor = _read_all(client, headers)
    ours = make_service(org.units.surv, "Layanan kami")
    theirs = make_service(org.units.dishub, "Layanan mereka")
    db.session.commit()
    ids = (ours.id, theirs.id)
    entries, cursor = _read_all(client, headers, cursor, resources="service")
    assert [(e["id"], e["op"]) for e in entries] == [(ids[0], "create")]
    db.session.delete(ours)
    db.session.delete(theirs)
    db.session.commit()
    entries, _ = _read_all(client, headers, cursor, resources="service")
    assert [(e["id"], e["op"]) for e in entries] == [(ids[0], "delete")]


# --- retention ---------------------------------------------------------------------------


def _age_changes(days: int, below_seq: int | None = None) -> None:
    """Make the numbered changes (those numbered below ``below_seq``) ``days`` old."""
    statement = update(Change).where(Change.seq.is_not(None))
    if below_seq is not None:
        statement = statement.where(Change.seq < below_seq)
    db.session.execute(statement.values(changed_at=utcnow() - timedelta(days=days)))
    db.session.commit()


def test_the_change_log_keeps_its_window_and_an_older_cursor_answers_410(
    app: Flask, client: FlaskClient, org: Org
) -> None:
    headers = api_token(client, "integrator")
    _, old_cursor = _read_all(client, headers)  # numbers every change of the organisation
    _age_changes(200)
    org.units.dishub.name = "Dinas Perhubungan Baru"
    db.session.commit()
    _, cursor = _read_all(client, headers, old_cursor)
    numbered = db.session.scalar(select(func.count()).where(Change.seq.is_not(None)))

    assert prune_change_log() == numbered - 1  # all but the young change
    assert prune_change_log() == 0  # idempotent
    kept = db.session.scalars(select(Change)).all()
    assert [(c.resource, c.op) for c in kept] == [("unit", "update")]
    assert kept[0].seq == int(cursor)

    gone = client.get("/api/v1/changes?cursor=0", headers=headers)
    assert gone.status_code == 410
    body = gone.get_json()
    assert body["status"] == 410 and body["error"] == "gone"
    assert list(body["fields"]) == ["cursor"] and "180" in body["message"]
    english = client.get("/api/v1/changes?cursor=0&_l_=en", headers=headers).get_json()
    assert "resync" in english["message"] and "cursor=latest" in english["message"]

    # the cursor just before the oldest change kept is still good
    entries, _ = _read_all(client, headers, str(kept[0].seq - 1))
    assert [(e["resource"], e["op"]) for e in entries] == [("unit", "update")]


def test_the_head_is_where_a_resynced_mirror_follows_from(client: FlaskClient, org: Org) -> None:
    headers = api_token(client, "integrator")
    _, cursor = _read_all(client, headers)
    head = client.get("/api/v1/changes?cursor=latest", headers=headers).get_json()
    assert head == {"changes": [], "next_cursor": cursor, "has_more": False}
    org.units.dishub.name = "Dishub"
    db.session.commit()
    entries, _ = _read_all(client, headers, head["next_cursor"])
    assert [(e["resource"], e["id"]) for e in entries] == [("unit", org.units.dishub.id)]
    bad = client.get("/api/v1/changes?cursor=-1", headers=headers)
    assert bad.status_code == 422 and list(bad.get_json()["fields"]) == ["cursor"]


def test_young_changes_and_unnumbered_ones_are_kept(app: Flask, org: Org) -> None:
    before = db.session.scalar(select(func.count()).select_from(Change))
    assert before > 0
    assert prune_change_log() == 0  # nothing is numbered yet: nothing is pruned
    app.config["KINERJA_CHANGE_RETENTION_DAYS"] = 30
    try:
        db.session.execute(update(Change).values(seq=Change.id))
        db.session.commit()
        _age_changes(20)
        assert prune_change_log() == 0  # 20 days old, 30 kept
    finally:
        app.config["KINERJA_CHANGE_RETENTION_DAYS"] = 180
    assert db.session.scalar(select(func.count()).select_from(Change)) == before


def test_a_late_numbered_old_change_leaves_no_hole(app: Flask, org: Org) -> None:
    """Only the prefix before the first young change goes, even if a later number is old."""
    db.session.execute(update(Change).values(seq=Change.id))
    db.session.commit()
    seqs = sorted(db.session.scalars(select(Change.seq)))
    middle = seqs[len(seqs) // 2]
    _age_changes(200, below_seq=middle)
    db.session.execute(
        update(Change)
        .where(Change.seq == seqs[-1])
        .values(changed_at=utcnow() - timedelta(days=300))
    )
    db.session.commit()
    assert prune_change_log() == len([s for s in seqs if s < middle])
    kept = sorted(db.session.scalars(select(Change.seq)))
    assert kept == [s for s in seqs if s >= middle]


def _delivery(subscription: WebhookSubscription, status: DeliveryStatus, age: int) -> int:
    row = WebhookDelivery(
        subscription_id=subscription.id,
        event_id=f"ev-{status}-{age}",
        event_type="employee.changed",
        occurred_at=utcnow(),
        data={},
        status=status,
    )
    db.session.add(row)
    db.session.flush()
    db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == row.id)
        .values(created_at=utcnow() - timedelta(days=age))
    )
    return row.id


def test_settled_webhook_deliveries_older_than_their_window_are_pruned(
    app: Flask, org: Org
) -> None:
    subscription = WebhookSubscription(
        url="https://penerima.example/hook", events=["employee.changed"], secret="s" * 32
    )
    db.session.add(subscription)
    db.session.flush()
    old_delivered = _delivery(subscription, DeliveryStatus.DELIVERED, 120)
    old_failed = _delivery(subscription, DeliveryStatus.FAILED, 91)
    kept = {
        _delivery(subscription, DeliveryStatus.DELIVERED, 30),
        _delivery(subscription, DeliveryStatus.PENDING, 200),  # still to be sent
        _delivery(subscription, DeliveryStatus.RETRYING, 200),
    }
    db.session.commit()

    assert prune_webhook_deliveries() == 2
    assert prune_webhook_deliveries() == 0
    left = set(db.session.scalars(select(WebhookDelivery.id)))
    assert left == kept and not {old_delivered, old_failed} & left
    app.config["KINERJA_WEBHOOK_DELIVERY_RETENTION_DAYS"] = 10
    try:
        assert prune_webhook_deliveries() == 1  # the delivered one of 30 days
    finally:
        app.config["KINERJA_WEBHOOK_DELIVERY_RETENTION_DAYS"] = 90
