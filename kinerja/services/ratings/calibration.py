"""Calibration evidence: the evaluators whose given levels differ most from the levels the
system suggested.

Every decided evaluation keeps the supervisor's results and behaviour beside the suggested
ones (the annual evaluation, from which a final rating takes its levels, included); one
statement counts, per evaluator, the evaluations they decided and how many of them differ,
within the evaluations the person may read.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, Float, and_, case, cast, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from kinerja.domain.ratings import Level
from kinerja.extensions import db
from kinerja.models.org import Employee
from kinerja.models.planning import SubPeriod
from kinerja.models.reports import Evaluation, Report
from kinerja.models.security import KinerjaUser
from kinerja.security.policies import evaluations
from kinerja.security.policies.scope import Scope

MAX_EVALUATORS = 200
_TENTH = Decimal("0.1")


@dataclass(frozen=True)
class EvaluatorDifferences:
    """One evaluator's decided evaluations and how many differ from the suggestions."""

    user_id: int
    name: str
    nip: str | None
    evaluations: int
    results_differ: int
    behaviour_differ: int
    differing: int  # evaluations where results or behaviour (or both) differ

    @property
    def share(self) -> Decimal:
        """Percent of the evaluator's evaluations that differ from the suggestion."""
        if not self.evaluations:
            return Decimal(0)
        return (Decimal(self.differing) * 100 / self.evaluations).quantize(
            _TENTH, rounding=ROUND_HALF_UP
        )


def _differs(
    given: InstrumentedAttribute[Level | None], suggested: InstrumentedAttribute[Level | None]
) -> ColumnElement[bool]:
    """A suggestion and a given level that both exist and are not the same."""
    return and_(given.is_not(None), suggested.is_not(None), given != suggested)


def _one_if(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def differences_by_evaluator(
    scope: Scope, period_id: int | None = None, limit: int = MAX_EVALUATORS
) -> list[EvaluatorDifferences]:
    """Evaluators of the evaluations one may read (of one period, if given), those whose
    levels differ most often from the suggestions first: by share, then by number."""
    results = _differs(Evaluation.results, Evaluation.suggested_results)
    behaviour = _differs(Evaluation.behaviour, Evaluation.suggested_behaviour)
    stats = select(
        Evaluation.evaluator_id.label("user_id"),
        func.count().label("evaluations"),
        _one_if(results).label("results_differ"),
        _one_if(behaviour).label("behaviour_differ"),
        _one_if(or_(results, behaviour)).label("differing"),
    ).where(
        Evaluation.decided_at.is_not(None),
        Evaluation.evaluator_id.is_not(None),
        evaluations.read(scope),
    )
    if period_id is not None:
        stats = stats.where(
            Evaluation.report_id.in_(
                select(Report.id)
                .join(SubPeriod, SubPeriod.id == Report.sub_period_id)
                .where(SubPeriod.period_id == period_id)
            )
        )
    counted = stats.group_by(Evaluation.evaluator_id).subquery()
    name = func.coalesce(Employee.name, KinerjaUser.first_name + " " + KinerjaUser.last_name)
    share = cast(counted.c.differing, Float) / counted.c.evaluations
    statement = (
        select(counted, name.label("name"), Employee.nip)
        .join(KinerjaUser, KinerjaUser.id == counted.c.user_id)
        .outerjoin(Employee, Employee.user_id == counted.c.user_id)
        .order_by(share.desc(), counted.c.differing.desc(), name, counted.c.user_id)
        .limit(limit)
    )
    return [
        EvaluatorDifferences(
            user_id=row.user_id,
            name=row.name,
            nip=row.nip,
            evaluations=row.evaluations,
            results_differ=int(row.results_differ),
            behaviour_differ=int(row.behaviour_differ),
            differing=int(row.differing),
        )
        for row in db.session.execute(statement)
    ]
