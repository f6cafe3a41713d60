"""qaudit.chronology.workdays: England and Wales bank holidays 2012-2027, the counting
convention, and
property laws of working-day arithmetic."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaudit.chronology.workdays import (
    WorkCalendar,
    add_months,
    add_working_days,
    england_bank_holidays,
    is_working_day,
    working_days_between,
)

D = dt.date

# Every England and Wales bank holiday 2012-2027, written out by hand from the official list
# (gov.uk/bank-holidays). A holiday falling at a weekend is listed on its substitute weekday.
OFFICIAL = {
    2012: ["01-02", "04-06", "04-09", "05-07",
           "06-04", "06-05",  # spring bank holiday moved; Diamond Jubilee (one-off)
           "08-27", "12-25", "12-26"],
    2013: ["01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"],
    2014: ["01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"],
    2015: ["01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25",
           "12-28"],  # Boxing Day substitute
    2016: ["01-01", "03-25", "03-28", "05-02", "05-30", "08-29", "12-26",
           "12-27"],  # Christmas Day substitute
    2017: ["01-02", "04-14", "04-17", "05-01", "05-29", "08-28", "12-25", "12-26"],
    2018: ["01-01", "03-30", "04-02", "05-07", "05-28", "08-27", "12-25", "12-26"],
    2019: ["01-01", "04-19", "04-22", "05-06", "05-27", "08-26", "12-25", "12-26"],
    2020: ["01-01", "04-10", "04-13",
           "05-08",  # early May bank holiday moved to VE Day
           "05-25", "08-31", "12-25", "12-28"],
    2021: ["01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28"],
    2022: ["01-03", "04-15", "04-18", "05-02",
           "06-02", "06-03",  # spring bank holiday moved; Platinum Jubilee
           "08-29",
           "09-19",  # State Funeral of Queen Elizabeth II
           "12-26", "12-27"],
    2023: ["01-02", "04-07", "04-10", "05-01",
           "05-08",  # Coronation of King Charles III
           "05-29", "08-28", "12-25", "12-26"],
    2024: ["01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"],
    2025: ["01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"],
    2026: ["01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"],
    2027: ["01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-27", "12-28"],
}
LISTED = {D.fromisoformat(f"{year}-{md}") for year, days in OFFICIAL.items() for md in days}


@pytest.mark.parametrize("day", sorted(LISTED), ids=str)
def test_every_listed_bank_holiday_is_not_a_working_day(day: dt.date) -> None:
    assert day in england_bank_holidays(day.year)
    assert not is_working_day(day)


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_the_calendar_has_no_bank_holiday_the_official_list_lacks(year: int) -> None:
    assert set(england_bank_holidays(year)) == {d for d in LISTED if d.year == year}


@pytest.mark.parametrize(("day", "name"), [
    (D(2025, 4, 21), "Easter Monday"),           # missing without subdivision ENG
    (D(2025, 8, 25), "Late Summer Bank Holiday"),
    (D(2022, 12, 27), "Christmas Day, substitute"),
    (D(2023, 1, 2), "New Year's Day, substitute"),
    (D(2026, 12, 28), "Boxing Day, substitute"),
    (D(2022, 9, 19), "State Funeral of Queen Elizabeth II"),
    (D(2023, 5, 8), "Coronation of Charles III"),
])
def test_bank_holidays_are_named(day: dt.date, name: str) -> None:
    assert WorkCalendar().holiday_name(day) == name


def test_the_issue_example_one_working_day_after_a_friday_before_a_bank_holiday() -> None:
    assert add_working_days(D(2025, 5, 23), 1) == D(2025, 5, 27)
    assert working_days_between(D(2025, 5, 23), D(2025, 5, 27)) == 1


def test_fifteen_working_days_over_christmas_2022_skip_both_substitute_days() -> None:
    assert add_working_days(D(2022, 12, 15), 15) == D(2023, 1, 10)


def test_closure_days_are_not_worked() -> None:
    closed = WorkCalendar.with_closures([D(2026, 12, 24)])
    assert not closed.is_working_day(D(2026, 12, 24))
    assert closed.holiday_name(D(2026, 12, 24)) == "local closure day"
    # Wed 23 Dec + 1: Thu 24 closed, Fri 25 Christmas, weekend, Mon 28 substitute -> Tue 29.
    assert closed.add_working_days(D(2026, 12, 23), 1) == D(2026, 12, 29)
    assert add_working_days(D(2026, 12, 23), 1) == D(2026, 12, 24)


def test_counting_the_anchor_day_makes_a_working_anchor_day_one() -> None:
    anchored = WorkCalendar(count_anchor_day=True)
    assert anchored.add_working_days(D(2026, 6, 2), 1) == D(2026, 6, 2)   # Tuesday
    assert anchored.add_working_days(D(2026, 6, 2), 2) == D(2026, 6, 3)
    # A Saturday is not a working day: counting starts on Monday as day 1.
    assert anchored.add_working_days(D(2026, 6, 6), 1) == D(2026, 6, 8)


@pytest.mark.parametrize(("start", "months", "expected"), [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),
    (D(2024, 1, 31), 1, D(2024, 2, 29)),   # leap year
    (D(2026, 8, 31), 1, D(2026, 9, 30)),
    (D(2025, 11, 30), 3, D(2026, 2, 28)),
    (D(2026, 5, 23), -6, D(2025, 11, 23)),
    (D(2026, 8, 31), -6, D(2026, 2, 28)),
])
def test_months_are_calendar_months_clamped_at_the_month_end(
        start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected


# ---- property laws --------------------------------------------------------------------------
days = st.dates(min_value=D(2012, 1, 1), max_value=D(2027, 10, 31))
counts = st.integers(min_value=0, max_value=60)
closures = st.frozensets(st.dates(min_value=D(2012, 1, 1), max_value=D(2028, 3, 31)),
                         max_size=20)


@given(days, counts, closures)
def test_add_then_between_round_trips(start: dt.date, n: int,
                                      closed: frozenset[dt.date]) -> None:
    calendar = WorkCalendar(closed)
    assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n


@given(days, st.integers(min_value=1, max_value=60), closures)
def test_the_result_is_the_first_working_day_reaching_n(
        start: dt.date, n: int, closed: frozenset[dt.date]) -> None:
    calendar = WorkCalendar(closed)
    due = calendar.add_working_days(start, n)
    assert calendar.is_working_day(due)
    assert due.weekday() < 5 and due not in closed
    assert calendar.working_days_between(start, due - dt.timedelta(days=1)) == n - 1


@given(days, counts, counts)
def test_adding_is_monotonic_and_additive(start: dt.date, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert add_working_days(start, low) <= add_working_days(start, high)
    assert add_working_days(add_working_days(start, a), b) == add_working_days(start, a + b)


@given(days, days, counts)
def test_later_start_never_gives_an_earlier_due_date(s1: dt.date, s2: dt.date,
                                                      n: int) -> None:
    early, late = sorted((s1, s2))
    assert add_working_days(early, n) <= add_working_days(late, n)


@given(days, days)
def test_between_is_antisymmetric_and_bounded_by_calendar_days(a: dt.date,
                                                               b: dt.date) -> None:
    assert working_days_between(a, b) == -working_days_between(b, a)
    assert abs(working_days_between(a, b)) <= abs((b - a).days)


@given(days, st.integers(min_value=1, max_value=60))
def test_counting_the_anchor_day_is_one_fewer_step_from_a_working_day(
        start: dt.date, n: int) -> None:
    anchored = WorkCalendar(count_anchor_day=True)
    expected = add_working_days(start, n - 1 if is_working_day(start) else n)
    assert anchored.add_working_days(start, n) == expected


@given(days, st.integers(min_value=-24, max_value=24))
def test_months_never_overflow_into_the_next_month(start: dt.date, n: int) -> None:
    result = add_months(start, n)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == n
    assert result.day == start.day or (result.day < start.day
                                       and (result + dt.timedelta(days=1)).day == 1)
