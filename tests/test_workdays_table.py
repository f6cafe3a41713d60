"""The cumulative working-day tables give what counting day by day gives, across years, bank
holidays, closure days and both counting conventions."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from qaudit.chronology.workdays import WorkCalendar

CALENDARS = [WorkCalendar(), WorkCalendar(count_anchor_day=True),
             WorkCalendar.with_closures([dt.date(2026, 12, 24), dt.date(2027, 1, 4)])]
DAYS = st.dates(dt.date(2019, 1, 1), dt.date(2031, 12, 31))


def day_by_day(calendar: WorkCalendar, start: dt.date, n: int) -> dt.date:
    step = dt.timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    if calendar.count_anchor_day and n > 0 and calendar.is_working_day(start):
        remaining -= 1
    day = start
    while remaining > 0:
        day += step
        remaining -= calendar.is_working_day(day)
    return day


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(CALENDARS), DAYS, st.integers(-400, 400), DAYS)
def test_tables_agree_with_counting_day_by_day(calendar: WorkCalendar, start: dt.date, n: int,
                                               end: dt.date) -> None:
    assert calendar.add_working_days(start, n) == day_by_day(calendar, start, n)
    low, high = sorted((start, end))
    walked = sum(calendar.is_working_day(low + dt.timedelta(days=i + 1))
                 for i in range((high - low).days))
    assert calendar.working_days_between(low, high) == walked
    assert calendar.working_days_between(high, low) == -walked


def test_christmas_2026_hand_counted() -> None:
    # Thu 17 Dec 2026 + 10: 18, 21-24 (5), [25, 28 Dec], 29-31 (8), [1 Jan], 4, 5 Jan 2027.
    assert WorkCalendar().add_working_days(dt.date(2026, 12, 17), 10) == dt.date(2027, 1, 5)
    assert WorkCalendar().working_days_between(dt.date(2027, 1, 5), dt.date(2027, 1, 6)) == 1


def test_day_of_year_is_the_time_tuples_for_every_day_counted() -> None:
    from qaudit.chronology.workdays import COUNT_FIRST_YEAR, COUNT_LAST_YEAR, _day_of_year

    day, last = dt.date(COUNT_FIRST_YEAR, 1, 1), dt.date(COUNT_LAST_YEAR, 12, 31)
    while day <= last:
        assert _day_of_year(day) == day.timetuple().tm_yday, day
        day += dt.timedelta(days=1)
