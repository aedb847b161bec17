"""Use cases of reporting and evaluation: daily activities, periodic reports with their
realizations and evidence, the supervisor's evaluation, and the performance dialogue.

State changes lock the report row, so a double submission (two tabs, a retry) or two
supervisors acting at once cannot both succeed: the second one meets the new state and
gets a :class:`ConflictError` (HTTP 409). Files are written to the store before the row is
committed and removed again if the commit fails, so a failed upload leaves the report as
it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import IO, Any
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import func, select

from kinerja.domain.errors import N_, ConflictError, DomainError, FieldErrors
from kinerja.domain.planning import Direction, PlanStatus
from kinerja.domain.ratings import (
    Level,
    accumulate,
    achievement,
    indicator_level,
    periodic_target,
    predikat,
    suggest_behaviour,
    suggest_results,
)
from kinerja.domain.reporting import (
    EvidenceKind,
    ReportAction,
    ReportStatus,
    activity_day_problem,
    activity_locked,
    next_report_status,
)
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.planning import (
    BehaviourValue,
    Indicator,
    Objective,
    Period,
    SubPeriod,
    WorkPlan,
)
from kinerja.models.reports import (
    Activity,
    Attachment,
    BehaviourRating,
    DialogueNote,
    Evaluation,
    Evidence,
    Realization,
    Report,
)
from kinerja.security.scopes import (
    Scope,
    is_within,
    own_indicator_condition,
    plan_manage_condition,
    report_decide_condition,
    report_manage_condition,
)
from kinerja.services import commit
from kinerja.services.planning import _decimal, _ensure_period_open, _lock
from kinerja.services.validation import Errors, require
from kinerja.storage import FileStore, StoredFile, UploadRejected, default_store

NOT_FOUND = N_("Not found or not within your reach.")
MAX_NOTE = 5000


def file_store() -> FileStore:
    return default_store(current_app.config)


def today() -> date:
    """The working day in the instance's time zone (an activity logged at 06:00 WIB is
    today's, although it is still yesterday in UTC)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")
    return utcnow().astimezone(zone).date()


# --- files ----------------------------------------------------------------------------------


def store_upload(stream: IO[bytes], filename: str | None, scope: Scope) -> Attachment:
    """Keep an uploaded file (type checked from its content, size limited) as an attachment
    row; the caller's commit makes it permanent, :func:`discard_uncommitted` undoes it."""
    try:
        stored: StoredFile = file_store().save(stream, filename)  # type: ignore[arg-type]
    except UploadRejected as exc:
        raise FieldErrors({"file": [exc]}) from None
    attachment = Attachment(
        key=stored.key,
        original_name=stored.original_name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by_id=scope.user_id,
    )
    db.session.add(attachment)
    return attachment


def commit_with_files(new_files: Iterable[Attachment]) -> None:
    """Commit; if that fails, remove the files written for it (nothing half-kept)."""
    files = [a.key for a in new_files]
    try:
        commit()
    except Exception:
        db.session.rollback()
        for key in files:
            file_store().delete(key)
        raise


def remove_files(keys: Iterable[str]) -> None:
    """After a committed delete: the rows are gone, now their own files go too."""
    store = file_store()
    for key in keys:
        try:
            store.delete(key)
        except (OSError, ValueError):
            current_app.logger.warning("could not remove stored file %s", key)


# --- daily activities -----------------------------------------------------------------------


def edit_days() -> int:
    return int(current_app.config.get("KINERJA_ACTIVITY_EDIT_DAYS", 7))


