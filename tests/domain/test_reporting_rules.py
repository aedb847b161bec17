"""When a report may start: a periodic one when its sub-period begins, the annual one
(*Akhir*) the day after the last regular sub-period has ended."""

from __future__ import annotations

from datetime import date

from kinerja.domain.planning import annual_evaluation, sub_periods
from kinerja.domain.reporting import report_opens_on


def test_a_periodic_report_opens_when_its_sub_period_begins() -> None:
    second = sub_periods(2026, "quarterly")[1]
    assert report_opens_on(second.starts_on, False, date(2026, 12, 31)) == date(2026, 4, 1)


def test_the_annual_report_opens_after_the_last_regular_sub_period() -> None:
    regular = sub_periods(2026, "monthly")
    annual = annual_evaluation(2026, len(regular))
    assert annual.starts_on == date(2026, 1, 1)  # it covers the whole year…
    opens = report_opens_on(annual.starts_on, True, regular[-1].ends_on)
    assert opens == date(2027, 1, 1)  # …and is reported on once the year is over


def test_without_regular_sub_periods_the_annual_report_opens_with_the_year() -> None:
    assert report_opens_on(date(2026, 1, 1), True, None) == date(2026, 1, 1)
