"""One interval (N working days, days, weeks, months or hours) and the due date it gives,
with the explanation a practitioner can check on a calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from qaudit.chronology.workdays import (
    WorkCalendar,
    add_months,
    in_counted_range,
    out_of_calendar,
)

UNITS = ("working_days", "days", "weeks", "months", "hours")
_SINGULAR = {"working_days": "working day", "days": "day", "weeks": "week",
             "months": "month", "hours": "hour"}


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@lru_cache(maxsize=8192)
def long_date(day: dt.date) -> str:
    """``Tue 10 Jan 2023`` (English names whatever the locale)."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


@lru_cache(maxsize=8192)
def short_date(day: dt.date) -> str:
    """``Mon 26 Dec``."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


def amount_text(amount: int, unit: str) -> str:
    word = _SINGULAR[unit]
    return f"{amount} {word}" if amount == 1 else f"{amount} {word}s"


def join_words(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


@dataclass(frozen=True)
class Skipped:
    date: dt.date
    name: str


@dataclass(frozen=True)
class Due:
    """A due date and how it was counted."""

    start: dt.date
    amount: int
    unit: str
    due: dt.date
    skipped: tuple[Skipped, ...] = ()
    weekend_days: int = 0
    anchor_counted: bool = False
    clamped: bool = False
    anchor_label: str = ""

    @property
    def counting(self) -> str:
        """``15 working days after Thu 15 Dec 2022, skipping ... and weekends``."""
        after = "from" if self.anchor_counted else "after"
        text = f"{amount_text(self.amount, self.unit)} {after} {long_date(self.start)}"
        if self.anchor_label:
            text += f" ({self.anchor_label})"
        if self.anchor_counted:
            text += ", that day counted as day 1"
        if self.unit == "working_days":
            parts = [f"{short_date(s.date)} ({s.name})" for s in self.skipped]
            if self.weekend_days:
                parts.append("weekends")
            if parts:
                text += ", skipping " + join_words(parts)
        elif self.unit == "hours":
            text += " (dates without times: due the next calendar day)"
        elif self.clamped:
            text += " (clamped to the end of the month)"
        return text

    @property
    def explanation(self) -> str:
        """``Tue 10 Jan 2023, 15 working days after Thu 15 Dec 2022, skipping ...``."""
        return f"{long_date(self.due)}, {self.counting}"

    def as_dict(self) -> dict[str, object]:
        return {
            "due": self.due.isoformat(),
            "start": self.start.isoformat(),
            "amount": self.amount,
            "unit": self.unit,
            "count_anchor_day": self.anchor_counted,
            "skipped": [{"date": s.date.isoformat(), "name": s.name} for s in self.skipped],
            "weekend_days": self.weekend_days,
            "explanation": self.explanation,
        }


MEMO_SIZE = 1 << 16  # due dates and explanations kept per calendar; emptied when full


def due_date(start: dt.date, amount: int, unit: str, calendar: WorkCalendar) -> dt.date:
    """The due date alone (fast path for the engine; the same dates recur across audits, so
    each is kept in the calendar's ``memo``).

    A due date outside the years qaudit counts (1800-2199) raises ``OutOfCalendarError``
    (a usage error), never OverflowError, whatever the amount.
    """
    key = (start, amount, unit)
    memo = calendar.memo
    due: dt.date | None = memo.get(key)
    if due is None:
        due = _counted(start, amount, unit, calendar)
        if len(memo) >= MEMO_SIZE:
            memo.clear()
        memo[key] = due
    return due


def _counted(start: dt.date, amount: int, unit: str, calendar: WorkCalendar) -> dt.date:
    try:
        due = _due_date(start, amount, unit, calendar)
    except (OverflowError, ValueError) as exc:
        if unit not in UNITS:
            raise
        raise out_of_calendar(start, amount, unit) from exc
    if not in_counted_range(due):
        raise out_of_calendar(start, amount, unit)
    return due


def _due_date(start: dt.date, amount: int, unit: str, calendar: WorkCalendar) -> dt.date:
    if unit == "working_days":
        return calendar.add_working_days(start, amount)
    if unit == "days":
        return start + dt.timedelta(days=amount)
    if unit == "weeks":
        return start + dt.timedelta(weeks=amount)
    if unit == "months":
        return add_months(start, amount)
    if unit == "hours":
        # Chronologies hold dates, not times: 24 hours after a meeting is the next day.
        return start + dt.timedelta(days=max(1, -(-amount // 24)))
    raise ValueError(f"unknown unit {unit!r}; allowed: {', '.join(UNITS)}")


def count(start: dt.date, amount: int, unit: str, calendar: WorkCalendar,
          label: str = "") -> Due:
    """The due date with its explanation: the days skipped when counting working days.
    ``label`` says what the start date is ("previous visit"); it is shown after it."""
    due = due_date(start, amount, unit, calendar)
    if unit != "working_days":
        clamped = unit == "months" and due.day != start.day
        return Due(start, amount, unit, due, clamped=clamped, anchor_label=label)
    skipped: list[Skipped] = []
    weekend = 0
    for day, name in calendar.non_working_days(start, due):
        if name == "weekend":
            weekend += 1
        else:
            skipped.append(Skipped(day, name))
    anchored = calendar.count_anchor_day and amount > 0 and calendar.is_working_day(start)
    return Due(start, amount, unit, due, tuple(skipped), weekend, anchor_counted=anchored,
               anchor_label=label)


def count_explained(start: dt.date, amount: int, unit: str, calendar: WorkCalendar,
                    label: str = "") -> str:
    """``count(...).explanation``, kept in the calendar's ``memo``: the same anchor, limit
    and label recur across audits."""
    key = (start, amount, unit, label)
    memo = calendar.memo
    text: str | None = memo.get(key)
    if text is None:
        text = count(start, amount, unit, calendar, label).explanation
        if len(memo) >= MEMO_SIZE:
            memo.clear()
        memo[key] = text
    return text