def validate_activity(activity: Activity, scope: Scope) -> None:
    errors = Errors()
    with db.session.no_autoflush:
        if activity.employee_id is None and activity.employee is None:
            if not scope.is_employee:
                raise FieldErrors.single("employee", N_("Only employees keep a daily log."))
            activity.employee_id = scope.employee_id
        owner_id = activity.employee.id if activity.employee is not None else activity.employee_id
        if not scope.manages_all and owner_id != scope.employee_id:
            raise FieldErrors.single("employee", NOT_FOUND)
        if require(errors, "day", activity.day):
            problem = activity_day_problem(activity.day, today(), edit_days())
            if problem is not None:
                errors["day"].append(problem)
        if require(errors, "description", activity.description):
            activity.description = activity.description.strip()
            if len(activity.description) > MAX_NOTE:
                errors.add("description", N_("At most %(count)d characters."), count=MAX_NOTE)
        minutes = activity.duration_minutes
        if require(errors, "duration_minutes", minutes):
            if isinstance(minutes, bool) or not isinstance(minutes, int | Decimal | float):
                errors.add("duration_minutes", N_("Enter the duration in minutes."))
            elif not 1 <= int(minutes) <= 1440:
                errors.add("duration_minutes", N_("Enter between 1 and 1440 minutes."))
        indicator_id = (
            activity.indicator.id if activity.indicator is not None else activity.indicator_id
        )
        if indicator_id is not None and not is_within(
            own_indicator_condition(_owner_scope(scope, owner_id)), Indicator, indicator_id
        ):
            errors.add("indicator", N_("Choose an indicator of your own plan."))
    errors.raise_if_any()


def _owner_scope(scope: Scope, owner_id: int | None) -> Scope:
    """The owner's view of their plans (an Admin entering for someone uses the owner's)."""
    if owner_id == scope.employee_id:
        return scope
    from kinerja.security import roles

    return Scope(user_id=None, role_names=frozenset({roles.EMPLOYEE}), employee_id=owner_id)


def save_activity(
    activity: Activity,
    scope: Scope,
    upload: IO[bytes] | None = None,
    filename: str | None = None,
) -> None:
    """Log or change an activity (within the editing window), with an optional attachment
    that replaces the previous one."""
    if activity.id is not None:
        _ensure_activity_open(activity)
    validate_activity(activity, scope)
    new_files: list[Attachment] = []
    old_key = None
    if upload is not None:
        if activity.attachment is not None:
            old_key = activity.attachment.key
            db.session.delete(activity.attachment)
        activity.attachment = store_upload(upload, filename, scope)
        new_files.append(activity.attachment)
    db.session.add(activity)
    commit_with_files(new_files)
    if old_key:
        remove_files([old_key])


def _ensure_activity_open(activity: Activity) -> None:
    committed_day = db.session.scalar(select(Activity.day).where(Activity.id == activity.id))
    if committed_day is not None and activity_locked(committed_day, today(), edit_days()):
        raise ConflictError(
            N_("This activity is older than %(days)d days: it is locked."), days=edit_days()
        )


def delete_activity(activity: Activity, scope: Scope) -> None:
    _ensure_activity_open(activity)
    key = activity.attachment.key if activity.attachment is not None else None
    if activity.attachment is not None:
        db.session.delete(activity.attachment)
    db.session.delete(activity)
    commit()
    if key:
        remove_files([key])


def team_activities(employee_ids: Any, since: date, until: date | None = None) -> list[Activity]:
    """Activities of the given people from ``since`` (to ``until``), newest first."""
    from sqlalchemy.orm import selectinload

    query = select(Activity).where(Activity.employee_id.in_(employee_ids), Activity.day >= since)
    if until is not None:
        query = query.where(Activity.day <= until)
    return list(
        db.session.scalars(
            query.options(
                selectinload(Activity.employee), selectinload(Activity.indicator)
            ).order_by(Activity.day.desc(), Activity.created_at.desc())
        )
    )


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


# --- reports --------------------------------------------------------------------------------


def plan_is_approved(plan: WorkPlan) -> bool:
    """A plan can be reported on once a version of it was approved (a revision under way
    keeps the approved indicators in force)."""
    return plan.status == PlanStatus.APPROVED or bool(plan.versions)


