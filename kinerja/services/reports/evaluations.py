"""Use cases of the supervisor's evaluation: ratings kept as a draft, the approval with
results, each BerAKHLAK value, the overall behaviour and feedback, and the return with a
reason. The system suggests levels and explains them; the supervisor decides, and chosen
levels that differ from the suggestions are kept beside them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from kinerja.domain.errors import N_, ConflictError, FieldErrors
from kinerja.domain.ratings import Level, Predikat, predikat, suggest_behaviour
from kinerja.domain.reporting import ReportAction, ReportStatus, next_report_status
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.planning import BehaviourValue
from kinerja.models.reports import BehaviourRating, DialogueNote, Evaluation, Report
from kinerja.security.policies import reports
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import use_case
from kinerja.services.plans.periods import check_open
from kinerja.services.reports.achievement import suggested_results
from kinerja.services.reports.reports import evaluation_of
from kinerja.services.rows import lock
from kinerja.services.validation import Errors


@dataclass
class Ratings:
    """What the supervisor chose in the evaluation form (any part may still be missing)."""

    results: Level | None = None
    behaviour: Level | None = None
    values: dict[int, Level] = field(default_factory=dict)  # behaviour value id → level
    feedback: str | None = None


@dataclass
class Preview:
    suggested_results: Level
    suggested_behaviour: Level | None
    predikat: Predikat | None


def value_ids_by_code() -> dict[str, int]:
    return {v.code: v.id for v in db.session.scalars(select(BehaviourValue))}


def ratings_from(
    results: Level | None,
    behaviour: Level | None,
    values: Mapping[str, Level | None],
    feedback: str | None,
) -> Ratings:
    """Ratings from validated input; ``values`` are keyed by BerAKHLAK code (or value id)."""
    known = value_ids_by_code()
    ids = set(known.values())
    errors = Errors()
    chosen: dict[int, Level] = {}
    for key, level in values.items():
        value_id = known.get(key) or (int(key) if key.isdigit() and int(key) in ids else None)
        if value_id is None:
            errors.add("values", N_("Unknown behaviour value “%(value)s”."), value=key)
        elif level is not None:
            chosen[value_id] = level
    errors.raise_if_any()
    return Ratings(
        results=results,
        behaviour=behaviour,
        values=chosen,
        feedback=(feedback or "").strip() or None,
    )


def preview(report: Report, ratings: Ratings) -> Preview:
    """The suggestions and the predikat that would follow from the supervisor's choices."""
    levels = list(ratings.values.values())
    suggested_behaviour = suggest_behaviour(levels) if levels else None
    behaviour = ratings.behaviour or suggested_behaviour
    suggested = suggested_results(report)
    results = ratings.results or suggested
    return Preview(
        suggested_results=suggested,
        suggested_behaviour=suggested_behaviour,
        predikat=predikat(results, behaviour) if behaviour is not None else None,
    )


def _apply(evaluation: Evaluation, report: Report, ratings: Ratings) -> None:
    current = {r.value_id: r for r in evaluation.ratings}
    for value_id, level in ratings.values.items():
        if value_id in current:
            current[value_id].level = level
        else:
            evaluation.ratings.append(BehaviourRating(value_id=value_id, level=level))
    levels = [r.level for r in evaluation.ratings]
    evaluation.suggested_results = suggested_results(report)
    evaluation.suggested_behaviour = suggest_behaviour(levels) if levels else None
    if ratings.results is not None:
        evaluation.results = ratings.results
    if ratings.behaviour is not None:
        evaluation.behaviour = ratings.behaviour
    if ratings.feedback is not None:
        evaluation.feedback = ratings.feedback


def _decidable(report: Report, scope: Scope) -> Report:
    reports.check_decide(scope, report)
    return lock(Report, report.id)


@use_case
def save_evaluation(report: Report, ratings: Ratings, scope: Scope) -> Evaluation:
    """Keep the supervisor's ratings so far, without deciding."""
    report = _decidable(report, scope)
    check_open(report.work_plan.period)
    if report.status != ReportStatus.SUBMITTED:
        raise ConflictError(
            N_("The report is “%(status)s”: there is nothing to evaluate."),
            status=ReportStatus(report.status),
        )
    evaluation = evaluation_of(report)
    _apply(evaluation, report, ratings)
    evaluation.evaluator_id = scope.user_id
    return evaluation


@use_case
def approve_report(report: Report, ratings: Ratings, scope: Scope) -> Report:
    """The direct supervisor rates the results, each BerAKHLAK value and the behaviour
    overall, writes feedback and approves."""
    report = _decidable(report, scope)
    check_open(report.work_plan.period)
    new_status = next_report_status(report.status, ReportAction.APPROVE)
    evaluation = evaluation_of(report)
    _apply(evaluation, report, ratings)
    errors = Errors()
    value_ids = set(db.session.scalars(select(BehaviourValue.id)))
    if evaluation.results is None:
        errors.add("results", N_("Rate the results."))
    if value_ids - {r.value_id for r in evaluation.ratings}:
        errors.add("values", N_("Rate each of the seven BerAKHLAK values."))
    if evaluation.behaviour is None:
        errors.add("behaviour", N_("Rate the behaviour overall."))
    if not evaluation.feedback:
        errors.add("feedback", N_("Write your feedback to the employee."))
    errors.raise_if_any()
    assert evaluation.results is not None and evaluation.behaviour is not None
    evaluation.predikat = predikat(evaluation.results, evaluation.behaviour)
    evaluation.evaluator_id = scope.user_id
    evaluation.decided_at = utcnow()
    report.status = new_status
    report.decided_at = evaluation.decided_at
    report.decided_by_id = scope.user_id
    return report


@use_case
def return_report(report: Report, reason: str | None, scope: Scope) -> Report:
    """Send the report back with the reason; the employee corrects and submits again."""
    reports.check_decide(scope, report)
    if not (reason or "").strip():
        raise FieldErrors.single("reason", N_("Say why the report goes back."))
    report = lock(Report, report.id)
    check_open(report.work_plan.period)
    report.status = next_report_status(report.status, ReportAction.RETURN)
    report.decided_at = utcnow()
    report.decided_by_id = scope.user_id
    report.return_reason = (reason or "").strip()
    db.session.add(DialogueNote(report=report, author_id=scope.user_id, text=report.return_reason))
    return report


def decided_levels(evaluation: Evaluation | None) -> dict[int, Any]:
    """The level given to each value (by value id), for showing an evaluation."""
    return {r.value_id: r.level for r in evaluation.ratings} if evaluation else {}
