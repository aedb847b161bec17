"""Formal feedback by email (never declined): to the employee when the supervisor approves
an evaluation, and when the period rating becomes final — predikat, results and behaviour
levels, the supervisor's feedback, the strongest and weakest indicator by achievement, the
employee's top recommended trainings of the year (when the recommendation job has computed
any), and a link to the page.

The evaluation's email is recorded by the approval itself (same transaction); the final
ratings' emails by the ratings run, set-based: the final ratings whose email is not
recorded yet are found by one query (their key computed in SQL), then a few queries per
batch, however many employees.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, String, and_, case, cast, exists, literal, or_, select

from kinerja.domain.errors import N_
from kinerja.extensions import db
from kinerja.models.competency import Recommendation, Training
from kinerja.models.mail import EmailKind, OutgoingEmail
from kinerja.models.org import Employee
from kinerja.models.planning import Indicator, Period, SubPeriod
from kinerja.models.ratings import Rating
from kinerja.models.reports import Evaluation, Report
from kinerja.services.boundary import transaction
from kinerja.services.mail import compose

BATCH = 1000
TRAININGS_IN_EMAIL = 3
EVALUATION_SUBJECT = N_("Your supervisor has evaluated your report for %(sub_period)s")
RATING_SUBJECT = N_("Your performance rating for %(period)s is final")


@dataclass(frozen=True)
class IndicatorMark:
    """An indicator and its achievement (percent), to pick the strongest and weakest."""

    text: str
    achievement: float | None


def extremes(marks: Iterable[IndicatorMark]) -> tuple[IndicatorMark | None, IndicatorMark | None]:
    """The strongest and the weakest indicator by achievement (the weakest only when it is
    another indicator than the strongest); indicators without an achievement do not count."""
    measured = [m for m in marks if m.achievement is not None]
    if not measured:
        return None, None
    strongest = max(measured, key=lambda m: m.achievement or 0.0)
    weakest = min(measured, key=lambda m: m.achievement or 0.0)
    return strongest, (weakest if weakest is not strongest else None)


@dataclass(frozen=True)
class RecommendedTraining:
    """A training recommended to the employee, as the email names it."""

    title: str
    jp: int
    gap_closed: int


def recommended_trainings(
    employee_ids: Iterable[int], year: int
) -> dict[int, list[RecommendedTraining]]:
    """Each employee's best :data:`TRAININGS_IN_EMAIL` recommendations of ``year`` or, when
    that year has none yet, of the latest later year computed (one query for a batch)."""
    rows = db.session.execute(
        select(
            Recommendation.employee_id,
            Recommendation.year,
            Training.title,
            Training.jp,
            Recommendation.gap_closed,
        )
        .join(Training, Training.id == Recommendation.training_id)
        .where(
            Recommendation.employee_id.in_(list(employee_ids)),
            Recommendation.year >= year,
            Recommendation.rank <= TRAININGS_IN_EMAIL,
            Training.active.is_(True),
        )
        .order_by(Recommendation.employee_id, Recommendation.year, Recommendation.rank)
    ).tuples()
    found: dict[int, list[RecommendedTraining]] = {}
    years: dict[int, int] = {}
    for employee_id, row_year, title, jp, closed in rows:
        if years.setdefault(employee_id, row_year) == row_year:
            found.setdefault(employee_id, []).append(RecommendedTraining(title, jp, closed))
    return found


def record_evaluation_feedback(
    evaluation: Evaluation, report: Report, marks: Sequence[IndicatorMark]
) -> list[int]:
    """Record the feedback email of an approved evaluation (inside the approval's use
    case); nothing for an employee no email reaches."""
    recipient = compose.employee_recipients([report.employee_id]).get(report.employee_id)
    if recipient is None:
        return []
    strongest, weakest = extremes(marks)
    sub_period = str(report.sub_period)
    year = db.session.scalar(
        select(Period.year)
        .join(SubPeriod, SubPeriod.period_id == Period.id)
        .where(SubPeriod.id == report.sub_period_id)
    )
    trainings = recommended_trainings([report.employee_id], year or 0)
    draft = compose.Draft(
        EmailKind.FEEDBACK,
        recipient,
        f"evaluation {evaluation.id}",
        "feedback",
        EVALUATION_SUBJECT,
        {"sub_period": sub_period},
        {
            "sub_period": sub_period,
            "predikat": evaluation.predikat,
            "results": evaluation.results,
            "behaviour": evaluation.behaviour,
            "feedback": evaluation.feedback,
            "strongest": strongest,
            "weakest": weakest,
            "trainings": trainings.get(report.employee_id, []),
            "url": compose.link(f"/report/{report.id}/"),
        },
    )
    return compose.record([draft])


def _key(rating_id: Any, employee: Any) -> Any:
    """The key :class:`compose.Draft` gives a final rating's email, in SQL."""
    ref = case(
        (employee.user_id.is_not(None), literal("u") + cast(employee.user_id, String)),
        else_=literal("e") + cast(employee.id, String),
    )
    return (
        literal(f"{EmailKind.RATING.value}:")
        + ref
        + literal(":rating ")
        + cast(rating_id, String)
        + literal(" final")
    )