def start_report(plan: WorkPlan | None, sub_period: SubPeriod | None, scope: Scope) -> Report:
    """Open the report of a sub-period, with a realization line for every indicator."""
    errors = Errors()
    if plan is None or not is_within(plan_manage_condition(scope), WorkPlan, plan.id):
        raise FieldErrors.single("work_plan", NOT_FOUND)
    if sub_period is None or sub_period.period_id != plan.period_id:
        raise FieldErrors.single("sub_period", N_("Choose a sub-period of the plan's period."))
    _ensure_period_open(plan.period)
    if not plan_is_approved(plan):
        errors.add("work_plan", N_("The work plan must be approved before reporting on it."))
    if sub_period.starts_on > today():
        errors.add(
            "sub_period",
            N_("%(name)s has not started yet."),
            name=sub_period.name,
        )
    existing = db.session.scalar(
        select(Report.id).where(
            Report.work_plan_id == plan.id, Report.sub_period_id == sub_period.id
        )
    )
    if existing is not None:
        errors.add(
            "sub_period", N_("The report for %(name)s exists already."), name=sub_period.name
        )
    errors.raise_if_any()
    report = Report(
        work_plan=plan,
        sub_period=sub_period,
        employee_id=plan.employee_id,
        unit_id=plan.unit_id,
        status=ReportStatus.DRAFT,
        plan_version=plan.version if plan.status == PlanStatus.APPROVED else plan.version - 1,
    )
    report.realizations = [
        Realization(indicator_id=indicator.id)
        for objective in plan.objectives
        for indicator in objective.indicators
    ]
    db.session.add(report)
    commit()
    return report


def ensure_report_editable(report: Report) -> None:
    _ensure_period_open(report.work_plan.period)
    if not ReportStatus(report.status).editable:
        raise ConflictError(
            N_("The report is “%(status)s”: it cannot be changed."),
            status=ReportStatus(report.status),
        )


def _ensure_writer(report: Report, scope: Scope) -> None:
    if not is_within(report_manage_condition(scope), Report, report.id):
        raise PermissionError("only the report's owner writes it")


def sync_realizations(report: Report) -> None:
    """Indicators added to the plan since the report began get their line too."""
    have = {r.indicator_id for r in report.realizations}
    for objective in report.work_plan.objectives:
        for indicator in objective.indicators:
            if indicator.id not in have:
                report.realizations.append(Realization(indicator_id=indicator.id))


def save_report(
    report: Report,
    values: Mapping[int, Any],
    scope: Scope,
    note: str | None = None,
    notes: Mapping[int, str | None] | None = None,
) -> None:
    """Keep the realizations entered so far (a draft may be incomplete); ``values`` maps
    indicator ids to numbers, an empty value clears one."""
    _ensure_writer(report, scope)
    ensure_report_editable(report)
    errors = Errors()
    lines = {r.indicator_id: r for r in report.realizations}
    for indicator_id, raw in values.items():
        line = lines.get(indicator_id)
        if line is None:
            errors.add(f"value_{indicator_id}", N_("Not an indicator of this report."))
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            line.value = None
            continue
        number = _decimal(str(raw).strip().replace(",", ".") if isinstance(raw, str) else raw)
        if number is None:
            errors.add(f"value_{indicator_id}", N_("Enter a number."))
        elif number < 0:
            errors.add(f"value_{indicator_id}", N_("The realization cannot be negative."))
        else:
            line.value = number.quantize(Decimal("0.01"))
    for indicator_id, text in (notes or {}).items():
        if indicator_id in lines:
            lines[indicator_id].note = (text or "").strip() or None
    if note is not None:
        if len(note) > MAX_NOTE:
            errors.add("note", N_("At most %(count)d characters."), count=MAX_NOTE)
        report.note = note.strip() or None
    errors.raise_if_any()
    commit()


def add_evidence(
    report: Report,
    scope: Scope,
    *,
    upload: IO[bytes] | None = None,
    filename: str | None = None,
    url: str | None = None,
    description: str | None = None,
    indicator_id: int | None = None,
) -> Evidence:
    """Attach a file or a link to a report (while the employee holds it)."""
    _ensure_writer(report, scope)
    ensure_report_editable(report)
    errors = Errors()
    if indicator_id is not None and indicator_id not in {
        r.indicator_id for r in report.realizations
    }:
        errors.add("indicator", N_("Not an indicator of this report."))
    description = (description or "").strip()[:300] or None
    if upload is None:
        url = (url or "").strip()
        parts = urlsplit(url)
        if not url:
            errors.add("url", N_("Choose a file or enter a link."))
        elif parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 1000:
            errors.add("url", N_("Enter a full web address starting with https://."))
    errors.raise_if_any()
    evidence = Evidence(
        report=report, indicator_id=indicator_id, description=description, kind=EvidenceKind.LINK
    )
    new_files: list[Attachment] = []
    if upload is not None:
        evidence.kind = EvidenceKind.FILE
        evidence.attachment = store_upload(upload, filename, scope)
        new_files.append(evidence.attachment)
    else:
        evidence.url = url
    db.session.add(evidence)
    commit_with_files(new_files)
    return evidence


