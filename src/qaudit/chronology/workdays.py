"""Working days in England: weekends, England and Wales bank holidays and local closure days.

The bank holidays come from the ``holidays`` package (country ``GB``, subdivision ``ENG``;
without the subdivision Easter Monday and the August bank holiday are missing). Substitute
("observed") days are kept, so when Christmas Day falls on a Sunday the Tuesday after is not
worked. One-off days (jubilees, the 2022 state funeral, the 2023 coronation) are included.

**Counting convention.** "Within N working days of X" means on or before the Nth working day
*after* X; X itself is not counted. One working day after Friday 2025-05-23 is Tuesday
2025-05-27 (Monday 26 May is the spring bank holiday). A folder can choose to count the anchor
day instead (``count_anchor_day = true`` in ``qaudit.toml``): X is then working day 1 when it
is a working day, so 1 working day "from" a Tuesday is that Tuesday.

**Months** are calendar months, clamped at the month end: 31 Jan + 1 month = 28 Feb (29 in a
leap year), as the Interpretation Act 1978 reads "month".

Example::

    >>> import datetime as dt
    >>> add_working_days(dt.date(2025, 5, 23), 1)
    datetime.date(2025, 5, 27)
    >>> working_days_between(dt.date(2025, 5, 23), dt.date(2025, 5, 27))
    1
    >>> add_months(dt.date(2026, 1, 31), 1)
    datetime.date(2026, 2, 28)
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from qaudit.audit.months import shift_months
from qaudit.audit.values import FIRST_YEAR, LAST_YEAR
from qaudit.errors import UsageError

__all__ = [
    "CLOSURE_NAME",
    "DEFAULT_CALENDAR",
    "OutOfCalendarError",
    "WorkCalendar",
    "add_months",
    "add_working_days",
    "england_bank_holidays",
    "is_working_day",
    "working_days_between",
]

CLOSURE_NAME = "local closure day"
_ONE_DAY = dt.timedelta(days=1)


# Dates are written from 1900 to 2099 (``qaudit.audit.values``); counting from them may run a
# century either side, so a valid date plus any real timescale is always counted, and only an
# absurd amount (a typo, a broken rule set) stops the command.
COUNT_FIRST_YEAR, COUNT_LAST_YEAR = FIRST_YEAR - 100, LAST_YEAR + 100


def in_counted_range(day: dt.date) -> bool:
    return COUNT_FIRST_YEAR <= day.year <= COUNT_LAST_YEAR


class OutOfCalendarError(UsageError):
    """A count would end outside the years qaudit counts (COUNT_FIRST_YEAR..COUNT_LAST_YEAR)."""


def out_of_calendar(start: dt.date, amount: int, unit: str) -> OutOfCalendarError:
    """The error for ``amount`` ``unit`` from ``start`` landing outside the counted years."""
    word = unit.replace("_", " ")
    edge = ("past the end" if amount >= 0 else "before the start")
    return OutOfCalendarError(
        f"{amount} {word} from {start.isoformat()} would be {edge} of the calendar qaudit "
        f"counts; due dates must fall from {COUNT_FIRST_YEAR}-01-01 to {COUNT_LAST_YEAR}-12-31")


def _plain_name(name: str) -> str:
    """``Christmas Day (observed)`` -> ``Christmas Day, substitute`` (the gov.uk wording)."""
    parts = [p.strip() for p in name.split(";")]
    return "; ".join(p.replace(" (observed)", ", substitute") for p in parts)


@cache
def _united_kingdom() -> Any:
    """holidays' United Kingdom class, imported when first needed (most commands never count
    a working day) and by itself: ``holidays.country_holidays("GB")``, or importing
    ``holidays.countries.united_kingdom`` the usual way, first runs ``holidays.countries``,
    which imports every country's module (~0.07 s of CPU per process, workers included).
    The module's own file is run as that module instead (importlib's recipe for importing a
    source file directly); it imports only holidays' shared parts. The days are the same
    (tests/test_workdays_lookup.py). Where the file is not a plain file on disk (a zipped
    install) or ``holidays.countries`` is already loaded, the usual import."""
    import importlib.util
    import os
    import sys

    import holidays

    name = "holidays.countries.united_kingdom"
    module = sys.modules.get(name)
    if module is None and "holidays.countries" not in sys.modules:
        path = os.path.join(os.path.dirname(holidays.__file__), "countries",
                            "united_kingdom.py")
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is not None and spec.loader is not None and os.path.isfile(path):
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            try:
                spec.loader.exec_module(module)
            except BaseException:
                del sys.modules[name]
                raise
    if module is not None:
        return module.UnitedKingdom
    from holidays.countries.united_kingdom import UnitedKingdom

    return UnitedKingdom


@cache
def england_bank_holidays(year: int) -> dict[dt.date, str]:
    """England and Wales bank holidays of one year, as gov.uk lists them: weekdays only.

    A holiday falling on a weekend is replaced by its substitute weekday (kept, named
    "..., substitute"); the weekend date itself is not a bank holiday and is left out.
    """
    table = _united_kingdom()(subdiv="ENG", years=year)
    return {
        day: _plain_name(str(name))
        for day, name in sorted(table.items())
        if day.year == year and day.weekday() < 5
    }


@lru_cache(maxsize=65536)
def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months later (or earlier when negative), clamped at the month end.

    Past the calendar's ends (an audit dated 0001-01-01, which validate refuses as a value)
    the result stops at dt.date.min / dt.date.max rather than raising, so the rules and KPIs
    of such a file still report instead of failing the file."""
    try:
        return shift_months(day, months)
    except (ValueError, OverflowError):
        return dt.date.min if months < 0 else dt.date.max


