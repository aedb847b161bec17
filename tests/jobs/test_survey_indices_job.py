"""The survey index job on real PostgreSQL and Redis through a real RQ worker: the figures
are the domain's over the same answers, grades change at their boundaries, a second run
changes nothing, a unit's index pools its services' surveys, and the number of statements
does not grow with the number of surveys."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from sqlalchemy import event, func, select

from kinerja.domain.errors import AccessDenied, NotFoundError
from kinerja.domain.survey import ikm
from kinerja.extensions import db
from kinerja.models.jobs import JobRun, JobStatus
from kinerja.models.surveys import Survey, SurveyResult, UnitSurveyResult
from kinerja.security.policies import SYSTEM, scope_for_user
from kinerja.services import outbox
from kinerja.services.boundary import transaction
from kinerja.services.surveys.catalogue import delete_survey
from kinerja.services.surveys.indices import compute_survey_indices
from kinerja.services.surveys.requests import (
    request_nightly_survey_indices,
    request_survey_indices,
)
from tests.factories import Org
from tests.ratings_factories import open_period
from tests.survey_factories import (
    add_responses,
    make_service,
    make_survey,
    random_answers,
    surveyed,
)


def _result(survey_id: int) -> SurveyResult:
    db.session.expire_all()
    return db.session.scalar(select(SurveyResult).where(SurveyResult.survey_id == survey_id))


def _run(run_id: int) -> JobRun:
    db.session.expire_all()
    return db.session.get(JobRun, run_id)


def answers_for(target: str) -> list[list[int]]:
    """Responses whose IKM rounds to ``target`` exactly (all elements equally answered)."""
    wanted = Decimal(target)
    for count in range(1, 400):
        total = round(wanted * 9 * count / 25)
        found = ikm(_spread(total, count)).value if 9 * count <= total <= 36 * count else None
        if found == wanted:
            return _spread(total, count)
    raise AssertionError(f"no responses give {target}")


def _spread(total: int, count: int) -> list[list[int]]:
    """``count`` responses of nine answers summing to ``total``, as even as can be."""
    base, extra = divmod(total, 9 * count)
    cells = [base + (1 if i < extra else 0) for i in range(9 * count)]
    return [cells[i::count] for i in range(count)]


def _exact_4(result: Any) -> list[Decimal]:
    """Each exact NRR to 4 decimals, half-up (what the result rows keep)."""
    return [
        Decimal(math.floor(nrr * 10_000 + Fraction(1, 2))) / 10_000 for nrr in result.per_element
    ]


def test_the_job_on_a_worker_stores_the_domains_index(org: Org, run_jobs: Callable) -> None:
    period = open_period()
    answers = random_answers(57, seed=3)
    survey = surveyed(org.units.surv, period, answers, population=300)
    run = request_survey_indices([survey.id], None, SYSTEM)
    run_jobs()
    assert _run(run.id).status == JobStatus.SUCCEEDED
    expected = ikm(answers)
    stored = _result(survey.id)
    assert (stored.responses, stored.ikm, stored.grade) == (
        57,
        expected.value,
        expected.grade.value,
    )
    assert stored.required == 169  # Krejcie–Morgan for 300 people a year
    stored_nrr = [getattr(stored, f"nrr{n}") for n in range(1, 10)]
    assert stored_nrr == [nrr.quantize(Decimal("0.0001")) for nrr in _exact_4(expected)]
    assert stored.run_id == run.id


@pytest.mark.parametrize(
    ("target", "grade"),
    [
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
    ],
)
def test_grades_change_at_their_boundaries_through_the_job(
    org: Org, run_jobs: Callable, target: str, grade: str
) -> None:
    survey = surveyed(org.units.surv, open_period(), answers_for(target))
    request_survey_indices([survey.id], None, SYSTEM)
    run_jobs()
    stored = _result(survey.id)
    assert (stored.ikm, stored.grade) == (Decimal(target), grade)


def test_a_second_run_changes_nothing(org: Org, run_jobs: Callable) -> None:
    period = open_period()
    first = surveyed(org.units.surv, period, random_answers(20, seed=1))
    second = surveyed(org.units.surv, period, random_answers(30, seed=2))
    request_survey_indices(None, period.id, SYSTEM)
    run_jobs()
    before = {
        r.survey_id: (r.id, r.ikm, r.computed_at) for r in db.session.scalars(select(SurveyResult))
    }
    unit_before = [
        (r.id, r.ikm, r.computed_at) for r in db.session.scalars(select(UnitSurveyResult))
    ]
    again = request_survey_indices(None, period.id, SYSTEM)
    run_jobs()
    db.session.expire_all()
    after = {
        r.survey_id: (r.id, r.ikm, r.computed_at) for r in db.session.scalars(select(SurveyResult))
    }
    assert after == before and set(after) == {first.id, second.id}
    assert [
        (r.id, r.ikm, r.computed_at) for r in db.session.scalars(select(UnitSurveyResult))
    ] == unit_before
    assert _run(again.id).result["changed"] == 0
    # a new response moves the survey's and the unit's figures, and only theirs
    add_responses(db.session.get(type(first), first.id), [[1] * 9])
    db.session.commit()
    request_survey_indices([first.id], None, SYSTEM)
    run_jobs()
    assert _result(first.id).responses == 21
    assert _result(second.id).computed_at == before[second.id][2]
    assert db.session.scalar(select(func.count()).select_from(SurveyResult)) == 2


def test_a_units_index_pools_the_responses_of_its_services_surveys(
    org: Org, run_jobs: Callable
) -> None:
    period = open_period()
    ktp, kk = random_answers(40, seed=5, low=2), random_answers(15, seed=6, high=3)
    one = surveyed(org.units.surv, period, ktp, name="KTP")
    surveyed(org.units.surv, period, kk, name="KK")
    other = surveyed(org.units.dishub, period, random_answers(9, seed=8))
    request_survey_indices([one.id], None, SYSTEM)  # one survey asks for its whole unit
    run_jobs()
    db.session.expire_all()
    unit = db.session.scalar(
        select(UnitSurveyResult).where(UnitSurveyResult.unit_id == org.units.surv.id)
    )
    pooled = ikm(ktp + kk)
    assert (unit.period_id, unit.responses, unit.ikm, unit.grade) == (
        period.id,
        55,
        pooled.value,
        pooled.grade.value,
    )
    assert db.session.scalar(select(func.count()).select_from(SurveyResult)) == 2
    assert _result(other.id) is None  # another unit: not asked for


def test_the_three_weakest_elements_are_the_priorities(org: Org, run_jobs: Callable) -> None:
    weak = [4, 2, 4, 1, 4, 4, 4, 4, 3]  # cost, then procedure, then facilities
    survey = surveyed(org.units.surv, open_period(), [weak, weak, [4] * 9])
    request_survey_indices([survey.id], None, SYSTEM)
    run_jobs()
    assert _result(survey.id).priorities == "cost,procedure,facilities"


def test_a_survey_without_responses_has_a_count_and_no_index(org: Org, run_jobs: Callable) -> None:
    survey = make_survey(make_service(org.units.surv, population=100), open_period())
    db.session.commit()
    request_survey_indices([survey.id], None, SYSTEM)
    run_jobs()
    stored = _result(survey.id)
    assert (stored.responses, stored.required, stored.ikm, stored.grade) == (0, 80, None, None)


def test_the_job_scheduled_by_name_runs_through_the_outbox(org: Org, run_jobs: Callable) -> None:
    """What the survey's use case does when a survey closes."""
    survey = surveyed(org.units.surv, open_period(), random_answers(5))
    with transaction():
        run = outbox.schedule("compute_survey_indices", [survey.id])
    run_jobs()
    assert _run(run.id).status == JobStatus.SUCCEEDED
    assert _result(survey.id).responses == 5