def delete_evidence(evidence: Evidence, scope: Scope) -> None:
    """Remove one piece of evidence and its own file; nobody else's file is touched."""
    report = evidence.report
    _ensure_writer(report, scope)
    ensure_report_editable(report)
    key = evidence.attachment.key if evidence.attachment is not None else None
    attachment = evidence.attachment
    db.session.delete(evidence)
    if attachment is not None:
        db.session.flush()
        db.session.delete(attachment)
    commit()
    if key:
        remove_files([key])


def delete_report(report: Report, scope: Scope) -> None:
    """A draft that was never submitted can be thrown away with its evidence."""
    _ensure_writer(report, scope)
    _ensure_period_open(report.work_plan.period)
    if report.status != ReportStatus.DRAFT or report.evaluation is not None:
        raise ConflictError(N_("Only a draft that was never submitted can be deleted."))
    keys = [e.attachment.key for e in report.evidence if e.attachment is not None]
    attachments = [e.attachment for e in report.evidence if e.attachment is not None]
    db.session.delete(report)
    db.session.flush()
    for attachment in attachments:
        db.session.delete(attachment)
    commit()
    remove_files(keys)


def completeness_problems(report: Report) -> list[DomainError]:
    problems: list[DomainError] = []
    if not report.realizations:
        problems.append(DomainError(N_("The plan has no indicators to report on.")))
    for line in report.realizations:
        if line.value is None:
            problems.append(
                DomainError(
                    N_("Enter the realization of “%(indicator)s”."), indicator=line.indicator.text
                )
            )
    return problems


def submit_report(report: Report, scope: Scope) -> Report:
    """Hand the complete report to the direct supervisor: it enters their queue. The report
    row is locked first, so two submissions at once make one evaluation and one 409."""
    _ensure_writer(report, scope)
    report = _lock(Report, report.id)
    _ensure_period_open(report.work_plan.period)
    new_status = next_report_status(report.status, ReportAction.SUBMIT)
    sync_realizations(report)
    problems = completeness_problems(report)
    if problems:
        raise FieldErrors({"realizations": problems})
    report.status = new_status
    report.submitted_at = utcnow()
    report.return_reason = None
    suggestion = suggested_results(report)
    evaluation = _evaluation_of(report)
    evaluation.suggested_results = suggestion
    commit()
    return report


# --- achievement ----------------------------------------------------------------------------


@dataclass
class IndicatorProgress:
    """One indicator in a report: this sub-period's value, the year to date by the
    indicator's accumulation, the target due by now, the achievement and its level."""

    indicator: Indicator
    objective: Objective
    realization: Realization | None
    to_date: Decimal | None
    target_to_date: Decimal
    achievement: float | None
    level: Level | None


def thresholds() -> tuple[int, int]:
    config = current_app.config
    return int(config.get("KINERJA_LEVEL_ABOVE_AT", 105)), int(
        config.get("KINERJA_LEVEL_EXPECTED_AT", 95)
    )


def progress(report: Report) -> list[IndicatorProgress]:
    """Achievement per indicator, computed by the rules of :mod:`kinerja.domain.ratings`."""
    sub_period = report.sub_period
    count = (
        db.session.scalar(select(func.count()).where(SubPeriod.period_id == sub_period.period_id))
        or 1
    )
    history: dict[int, list[tuple[int, Decimal | None]]] = {}
    rows = db.session.execute(
        select(Realization.indicator_id, SubPeriod.number, Realization.value)
        .join(Report, Report.id == Realization.report_id)
        .join(SubPeriod, SubPeriod.id == Report.sub_period_id)
        .where(Report.work_plan_id == report.work_plan_id, SubPeriod.number <= sub_period.number)
        .order_by(SubPeriod.number)
    )
    for indicator_id, number, value in rows:
        history.setdefault(indicator_id, []).append((number, value))
    above_at, expected_at = thresholds()
    lines = {r.indicator_id: r for r in report.realizations}
    result = []
    for objective in report.work_plan.objectives:
        for indicator in objective.indicators:
            values = [v for _, v in history.get(indicator.id, [])]
            to_date = accumulate(values, indicator.accumulation)
            target = periodic_target(
                indicator.target, indicator.accumulation, sub_period.number, count
            )
            percent = (
                achievement(target, to_date, indicator.direction == Direction.LESS_IS_BETTER)
                if to_date is not None
                else None
            )
            result.append(
                IndicatorProgress(
                    indicator=indicator,
                    objective=objective,
                    realization=lines.get(indicator.id),
                    to_date=to_date,
                    target_to_date=target,
                    achievement=percent,
                    level=(
                        indicator_level(percent, above_at, expected_at)
                        if percent is not None
                        else None
                    ),
                )
            )
    return result


