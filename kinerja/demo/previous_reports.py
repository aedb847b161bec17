"""The reports of the demo's previous year, set-based: each planner's quarters (approved by
their evaluator, or drafts never submitted) with a realization per indicator, and
the annual report with its approved annual evaluation — results, behaviour, the seven
value ratings, feedback, the levels of qualitative indicators — as
:mod:`kinerja.demo.previous_outcomes` played them.

Rows are what the use cases leave (``start_report``, ``save_report``, ``submit_report``,
``approve_report``): a measurable line of the annual report has no value (the year is
accumulated from the quarters), a qualitative line is described in its note, every
submitted report has its evaluation with the suggestion made at the submission. A draft of
a closed year is left as it was: it never reached a supervisor's queue.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from kinerja.demo.bulk import write_rows, write_with_ids
from kinerja.demo.moments import Moments
from kinerja.demo.previous_outcomes import Judged, Year
from kinerja.demo.previous_plans import YearPlanRows
from kinerja.demo.previous_year_data import YearTexts
from kinerja.domain.reporting import ReportStatus
from kinerja.models.reports import (
    BehaviourRating,
    Evaluation,
    IndicatorLevel,
    Realization,
    Report,
)


@dataclass(frozen=True)
class SubPeriodRow:
    id: int
    number: int
    name: str
    ends_on: date
    annual: bool
    period_id: int


@dataclass(frozen=True)
class _Written:
    """A report about to be written, with what its lines and evaluation need."""

    plan: YearPlanRows
    sub_period: SubPeriodRow
    state: ReportStatus
    values: tuple[Decimal | None, ...] | None  # None: the annual report
    suggested: Any  # the results suggested at the submission (a Level)
    judged: Judged | None
    saved: datetime  # submitted then (a draft: last saved)
    decided: datetime | None
    evaluator: int | None  # the evaluator's login


def write_reports(
    rng: random.Random,
    year: int,
    plans: Mapping[int, YearPlanRows],
    years: Mapping[int, Year],
    sub_periods: Sequence[SubPeriodRow],
    value_ids: Sequence[int],
    users: Mapping[int, int],
    texts: YearTexts,
) -> None:
    """Every planner's reports and evaluations (see the module's docstring)."""
    moments = Moments(rng)
    regular = {s.number: s for s in sub_periods if not s.annual}
    annual = next(s for s in sub_periods if s.annual)
    written: list[_Written] = []
    for employee_id, plan in plans.items():
        played = years[employee_id]
        evaluator = users.get(plan.person.evaluator_id or 0)
        for number, quarter in enumerate(played.quarters, start=1):
            sub_period = regular[number]
            saved = moments.after(moments.on(sub_period.ends_on), 1, 9)
            decided = moments.after(saved, 1, 9) if quarter.judged else None
            written.append(
                _Written(
                    plan,
                    sub_period,
                    quarter.state,
                    quarter.values,
                    quarter.suggested_results,
                    quarter.judged,
                    saved,
                    decided,
                    evaluator,
                )
            )
        if played.annual is not None:
            saved = moments.on(date(year + 1, 1, 2) + timedelta(days=rng.randint(0, 7)))
            decided = moments.after(saved, 1, 9)
            written.append(
                _Written(
                    plan,
                    annual,
                    ReportStatus.APPROVED,
                    None,
                    played.annual.suggested_results,
                    played.annual,
                    saved,
                    decided,
                    evaluator,
                )
            )
    report_ids = write_with_ids(Report.__table__, [_report(rng, w, year, texts) for w in written])
    write_rows(
        Realization.__table__,
        [
            line
            for report_id, item in zip(report_ids, written, strict=True)
            for line in _lines(rng, report_id, item, texts)
        ],
    )
    handed_in = [
        (report_id, item)
        for report_id, item in zip(report_ids, written, strict=True)
        if item.state != ReportStatus.DRAFT
    ]
    evaluation_ids = write_with_ids(
        Evaluation.__table__, [_evaluation(r, w, texts) for r, w in handed_in]
    )
    _ratings(zip(evaluation_ids, [item for _, item in handed_in], strict=True), value_ids)


def _report(rng: random.Random, item: _Written, year: int, texts: YearTexts) -> dict[str, Any]:
    name = item.sub_period.name
    note = (
        texts.annual_note.format(year=year)
        if item.values is None
        else rng.choice(texts.report_note).format(sub_period=name)
    )
    return {
        "work_plan_id": item.plan.plan_id,
        "sub_period_id": item.sub_period.id,
        "employee_id": item.plan.person.employee_id,
        "unit_id": item.plan.person.unit_id,
        "status": item.state.value,
        "plan_version": 1,
        "note": note,
        "submitted_at": None if item.state == ReportStatus.DRAFT else item.saved,
        "decided_at": item.decided,
        "decided_by_id": item.evaluator if item.judged is not None else None,
        "created_at": item.saved - timedelta(days=1),
        "updated_at": item.decided or item.saved,
    }


def _lines(
    rng: random.Random, report_id: int, item: _Written, texts: YearTexts
) -> list[dict[str, Any]]:
    """A realization per indicator: the quarter's value, none in the annual report, a
    description for a qualitative one."""
    rows = []
    for index, (goal, position, indicator_id) in enumerate(item.plan.lines()):
        qualitative = goal.indicators[position].qualitative
        note = None
        if qualitative:
            note = rng.choice(texts.qualitative_note).format(sub_period=item.sub_period.name)
        rows.append(
            {
                "report_id": report_id,
                "indicator_id": indicator_id,
                "value": None if item.values is None else item.values[index],
                "note": note,
                "period_id": item.sub_period.period_id,
                "created_at": item.saved,
                "updated_at": item.saved,
            }
        )
    return rows


def _evaluation(report_id: int, item: _Written, texts: YearTexts) -> dict[str, Any]:
    judged = item.judged
    row: dict[str, Any] = {
        "report_id": report_id,
        "employee_id": item.plan.person.employee_id,
        "suggested_results": item.suggested.value,
        "created_at": item.saved,
        "updated_at": item.decided or item.saved,
        "results": None,
        "behaviour": None,
        "suggested_behaviour": None,
        "predikat": None,
        "feedback": None,
        "evaluator_id": None,
        "decided_at": None,
    }
    if judged is not None:
        row.update(
            results=judged.results.value,
            behaviour=judged.behaviour.value,
            suggested_results=judged.suggested_results.value,
            suggested_behaviour=judged.suggested_behaviour.value,
            predikat=judged.predikat.value,
            feedback=texts.feedback[judged.predikat],
            evaluator_id=item.evaluator,
            decided_at=item.decided,
        )
    return row


def _ratings(evaluations: Any, value_ids: Sequence[int]) -> None:
    """The seven value ratings and the qualitative indicators' levels of each decision."""
    values, levels = [], []
    for evaluation_id, item in evaluations:
        judged: Judged | None = item.judged
        if judged is None:
            continue
        stamp = {"created_at": item.decided, "updated_at": item.decided}
        for value_id, level in zip(value_ids, judged.values, strict=True):
            values.append(
                {"evaluation_id": evaluation_id, "value_id": value_id, "level": level.value} | stamp
            )
        described = [
            indicator_id
            for goal, position, indicator_id in item.plan.lines()
            if goal.indicators[position].qualitative
        ]
        for indicator_id, level in zip(described, judged.qualitative, strict=True):
            levels.append(
                {"evaluation_id": evaluation_id, "indicator_id": indicator_id, "level": level.value}
                | stamp
            )
    write_rows(BehaviourRating.__table__, values)
    write_rows(IndicatorLevel.__table__, levels)
