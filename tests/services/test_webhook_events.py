"""The use cases announce their events to the subscribed receivers, in their own
transaction: a report submitted, an evaluation and a plan approved, an employee changed,
ratings made final by a ratings run (once: a run that changes nothing announces nothing)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kinerja.domain.planning import Aspect
from kinerja.domain.ratings import Level
from kinerja.extensions import db
from kinerja.models.webhooks import WebhookDelivery, WebhookEvent, WebhookSubscription
from kinerja.security.policies import SYSTEM, scope_for_user
from kinerja.services.plans import workflow
from kinerja.services.ratings.compute import compute_period_ratings
from kinerja.services.reports import evaluations
from kinerja.services.webhooks.subscriptions import save_subscription
from tests.annual import all_values
from tests.factories import Org, Planning, Reporting, draft_plan, submitted_report
from tests.ratings_factories import Spec, annual, evaluate, open_period, plan, regular, report


def _subscribe(*events: WebhookEvent) -> None:
    save_subscription(
        WebhookSubscription(url="https://tpp.example/hook", events=[e.value for e in events]),
        SYSTEM,
    )


def _events() -> list[tuple[str, dict[str, Any]]]:
    db.session.expire_all()
    return [
        (d.event_type, d.data)
        for d in db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))
    ]


def test_submitting_and_approving_a_report_announce_it(
    org: Org, planning: Planning, reporting: Reporting
) -> None:
    _subscribe(WebhookEvent.REPORT_SUBMITTED, WebhookEvent.EVALUATION_APPROVED)
    report = submitted_report(reporting)
    ratings = evaluations.Ratings(
        results=Level.ABOVE, behaviour=Level.AS_EXPECTED, values=all_values(), feedback="Baik."
    )
    evaluations.approve_report(report, ratings, scope_for_user(planning.kasi))
    (submitted, submitted_data), (approved, approved_data) = _events()
    assert (submitted, submitted_data["report"], submitted_data["employee"]) == (
        "report.submitted",
        report.id,
        org.employees.epid1.id,
    )
    assert approved == "evaluation.approved"
    assert (approved_data["evaluation"], approved_data["results"]) == (
        report.evaluation.id,
        "above",
    )
    assert approved_data["predikat"] == report.evaluation.predikat.value


def test_approving_a_plan_announces_it_and_nobody_subscribed_means_no_delivery(
    org: Org, planning: Planning
) -> None:
    _subscribe(WebhookEvent.EMPLOYEE_CHANGED)  # not to plans
    first = draft_plan(
        org.employees.epid2, planning.period, ["Analisis"], [planning.kasi_plan.objectives[0]]
    )
    db.session.commit()
    workflow.submit_plan(first, SYSTEM)
    workflow.approve_plan(first, scope_for_user(planning.kasi))
    assert _events() == []

    _subscribe(WebhookEvent.PLAN_APPROVED)
    second = draft_plan(
        org.employees.epid1, planning.period, ["Laporan"], [planning.kasi_plan.objectives[0]]
    )
    db.session.commit()
    workflow.submit_plan(second, SYSTEM)
    workflow.approve_plan(second, scope_for_user(planning.kasi))
    ((event, data),) = _events()
    assert (event, data["work_plan"], data["version"]) == ("plan.approved", second.id, 1)


def test_a_ratings_run_announces_each_rating_made_final_once(org: Org) -> None:
    _subscribe(WebhookEvent.RATING_FINALIZED)
    period = open_period()
    work_plan = plan(org.employees.epid1, period, [Spec(Aspect.QUANTITY, 12)])
    for sub_period in regular(period):
        report(work_plan, sub_period, [3])
    evaluate(report(work_plan, annual(period), [None]), Level.AS_EXPECTED, Level.ABOVE)
    plan(org.employees.epid2, period, [Spec(Aspect.QUANTITY, 12)])  # provisional: not final

    compute_period_ratings(period.id, None, SYSTEM)
    ((event, data),) = _events()
    assert (event, data["employee"], data["period"]) == (
        "rating.finalized",
        org.employees.epid1.id,
        period.id,
    )
    compute_period_ratings(period.id, None, SYSTEM)  # nothing changed
    assert len(_events()) == 1