def suggested_results(report: Report) -> Level:
    from kinerja.domain.planning import ObjectiveKind

    above_at, expected_at = thresholds()
    return suggest_results(
        (
            (line.achievement, line.objective.kind == ObjectiveKind.MAIN)
            for line in progress(report)
            if line.achievement is not None
        ),
        above_at,
        expected_at,
    )


# --- evaluation -----------------------------------------------------------------------------


@dataclass
class Ratings:
    """What the supervisor chose in the evaluation form (any part may still be missing)."""

    results: Level | None = None
    behaviour: Level | None = None
    values: dict[int, Level] | None = None  # behaviour value id → level
    feedback: str | None = None


@dataclass
class Preview:
    suggested_results: Level
    suggested_behaviour: Level | None
    predikat: Any  # Predikat | None


def parse_ratings(
    results: Any, behaviour: Any, values: Mapping[Any, Any], feedback: Any
) -> tuple[Ratings, Errors]:
    """Read the form or JSON body; values may be keyed by value id or BerAKHLAK code."""
    errors = Errors()
    ratings = Ratings(values={}, feedback=(feedback or "").strip() or None)
    for name, raw in (("results", results), ("behaviour", behaviour)):
        if raw in (None, ""):
            continue
        try:
            setattr(ratings, name, Level(raw))
        except ValueError:
            errors.add(name, N_("Not a valid choice."))
    known = {v.id: v for v in db.session.scalars(select(BehaviourValue))}
    by_code = {v.code: v.id for v in known.values()}
    for key, raw in values.items():
        value_id = by_code.get(str(key)) or (int(key) if str(key).isdigit() else None)
        if value_id not in known:
            errors.add("values", N_("Unknown behaviour value “%(value)s”."), value=str(key))
            continue
        if raw in (None, ""):
            continue
        try:
            ratings.values[value_id] = Level(raw)  # type: ignore[index]
        except ValueError:
            errors.add(f"value_{known[value_id].code}", N_("Not a valid choice."))
    return ratings, errors


def preview(report: Report, ratings: Ratings) -> Preview:
    """The suggestions and the predikat that would follow from the supervisor's choices."""
    value_levels = list((ratings.values or {}).values())
    suggested_behaviour = suggest_behaviour(value_levels) if value_levels else None
    behaviour = ratings.behaviour or suggested_behaviour
    suggested = suggested_results(report)
    results = ratings.results or suggested
    return Preview(
        suggested_results=suggested,
        suggested_behaviour=suggested_behaviour,
        predikat=predikat(results, behaviour) if behaviour is not None else None,
    )


def _ensure_decider(report: Report, scope: Scope) -> None:
    if not is_within(report_decide_condition(scope), Report, report.id):
        raise PermissionError("only the direct supervisor evaluates a report")


def _apply_ratings(evaluation: Evaluation, report: Report, ratings: Ratings) -> None:
    current = {r.value_id: r for r in evaluation.ratings}
    for value_id, level in (ratings.values or {}).items():
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


def save_evaluation(report: Report, ratings: Ratings, scope: Scope) -> Evaluation:
    """Keep the supervisor's ratings so far, without deciding."""
    _ensure_decider(report, scope)
    report = _lock(Report, report.id)
    if report.status != ReportStatus.SUBMITTED:
        raise ConflictError(
            N_("The report is “%(status)s”: there is nothing to evaluate."),
            status=ReportStatus(report.status),
        )
    evaluation = _evaluation_of(report)
    _apply_ratings(evaluation, report, ratings)
    evaluation.evaluator_id = scope.user_id
    commit()
    return evaluation


