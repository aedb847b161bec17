"""What each event says: the use cases call these with the rows they have just changed,
inside their own transaction. The data are ids and values an integrator acts on (then reads
the rows over the API if it needs more), never a whole record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from kinerja.extensions import db
from kinerja.models.org import Employee
from kinerja.models.planning import WorkPlan
from kinerja.models.ratings import Rating
from kinerja.models.reports import Evaluation, Report
from kinerja.models.webhooks import WebhookEvent
from kinerja.services.boundary import transaction
from kinerja.services.webhooks.events import emit, emit_many, subscribed


def _value(value: Any) -> Any:
    return getattr(value, "value", value)


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def report_submitted(report: Report) -> None:
    emit(
        WebhookEvent.REPORT_SUBMITTED,
        {
            "report": report.id,
            "employee": report.employee_id,
            "unit": report.unit_id,
            "work_plan": report.work_plan_id,
            "sub_period": report.sub_period_id,
            "submitted_at": _moment(report.submitted_at),
        },
    )


def evaluation_approved(evaluation: Evaluation, report: Report) -> None:
    db.session.flush()
    emit(
        WebhookEvent.EVALUATION_APPROVED,
        {
            "evaluation": evaluation.id,
            "report": report.id,
            "employee": report.employee_id,
            "unit": report.unit_id,
            "sub_period": report.sub_period_id,
            "results": _value(evaluation.results),
            "behaviour": _value(evaluation.behaviour),
            "predikat": _value(evaluation.predikat),
            "approved_at": _moment(evaluation.decided_at),
        },
    )


def plan_approved(plan: WorkPlan) -> None:
    emit(
        WebhookEvent.PLAN_APPROVED,
        {
            "work_plan": plan.id,
            "employee": plan.employee_id,
            "unit": plan.unit_id,
            "period": plan.period_id,
            "version": plan.version,
            "approved_at": _moment(plan.decided_at),
        },
    )


def employee_changed(employee: Employee, op: str) -> None:
    """``op``: ``create``, ``update`` or ``delete`` (the data of a deleted one as it was)."""
    db.session.flush()
    emit(
        WebhookEvent.EMPLOYEE_CHANGED,
        {
            "employee": employee.id,
            "op": op,
            "nip": employee.nip,
            "unit": employee.unit_id,
            "position": employee.position_id,
            "active": employee.active,
        },
    )


def final_ratings(period_id: int, unit_ids: Select[Any] | None, moment: datetime) -> int:
    """Announce the ratings a ratings run has just made final or changed while final (the
    rows it wrote carry its moment); the number announced. Its own transaction."""
    if not subscribed(WebhookEvent.RATING_FINALIZED):
        return 0
    query = select(Rating).where(
        Rating.period_id == period_id, Rating.final.is_(True), Rating.updated_at == moment
    )
    if unit_ids is not None:
        query = query.where(Rating.unit_id.in_(unit_ids))
    with transaction():
        items = [
            {
                "rating": rating.id,
                "employee": rating.employee_id,
                "unit": rating.unit_id,
                "period": rating.period_id,
                "predikat": _value(rating.predikat),
                "results": _value(rating.results),
                "behaviour": _value(rating.behaviour),
            }
            for rating in db.session.scalars(query.order_by(Rating.id))
        ]
        emit_many(WebhookEvent.RATING_FINALIZED, items)
    return len(items)