def test_an_operator_computes_only_their_units_surveys(org: Org) -> None:
    period = open_period()
    mine = surveyed(org.units.surv, period, random_answers(3))
    theirs = surveyed(org.units.dishub, period, random_answers(3))
    operator = scope_for_user(org.users.operator)
    with pytest.raises(NotFoundError):
        request_survey_indices([mine.id, theirs.id], None, operator)
    done = compute_survey_indices(None, period.id, operator)
    assert done.surveys == 1 and _result(mine.id) is not None and _result(theirs.id) is None
    employee = scope_for_user(org.users.employee)
    with pytest.raises(AccessDenied):
        request_survey_indices([mine.id], None, employee)


def test_the_nightly_run_takes_the_running_surveys(org: Org) -> None:
    period = open_period()
    today = period.starts_on.replace(month=6, day=15)
    running = make_survey(make_service(org.units.surv), period, today.replace(day=1), days=30)
    make_survey(make_service(org.units.surv), period, today.replace(month=1), days=30)  # over
    db.session.commit()
    run_id = request_nightly_survey_indices(today)
    assert _run(run_id).args == [[running.id], None]


@contextmanager
def _counted() -> Iterator[list[Any]]:
    statements: list[Any] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_the_number_of_statements_does_not_grow_with_the_surveys(org: Org) -> None:
    period, other = open_period(2026), open_period(2027)
    for index in range(2):
        surveyed(org.units.surv, period, random_answers(3, seed=index))
    for index in range(12):
        unit = (org.units.surv, org.units.yankes, org.units.dishub)[index % 3]
        surveyed(unit, other, random_answers(3, seed=index))
    with _counted() as few:
        assert compute_survey_indices(None, period.id, SYSTEM).surveys == 2
    with _counted() as many:
        assert compute_survey_indices(None, other.id, SYSTEM).surveys == 12
    assert len(many) == len(few) <= 9  # with the removal of results whose surveys are gone


def _unit_result(unit_id: int, period_id: int) -> UnitSurveyResult | None:
    db.session.expire_all()
    return db.session.scalar(
        select(UnitSurveyResult).where(
            UnitSurveyResult.unit_id == unit_id, UnitSurveyResult.period_id == period_id
        )
    )


def test_a_unit_that_lost_its_surveys_loses_its_index_within_reach(org: Org) -> None:
    """A survey deleted unanswered leaves its unit without surveys for the period: the next
    computation of the period removes the unit's result, but only where the requester may
    manage the unit."""
    period = open_period()
    mine = make_survey(make_service(org.units.surv), period)
    theirs = make_survey(make_service(org.units.dishub), period)
    db.session.commit()
    compute_survey_indices(None, period.id, SYSTEM)
    assert _unit_result(org.units.surv.id, period.id) is not None
    assert _unit_result(org.units.dishub.id, period.id) is not None
    operator = scope_for_user(org.users.operator)
    delete_survey(db.session.get(Survey, mine.id), operator)
    with transaction():
        db.session.delete(db.session.get(Survey, theirs.id))  # out of the Operator's reach
    done = compute_survey_indices(None, period.id, operator)
    assert done.changed == 1
    assert _unit_result(org.units.surv.id, period.id) is None
    assert _unit_result(org.units.dishub.id, period.id) is not None
    compute_survey_indices(None, None, SYSTEM)
    assert _unit_result(org.units.dishub.id, period.id) is None
