"""One audit's review window and the case status in force on each day of it."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence

import msgspec

from qaudit.chronology.events import Event, schema
from qaudit.chronology.workdays import add_months

_ONE_DAY = dt.timedelta(days=1)


class Period(msgspec.Struct):
    """Days ``start``..``end`` (both included) with one case status (None: not known)."""

    start: dt.date
    end: dt.date
    status: str | None
    began_in_window: bool


class Timeline(msgspec.Struct):
    """The review window (``window_start``..``audit_date``) cut into status periods."""

    audit_date: dt.date
    window_start: dt.date
    periods: tuple[Period, ...]
    changes: tuple[tuple[dt.date, str], ...]
    initial: str | None
    _runs: dict[tuple[str, ...], list[Period]] = msgspec.field(default_factory=dict)
    _change_days: tuple[dt.date, ...] = ()  # the changes' days and statuses, for bisect
    _change_statuses: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self._change_days = tuple(day for day, _ in self.changes)
        self._change_statuses = tuple(status for _, status in self.changes)

    def status_at(self, day: dt.date) -> str | None:
        """The status in force on ``day``: the last change on or before it (changes are in
        date order, a later one on the same day winning), else the initial status."""
        at = bisect_right(self._change_days, day)
        return self._change_statuses[at - 1] if at else self.initial

    def leaves(self, statuses: Sequence[str], after: dt.date) -> dt.date | None:
        """The first day after ``after`` on which the status is none of ``statuses`` (the
        plan ended, the child left care), up to the audit date; None if it never leaves (or
        the rule has no statuses)."""
        if not statuses:
            return None
        for start, value in self.changes:
            if start > after and value not in statuses:
                return start
        return None

    def periods_for(self, statuses: Sequence[str]) -> list[Period]:
        """Runs of days whose status is one of ``statuses`` (all days when empty), merged
        (worked out once for each ``statuses``)."""
        key = tuple(statuses)
        found = self._runs.get(key)
        if found is None:
            found = self._runs[key] = self._periods_for(statuses)
        return found

    def _periods_for(self, statuses: Sequence[str]) -> list[Period]:
        runs: list[Period] = []
        for period in self.periods:
            if statuses and period.status not in statuses:
                continue
            if runs and runs[-1].end + _ONE_DAY == period.start:
                last = runs[-1]
                runs[-1] = Period(last.start, period.end, last.status, last.began_in_window)
            else:
                runs.append(period)
        return runs


def normalise_status(value: object) -> str | None:
    return schema().status(value) if isinstance(value, str) else None


def build_timeline(events: Sequence[Event], audit_date: dt.date, review_months: int,
                   case_status: object) -> Timeline:
    """Status periods of the window. Before the first ``status`` event the status is not
    known, unless there is none at all: then the audit's case status holds throughout."""
    window_start = add_months(audit_date, -review_months)
    changes = tuple((e.date, str(e.values["status"])) for e in events
                    if e.kind == "status" and e.date <= audit_date)
    initial = None if changes else normalise_status(case_status)
    timeline = Timeline(audit_date, window_start, (), changes, initial)
    starts = [window_start, *sorted({d for d, _ in changes if window_start < d})]
    periods = []
    for index, start in enumerate(starts):
        end = starts[index + 1] - _ONE_DAY if index + 1 < len(starts) else audit_date
        began = index > 0 or any(d == window_start for d, _ in changes)
        periods.append(Period(start, end, timeline.status_at(start), began))
    return Timeline(audit_date, window_start, tuple(periods), changes, initial)
