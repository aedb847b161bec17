"""The date rules of reminders, overdue notices, escalations and the weekly digest."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kinerja.domain.notices import (
    CATCH_UP_DAYS,
    DeadlineRules,
    Stage,
    deadline_window,
    digest_due,
    due_stages,
    iso_week,
    parse_weekday,
)

RULES = DeadlineRules(days_before=3, supervisor_after=3, operator_after=7)
DEADLINE = date(2026, 4, 10)  # a Friday


def on(offset: int) -> list[Stage]:
    return due_stages(DEADLINE, DEADLINE + timedelta(days=offset), RULES)


def test_nothing_is_due_before_the_reminder_window() -> None:
    assert on(-4) == []
    assert on(-30) == []


def test_the_reminder_runs_from_n_days_before_to_the_deadline_day() -> None:
    assert on(-3) == [Stage.BEFORE]
    assert on(-1) == [Stage.BEFORE]
    assert on(0) == [Stage.BEFORE]  # the deadline day is still on time


def test_the_overdue_notice_starts_the_day_after_the_deadline() -> None:
    assert on(1) == [Stage.OVERDUE]
    assert on(2) == [Stage.OVERDUE]


def test_escalation_to_the_supervisor_after_the_configured_days() -> None:
    assert Stage.SUPERVISOR not in on(2)
    assert on(3) == [Stage.OVERDUE, Stage.SUPERVISOR]


def test_escalation_to_the_operator_after_the_configured_days() -> None:
    assert Stage.OPERATOR not in on(6)
    assert on(7) == [Stage.OVERDUE, Stage.SUPERVISOR, Stage.OPERATOR]


def test_a_stage_is_not_sent_after_its_catch_up_window() -> None:
    assert Stage.OVERDUE in on(CATCH_UP_DAYS)
    assert Stage.OVERDUE not in on(CATCH_UP_DAYS + 1)
    assert on(7 + CATCH_UP_DAYS - 1) == [Stage.OPERATOR]
    assert on(7 + CATCH_UP_DAYS) == []


def test_weekends_are_not_special() -> None:
    saturday_deadline = date(2026, 4, 11)
    assert due_stages(saturday_deadline, date(2026, 4, 12), RULES) == [Stage.OVERDUE]
    assert due_stages(saturday_deadline, date(2026, 4, 8), RULES) == [Stage.BEFORE]


def test_settings_change_the_days() -> None:
    rules = DeadlineRules(days_before=0, supervisor_after=1, operator_after=2)
    assert due_stages(DEADLINE, DEADLINE - timedelta(days=1), rules) == []
    assert due_stages(DEADLINE, DEADLINE, rules) == [Stage.BEFORE]
    assert due_stages(DEADLINE, DEADLINE + timedelta(days=1), rules) == [
        Stage.OVERDUE,
        Stage.SUPERVISOR,
    ]


def test_negative_or_same_day_escalation_is_refused() -> None:
    with pytest.raises(ValueError):
        DeadlineRules(days_before=-1)
    with pytest.raises(ValueError):
        DeadlineRules(supervisor_after=0)


def test_the_window_covers_every_deadline_with_a_stage_due() -> None:
    today = date(2026, 5, 1)
    first, last = deadline_window(today, RULES)
    for offset in range(-60, 60):
        deadline = today + timedelta(days=offset)
        if due_stages(deadline, today, RULES):
            assert first <= deadline <= last
    assert due_stages(first, today, RULES) and due_stages(last, today, RULES)


@pytest.mark.parametrize(
    ("text", "weekday"),
    [("monday", 1), ("Mon", 1), ("1", 1), (5, 5), ("senin", 1), ("Jum'at", 5), ("minggu", 7)],
)
def test_weekday_names_and_numbers(text: str | int, weekday: int) -> None:
    assert parse_weekday(text) == weekday


@pytest.mark.parametrize("text", ["0", "8", "someday", "s", ""])
def test_unknown_weekday_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_weekday(text)


def test_the_digest_goes_out_on_its_weekday_once_per_iso_week() -> None:
    monday = date(2026, 1, 5)
    assert digest_due(monday, 1) and not digest_due(monday + timedelta(days=1), 1)
    assert iso_week(monday) == iso_week(monday + timedelta(days=6)) == "2026-W02"
    assert iso_week(date(2027, 1, 1)) == "2026-W53"