def _evaluation_of(report: Report) -> Evaluation:
    """The report's one evaluation, made at its first submission (the row lock held by the
    caller and the unique constraint keep it one)."""
    if report.evaluation is None:
        report.evaluation = Evaluation(employee_id=report.employee_id)
        db.session.add(report.evaluation)
    return report.evaluation


def approve_report(report: Report, ratings: Ratings, scope: Scope) -> Report:
    """The direct supervisor rates results and each BerAKHLAK value, writes feedback and
    approves. Chosen levels that differ from the suggestions are kept beside them."""
    _ensure_decider(report, scope)
    report = _lock(Report, report.id)
    _ensure_period_open(report.work_plan.period)
    new_status = next_report_status(report.status, ReportAction.APPROVE)
    evaluation = _evaluation_of(report)
    _apply_ratings(evaluation, report, ratings)
    errors = Errors()
    value_ids = set(db.session.scalars(select(BehaviourValue.id)))
    rated = {r.value_id for r in evaluation.ratings}
    if evaluation.results is None:
        errors.add("results", N_("Rate the results."))
    if value_ids - rated:
        errors.add("values", N_("Rate each of the seven BerAKHLAK values."))
    if evaluation.behaviour is None and evaluation.suggested_behaviour is not None:
        evaluation.behaviour = evaluation.suggested_behaviour
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
    commit()
    return report


def return_report(report: Report, reason: str | None, scope: Scope) -> Report:
    """Send the report back with the reason; the employee corrects and submits again."""
    _ensure_decider(report, scope)
    if not (reason or "").strip():
        raise FieldErrors.single("reason", N_("Say why the report goes back."))
    report = _lock(Report, report.id)
    _ensure_period_open(report.work_plan.period)
    report.status = next_report_status(report.status, ReportAction.RETURN)
    report.decided_at = utcnow()
    report.decided_by_id = scope.user_id
    report.return_reason = (reason or "").strip()
    db.session.add(
        DialogueNote(
            report=report,
            author_id=scope.user_id,
            text=report.return_reason,
        )
    )
    commit()
    return report


# --- performance dialogue -------------------------------------------------------------------


def may_talk(report: Report, scope: Scope) -> bool:
    """The employee and the direct supervisor hold the dialogue (and the Admin)."""
    return (
        scope.manages_all
        or report.employee_id == scope.employee_id
        or is_within(report_decide_condition(scope), Report, report.id)
    )


def add_note(report: Report, text: str | None, scope: Scope) -> DialogueNote:
    if not may_talk(report, scope):
        raise PermissionError("only the employee and the supervisor hold the dialogue")
    text = (text or "").strip()
    if not text:
        raise FieldErrors.single("text", N_("This field is required."))
    if len(text) > MAX_NOTE:
        raise FieldErrors.single("text", N_("At most %(count)d characters."), count=MAX_NOTE)
    note = DialogueNote(report=report, author_id=scope.user_id, text=text)
    db.session.add(note)
    commit()
    return note


# --- queue and lists ------------------------------------------------------------------------


def queue_for(scope: Scope) -> Any:
    """Submitted reports of one's direct subordinates, oldest first."""
    return (
        select(Report)
        .where(Report.status == ReportStatus.SUBMITTED, report_decide_condition(scope))
        .order_by(Report.submitted_at)
    )


def queue_count(scope: Scope) -> int:
    if not scope.is_supervisor:
        return 0
    return (
        db.session.scalar(
            select(func.count()).select_from(queue_for(scope).order_by(None).subquery())
        )
        or 0
    )


def reportable_sub_periods(plan: WorkPlan) -> list[tuple[SubPeriod, Report | None]]:
    """The plan's sub-periods with their reports (None where none was started)."""
    reports = {
        r.sub_period_id: r
        for r in db.session.scalars(select(Report).where(Report.work_plan_id == plan.id))
    }
    sub_periods = db.session.scalars(
        select(SubPeriod).where(SubPeriod.period_id == plan.period_id).order_by(SubPeriod.number)
    )
    return [(s, reports.get(s.id)) for s in sub_periods]


def own_plans(scope: Scope) -> list[WorkPlan]:
    if scope.employee_id is None:
        return []
    return list(
        db.session.scalars(
            select(WorkPlan)
            .join(Period)
            .where(WorkPlan.employee_id == scope.employee_id)
            .order_by(Period.year.desc())
        )
    )