def unsent_final_ratings(period_id: int, unit_ids: Select[Any] | None) -> list[int]:
    """The final ratings of the period (in ``unit_ids``) whose email is not recorded, of
    employees an email may reach."""
    recorded = exists().where(OutgoingEmail.key == _key(Rating.id, Employee))
    query = (
        select(Rating.id)
        .join(Employee, Employee.id == Rating.employee_id)
        .where(
            Rating.period_id == period_id,
            Rating.final.is_(True),
            Rating.predikat.is_not(None),
            or_(Employee.email.is_not(None), Employee.user_id.is_not(None)),
            ~recorded,
        )
        .order_by(Rating.id)
    )
    if unit_ids is not None:
        query = query.where(Rating.unit_id.in_(unit_ids))
    return list(db.session.scalars(query))


def record_final_ratings(period_id: int, unit_ids: Select[Any] | None) -> int:
    """Record the email of every final rating not told yet, batch by batch (each batch
    its own transaction); the number recorded."""
    recorded = 0
    pending = unsent_final_ratings(period_id, unit_ids)
    period = db.session.execute(
        select(Period.name, Period.year).where(Period.id == period_id)
    ).one_or_none()
    period_name, year = (period.name, period.year) if period else ("", 0)
    for start in range(0, len(pending), BATCH):
        with transaction():
            recorded += len(_record_ratings(pending[start : start + BATCH], period_name, year))
    return recorded


def _record_ratings(rating_ids: Sequence[int], period_name: str, year: int) -> list[int]:
    ratings = db.session.scalars(select(Rating).where(Rating.id.in_(rating_ids))).all()
    recipients = compose.employee_recipients(r.employee_id for r in ratings)
    trainings = recommended_trainings((r.employee_id for r in ratings), year)
    marks = {k: v for r in ratings for k, v in _marks(r).items()}
    texts = dict(
        db.session.execute(
            select(Indicator.id, Indicator.text).where(
                Indicator.id.in_({i for i, _ in marks.values()})
            )
        )
        .tuples()
        .all()
    )
    evaluation_ids = {e for r in ratings if isinstance(e := _stored(r).get("evaluation"), int)}
    feedback = dict(
        db.session.execute(
            select(Evaluation.id, Evaluation.feedback).where(
                and_(Evaluation.id.in_(evaluation_ids), Evaluation.decided_at.is_not(None))
            )
        )
        .tuples()
        .all()
    )
    drafts = []
    for rating in ratings:
        recipient = recipients.get(rating.employee_id)
        if recipient is None:
            continue
        ends = [
            IndicatorMark(texts[found[0]], found[1])
            if (found := marks.get((rating.id, end))) and found[0] in texts
            else None
            for end in ("strongest", "weakest")
        ]
        drafts.append(
            compose.Draft(
                EmailKind.RATING,
                recipient,
                f"rating {rating.id} final",
                "rating",
                RATING_SUBJECT,
                {"period": period_name},
                {
                    "period": period_name,
                    "predikat": rating.predikat,
                    "results": rating.results,
                    "behaviour": rating.behaviour,
                    "feedback": feedback.get(_stored(rating).get("evaluation") or 0),
                    "strongest": ends[0],
                    "weakest": ends[1] if ends[1] != ends[0] else None,
                    "trainings": trainings.get(rating.employee_id, []),
                    "url": compose.link(f"/ratings/show/{rating.id}"),
                },
            )
        )
    return compose.record(drafts)


def _stored(rating: Rating) -> dict[str, Any]:
    return rating.explanation if isinstance(rating.explanation, dict) else {}


def _marks(rating: Rating) -> dict[tuple[int, str], tuple[int, float | None]]:
    """The strongest and weakest indicator the ratings job kept in the explanation."""
    found = {}
    for end in ("strongest", "weakest"):
        mark = _stored(rating).get(end)
        if isinstance(mark, dict) and isinstance(mark.get("id"), int):
            achievement = mark.get("achievement")
            value = float(achievement) if isinstance(achievement, int | float) else None
            found[(rating.id, end)] = (mark["id"], value)
    return found
