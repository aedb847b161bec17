"""The evaluation document (*dokumen evaluasi kinerja*) of a periodic or annual evaluation:
the realizations against the targets with their achievement and level, the feedback, the
results and behaviour levels (per BerAKHLAK value), the predikat and the unit's predikat."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kinerja.domain.documents import document_name
from kinerja.domain.errors import NotFoundError
from kinerja.extensions import db
from kinerja.models.org import Employee, Unit
from kinerja.models.ratings import UnitRating
from kinerja.models.reports import Report
from kinerja.security.policies import reports, unit_ratings
from kinerja.security.policies.scope import Scope
from kinerja.services.documents.render import Document, render_pdf
from kinerja.services.documents.skp import evaluator_of, signed_on
from kinerja.services.plans.queries import behaviour_values
from kinerja.services.reports.achievement import progress
from kinerja.services.reports.evaluations import decided_levels
from kinerja.services.reports.reports import given_levels

TEMPLATE = "kinerja/documents/evaluation.html"
MAX_DEPTH = 20  # a unit tree is never deeper; a cycle in bad data stops here


def unit_rating_for(unit: Unit, period_id: int, scope: Scope) -> UnitRating | None:
    """The predikat of the employee's unit, or of the nearest unit above it that has one,
    for the period; only if one may read it (the unit predikat's own policy)."""
    current: Unit | None = unit
    for _ in range(MAX_DEPTH):
        if current is None:
            return None
        rating = db.session.scalar(
            select(UnitRating).where(
                UnitRating.unit_id == current.id, UnitRating.period_id == period_id
            )
        )
        if rating is not None:
            return rating if unit_ratings.may_read(scope, rating) else None
        current = current.parent
    return None


def evaluator_employee(report: Report) -> Employee | None:
    """Who evaluated: the employee of the user who decided, else the plan's supervisor."""
    evaluation = report.evaluation
    if evaluation is not None and evaluation.evaluator_id is not None:
        found = db.session.scalar(
            select(Employee).where(Employee.user_id == evaluation.evaluator_id)
        )
        if found is not None:
            return found
    return evaluator_of(report.work_plan.position, report.employee)


def evaluation_name(report: Report) -> str:
    sub_period = report.sub_period
    return document_name("Evaluasi", report.employee.nip, sub_period.period.year, sub_period.name)


def evaluation_context(report: Report, scope: Scope) -> dict[str, Any]:
    evaluation = report.evaluation
    plan = report.work_plan
    return {
        "report": report,
        "plan": plan,
        "employee": report.employee,
        "evaluator": evaluator_employee(report),
        "evaluation": evaluation,
        "annual": bool(report.sub_period.annual),
        "draft": evaluation is None or not evaluation.decided,
        "lines": progress(report),
        "given": given_levels(evaluation),
        "values": behaviour_values(),
        "value_levels": decided_levels(evaluation),
        "unit_rating": unit_rating_for(report.unit, plan.period_id, scope),
        "signed_on": signed_on(evaluation.decided_at if evaluation else None),
    }


def evaluation_document(report_id: int | None, scope: Scope) -> Document:
    """The evaluation document of a report whose evaluation one may see on its page (the
    supervisor deciding it; the others once it is decided); otherwise not found."""
    report = reports.readable(scope, report_id)
    if report is None or not reports.actions(scope, report).see_evaluation:
        raise NotFoundError()
    return Document(
        evaluation_name(report),
        render_pdf(TEMPLATE, evaluation_context(report, scope)),
    )