@lru_cache(maxsize=4096)
def _closed_weekdays(year: int, closure_days: frozenset[dt.date]) -> frozenset[dt.date]:
    """Weekdays of one year that are not worked: bank holidays and closure days."""
    return frozenset(england_bank_holidays(year)) | frozenset(
        d for d in closure_days if d.year == year)


def _day_of_year(day: dt.date) -> int:
    """``day.timetuple().tm_yday`` (1 for 1 January) from its ordinal, without building a
    time tuple: four times faster, and it runs for every late or overdue record."""
    before = day.year - 1
    return day.toordinal() - 365 * before - before // 4 + before // 100 - before // 400


@lru_cache(maxsize=4096)
def _year_table(year: int, closure_days: frozenset[dt.date]) -> tuple[int, ...]:
    """Cumulative working days of one year: item ``d`` counts the working days among days
    1..d of the year (item 0 is 0), so counting working days is a subtraction and finding
    the Nth working day a binary search."""
    closed = _closed_weekdays(year, closure_days)
    counts = [0]
    day = dt.date(year, 1, 1)
    while day.year == year:
        counts.append(counts[-1] + (day.weekday() < 5 and day not in closed))
        day += _ONE_DAY
    return tuple(counts)


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are worked: not weekends, bank holidays or the folder's closure days.

    ``count_anchor_day`` picks the counting convention (see the module docstring).
    """

    closure_days: frozenset[dt.date] = field(default_factory=frozenset)
    count_anchor_day: bool = False
    # Due dates and their explanations counted with this calendar, kept for the run (see
    # ``qaudit.kpis.interval``): keyed without the calendar, so a lookup hashes no fields.
    memo: dict[tuple[object, ...], Any] = field(
        default_factory=dict, init=False, compare=False, hash=False, repr=False)

    def __hash__(self) -> int:
        # Kept: a calendar is part of the key of every cached due date and explanation, and
        # a dataclass's own __hash__ hashes its fields again on each lookup.
        try:
            return self._hash  # type: ignore[attr-defined, no-any-return]
        except AttributeError:
            value = hash((self.closure_days, self.count_anchor_day))
            object.__setattr__(self, "_hash", value)
            return value

    def __getstate__(self) -> dict[str, object]:
        # The hash is never sent to a worker process (dates hash differently under its hash
        # seed), nor what was counted here.
        return {k: v for k, v in self.__dict__.items() if k not in ("_hash", "memo")}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state, memo={})

    @classmethod
    def with_closures(cls, closure_days: Iterable[dt.date] = (), *,
                      count_anchor_day: bool = False) -> WorkCalendar:
        return cls(frozenset(closure_days), count_anchor_day)

    def holiday_name(self, day: dt.date) -> str | None:
        """The bank holiday's name, ``local closure day``, or None for any other day."""
        name = england_bank_holidays(day.year).get(day)
        if name is not None:
            return name
        return CLOSURE_NAME if day in self.closure_days else None

    def bank_holidays(self, year: int) -> dict[dt.date, str]:
        """Bank holidays and closure days of one year (weekdays only), by date."""
        days = dict(england_bank_holidays(year))
        for day in self.closure_days:
            if day.year == year and day.weekday() < 5 and day not in days:
                days[day] = CLOSURE_NAME
        return dict(sorted(days.items()))

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in _closed_weekdays(day.year, self.closure_days)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The date N working days from ``start`` (see the counting convention).

        ``n = 0`` gives ``start``. With ``count_anchor_day`` a working ``start`` is day 1.
        Negative ``n`` counts back the same way (start not counted). A lookup in the year's
        table of cumulative working days (``_year_table``), not a walk day by day.
        """
        if n == 0:
            return start
        remaining = abs(n)
        if self.count_anchor_day and n > 0 and self.is_working_day(start):
            remaining -= 1
            if remaining == 0:
                return start
        year = start.year
        position = _day_of_year(start)
        if n > 0:
            while True:
                if year > COUNT_LAST_YEAR:
                    raise out_of_calendar(start, n, "working_days")
                table = _year_table(year, self.closure_days)
                room = table[-1] - table[position]
                if remaining <= room:
                    day = bisect_left(table, table[position] + remaining)
                    return dt.date(year, 1, 1) + dt.timedelta(days=day - 1)
                remaining -= room
                year, position = year + 1, 0
        while True:
            table = _year_table(year, self.closure_days)
            before = table[position - 1] if position > 0 else 0
            if remaining <= before:
                day = bisect_left(table, before - remaining + 1)
                return dt.date(year, 1, 1) + dt.timedelta(days=day - 1)
            remaining -= before
            year -= 1
            if year < COUNT_FIRST_YEAR:
                raise out_of_calendar(start, n, "working_days")
            position = len(_year_table(year, self.closure_days))

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end < start).

        ``working_days_between(x, add_working_days(x, n)) == n`` under the default
        convention; it is how many working days late a date is after its due date.
        """
        if end < start:
            return -self.working_days_between(end, start)
        first = _year_table(start.year, self.closure_days)
        if start.year == end.year:  # _day_of_year of both, the year's base counted once
            before = start.year - 1
            base = 365 * before + before // 4 - before // 100 + before // 400
            return first[end.toordinal() - base] - first[start.toordinal() - base]
        total = first[-1] - first[_day_of_year(start)]
        for year in range(start.year + 1, end.year):
            total += _year_table(year, self.closure_days)[-1]
        return total + _year_table(end.year, self.closure_days)[_day_of_year(end)]

    def non_working_days(self, start: dt.date, end: dt.date) -> Iterator[tuple[dt.date, str]]:
        """Days after ``start`` up to ``end`` that are not worked, with why (or 'weekend')."""
        day = start
        while day < end:
            day += _ONE_DAY
            if day.weekday() >= 5:
                yield day, "weekend"
            else:
                name = self.holiday_name(day)
                if name is not None:
                    yield day, name


DEFAULT_CALENDAR = WorkCalendar()


def is_working_day(day: dt.date, calendar: WorkCalendar = DEFAULT_CALENDAR) -> bool:
    """True on a weekday that is not a bank holiday (or a closure day of ``calendar``)."""
    return calendar.is_working_day(day)


def add_working_days(start: dt.date, n: int,
                     calendar: WorkCalendar = DEFAULT_CALENDAR) -> dt.date:
    """The Nth working day after ``start``; ``start`` is not counted by default."""
    return calendar.add_working_days(start, n)


def working_days_between(start: dt.date, end: dt.date,
                         calendar: WorkCalendar = DEFAULT_CALENDAR) -> int:
    """Working days in (start, end]; negative when ``end`` is before ``start``."""
    return calendar.working_days_between(start, end)
