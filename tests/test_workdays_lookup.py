"""The per-year tables of cumulative working days that ``add_working_days`` and
``working_days_between`` look up give exactly what counting day by day gives, where the
calendar is hardest: Christmas and New Year substitute days, Easter, and the one-off bank
holidays of 2012, 2020, 2022 and 2023. The day-by-day count here reads the holidays package
through its registry (``holidays.country_holidays``), not through qaudit's tables."""

from __future__ import annotations

import datetime as dt
import random
from functools import cache

import holidays
import pytest

from qaudit.chronology.workdays import WorkCalendar, england_bank_holidays

ONE_DAY = dt.timedelta(days=1)
FIRST, LAST = dt.date(2010, 1, 1), dt.date(2028, 12, 31)
CLOSURES = [dt.date(2022, 12, 23), dt.date(2023, 5, 9)]

# Days gov.uk lists, hand-checked: substitutes and one-offs.
NOT_WORKED = [
    dt.date(2012, 6, 4), dt.date(2012, 6, 5),  # spring bank holiday moved; Diamond Jubilee
    dt.date(2020, 5, 8),  # early May bank holiday moved to VE day
    dt.date(2022, 6, 2), dt.date(2022, 6, 3),  # spring bank holiday moved; Platinum Jubilee
    dt.date(2022, 9, 19),  # the Queen's state funeral
    dt.date(2023, 5, 8),  # the coronation
    dt.date(2021, 12, 27), dt.date(2021, 12, 28),  # Christmas and Boxing Day on a weekend
    dt.date(2022, 1, 3),  # New Year's Day substitute
    dt.date(2022, 12, 26), dt.date(2022, 12, 27),  # Boxing Day; Christmas Day substitute
    dt.date(2020, 12, 28),  # Boxing Day substitute
    dt.date(2024, 3, 29), dt.date(2024, 4, 1),  # Good Friday, Easter Monday
    dt.date(2016, 3, 25), dt.date(2016, 3, 28),
]
WORKED = [dt.date(2012, 5, 28), dt.date(2020, 5, 4), dt.date(2022, 5, 30),
          dt.date(2021, 12, 29), dt.date(2023, 5, 10)]


@cache
def registry_closed(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def worked(calendar: WorkCalendar, day: dt.date) -> bool:
    return (day.weekday() < 5 and day not in registry_closed(day.year)
            and day not in calendar.closure_days)


def step_by_step(calendar: WorkCalendar, start: dt.date, n: int) -> dt.date:
    step = ONE_DAY if n > 0 else -ONE_DAY
    remaining = abs(n)
    if calendar.count_anchor_day and n > 0 and worked(calendar, start):
        remaining -= 1
    day = start
    while remaining > 0:
        day += step
        remaining -= worked(calendar, day)
    return day


def counted(calendar: WorkCalendar, start: dt.date, end: dt.date) -> int:
    low, high = sorted((start, end))
    total = sum(worked(calendar, low + ONE_DAY * (i + 1)) for i in range((high - low).days))
    return total if end >= start else -total


CALENDARS = [WorkCalendar(), WorkCalendar(count_anchor_day=True),
             WorkCalendar.with_closures(CLOSURES)]


def test_hand_checked_days() -> None:
    calendar = WorkCalendar()
    for day in NOT_WORKED:
        assert not calendar.is_working_day(day), day
        assert day in england_bank_holidays(day.year), day
    for day in WORKED:
        assert calendar.is_working_day(day), day


def test_same_bank_holidays_as_the_registry() -> None:
    for year in range(FIRST.year, LAST.year + 1):
        listed = {d for d in registry_closed(year) if d.weekday() < 5}
        assert set(england_bank_holidays(year)) == listed, year


@pytest.mark.parametrize("calendar", CALENDARS, ids=["default", "anchor-day", "closures"])
def test_lookups_agree_with_counting_day_by_day(calendar: WorkCalendar) -> None:
    chooser = random.Random(15)
    hard = [d + ONE_DAY * k for d in NOT_WORKED + CLOSURES for k in range(-3, 4)]
    span = (LAST - FIRST).days
    for _ in range(800):
        start = chooser.choice(hard) if chooser.random() < 0.5 \
            else FIRST + ONE_DAY * chooser.randrange(span)
        n = chooser.choice([1, 2, 3, 5, 10, 15, 20, 45, -1, -5, -20]) if chooser.random() < 0.7 \
            else chooser.randrange(-300, 300)
        assert calendar.add_working_days(start, n) == step_by_step(calendar, start, n), \
            (start, n)
        end = chooser.choice(hard) if chooser.random() < 0.5 \
            else start + ONE_DAY * chooser.randrange(-400, 400)
        assert calendar.working_days_between(start, end) == counted(calendar, start, end), \
            (start, end)


FRESH_PROCESS = """
import sys
from qaudit.chronology.workdays import england_bank_holidays
years = range(int(sys.argv[1]), int(sys.argv[2]) + 1)
ours = {year: england_bank_holidays(year) for year in years}
direct = "holidays.countries" not in sys.modules  # the United Kingdom's file run by itself
import holidays
for year in years:
    listed = {day: name for day, name in holidays.country_holidays(
        "GB", subdiv="ENG", years=year).items() if day.year == year and day.weekday() < 5}
    assert set(ours[year]) == set(listed), year
    for day, name in listed.items():
        assert ours[year][day].replace(", substitute", " (observed)") == name, (day, name)
print("direct" if direct else "usual")
"""


def test_united_kingdom_loaded_by_itself_gives_the_registry_days() -> None:
    """In a process that has not loaded every country (as a command has not), the United
    Kingdom's module is run by itself; its days and names are the registry's."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", FRESH_PROCESS, str(FIRST.year),
                           str(LAST.year)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["direct"]
