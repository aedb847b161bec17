"""Use cases of the supervisor's evaluation: ratings kept as a draft, the approval with
results, a level for each qualitative indicator, each BerAKHLAK value, the overall
behaviour and feedback, and the return with a reason. The system suggests levels and
explains them; the supervisor decides, and chosen levels that differ from the suggestions
are kept beside them.

The approved evaluation of the annual report (its sub-period is ``annual``) is the year's
annual evaluation: the one a period rating is final on."""

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
from kinerja.models.ratings import UnitRating
from kinerja.models.reports import (
    BehaviourRating,
    DialogueNote,
    Evaluation,
    IndicatorLevel,
    Report,
)
from kinerja.security.policies import reports
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import use_case
from kinerja.services.mail import feedback
from kinerja.services.plans.periods import check_open
from kinerja.services.reports.achievement import progress, results_suggestion
from kinerja.services.reports.basis import BasisIndicator
from kinerja.services.reports.reports import basis_by_id, evaluation_of, given_levels
from kinerja.services.rows import lock
from kinerja.services.validation import Errors
from kinerja.services.webhooks import announce


@dataclass
class Ratings:
    """What the supervisor chose in the evaluation form (any part may still be missing)."""

    results: Level | None = None
    behaviour: Level | None = None
    values: dict[int, Level] = field(default_factory=dict)  # behaviour value id → level
    feedback: str | None = None
    # qualitative indicator id → the level given to it
    indicator_levels: dict[int, Level] = field(default_factory=dict)


@dataclass
class Preview:
    suggested_results: Level
    suggested_behaviour: Level | None
    predikat: Predikat | None
    unit_rating: UnitRating | None = None  # the unit predikat a head's suggestion follows


def value_ids_by_code() -> dict[str, int]:
    return {v.code: v.id for v in db.session.scalars(select(BehaviourValue))}


def ratings_from(
    results: Level | None,
    behaviour: Level | None,
    values: Mapping[str, Level | None],
    feedback: str | None,
    indicator_levels: Mapping[str, Level | None] | None = None,
) -> Ratings:
    """Ratings from validated input; ``values`` are keyed by BerAKHLAK code (or value id),
    ``indicator_levels`` by indicator id."""
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
    given: dict[int, Level] = {}
    for key, level in (indicator_levels or {}).items():
        if not key.isdigit() or len(key) > 9:
            errors.add("indicator_levels", N_("Unknown indicator “%(indicator)s”."), indicator=key)
        elif level is not None:
            given[int(key)] = level
    errors.raise_if_any()
    return Ratings(
        results=results,
        behaviour=behaviour,
        values=chosen,
        feedback=(feedback or "").strip() or None,
        indicator_levels=given,
    )


def qualitative_indicators(report: Report) -> list[BasisIndicator]:
    """The report's qualitative indicators, as approved: each needs a level."""
    return [i for i in basis_by_id(report).values() if i.qualitative]


def preview(report: Report, ratings: Ratings) -> Preview:
    """The suggestions and the predikat that would follow from the supervisor's choices
    (qualitative levels not chosen in the form keep those saved before)."""
    levels = list(ratings.values.values())
    suggested_behaviour = suggest_behaviour(levels) if levels else None
    behaviour = ratings.behaviour or suggested_behaviour
    given = {**given_levels(report.evaluation), **ratings.indicator_levels}
    suggestion = results_suggestion(report, given)
    results = ratings.results or suggestion.level
    return Preview(
        suggested_results=suggestion.level,
        suggested_behaviour=suggested_behaviour,
        predikat=predikat(results, behaviour) if behaviour is not None else None,
        unit_rating=suggestion.unit_rating,
    )


def _apply_indicator_levels(evaluation: Evaluation, report: Report, ratings: Ratings) -> None:
    """Keep the level of each qualitative indicator; any other indicator is refused."""
    qualitative = {i.id for i in qualitative_indicators(report)}
    errors = Errors()
    current = {r.indicator_id: r for r in evaluation.indicator_levels}
    for indicator_id, level in ratings.indicator_levels.items():
        if indicator_id not in qualitative:
            errors.add(
                "indicator_levels",
                N_("Indicator %(indicator)s is not a qualitative indicator of this report."),
                indicator=indicator_id,
            )
        elif indicator_id in current:
            current[indicator_id].level = level
        else:
            evaluation.indicator_levels.append(
                IndicatorLevel(indicator_id=indicator_id, level=level)
            )
    errors.raise_if_any()


def _apply(evaluation: Evaluation, report: Report, ratings: Ratings) -> None:
    _apply_indicator_levels(evaluation, report, ratings)
    current = {r.value_id: r for r in evaluation.ratings}
    for value_id, level in ratings.values.items():
        if value_id in current:
            current[value_id].level = level
        else:
            evaluation.ratings.append(BehaviourRating(value_id=value_id, level=level))
    levels = [r.level for r in evaluation.ratings]
    evaluation.suggested_results = results_suggestion(report, given_levels(evaluation)).level
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
    """The direct supervisor gives each qualitative indicator its level, rates the
    results, each BerAKHLAK value and the behaviour overall, writes feedback and approves.
    Approving the annual report's evaluation makes it the year's annual evaluation. The
    employee's feedback email is recorded with the approval."""
    report = _decidable(report, scope)
    check_open(report.work_plan.period)
    new_status = next_report_status(report.status, ReportAction.APPROVE)
    evaluation = evaluation_of(report)
    _apply(evaluation, report, ratings)
    errors = Errors()
    value_ids = set(db.session.scalars(select(BehaviourValue.id)))
    given = given_levels(evaluation)
    for indicator in qualitative_indicators(report):
        if indicator.id not in given:
            errors.add(
                "indicator_levels",
                N_("Give “%(indicator)s” a level: it is qualitative."),
                indicator=indicator.text,
            )
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
    marks = [feedback.IndicatorMark(p.indicator.text, p.achievement) for p in progress(report)]
    feedback.record_evaluation_feedback(evaluation, report, marks)
    announce.evaluation_approved(evaluation, report)
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
