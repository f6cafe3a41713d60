"""Checking one rule against one audit's chronology: the anchor, the due date, the date it was
done, and a status. Pure: data in, outcomes out; explanations are built only when asked for
(``Outcome.explanation``).

Statuses: ``met``; ``late`` (done after the due date, with working days late); ``overdue``
(not done, and the due date was before the day it is judged at); ``pending`` (not yet due, or
due that very day); ``missed`` (a condition such as "seen alone" not met); ``not_applicable``.

Conventions (README "Counting conventions", each with a worked example and a test):

* **The window**: a timescale counts when the date it counts from (its anchor) is inside the
  review window (window start to audit date, both included), for once, recurring and
  condition rules alike; recurring rules count their first interval from the window start
  (or the day the status began). Evidence rules (``done_any_time``) count whenever their due
  date has passed.
* **Judged at**: the audit date; a rule with ``judged_at = "as_of"`` (the audit's own upload,
  email, action agreements, all after the audit date) at ``--as-of``; an interval that ends
  with a status change at the day of the change.
* **Due that day**: a timescale due on the day it is judged at and not yet done is pending.
* **One status per event**: an event on or after a status change never completes an interval
  of the status before it.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import lru_cache
from operator import attrgetter
from typing import Any

import msgspec

from qaudit.chronology.events import Event
from qaudit.chronology.workdays import WorkCalendar
from qaudit.kpis.interval import count_explained, due_date, long_date
from qaudit.kpis.ruleset import KpiRule
from qaudit.kpis.timeline import Timeline

MISSED = ("late", "overdue", "missed")
STATUSES = ("met", "late", "overdue", "pending", "missed", "not_applicable")
AT_AUDIT = "the audit date"
AT_CHANGE = "the change of status on"
AT_AS_OF = "the date checked"
_ONE_DAY = dt.timedelta(days=1)


class Outcome(msgspec.Struct, frozen=True):
    """One rule's result for one due date (before the file and team are attached); frozen,
    so one not-applicable outcome can stand for every audit it is true of."""

    rule: str
    status: str
    anchor: dt.date | None = None
    due: dt.date | None = None
    done: dt.date | None = None
    working_days_late: int | None = None
    case_status: str | None = None
    what: str = ""
    label: str = ""
    limit: int = 0
    unit: str = "days"
    judged_at: dt.date | None = None
    judged_by: str = AT_AUDIT
    text: str = ""

    def explanation(self, calendar: WorkCalendar) -> str:
        """What was counted, as a practitioner would check it on a calendar."""
        if self.text or self.anchor is None or self.due is None:
            return self.text
        due = calendar.memo.get((self.anchor, self.limit, self.unit, self.label)) \
            or count_explained(self.anchor, self.limit, self.unit, calendar, self.label)
        status = self.status
        if status == "met":
            return f"{self.what} {long_date(self.done)}, due {due}" if self.done else due
        if status == "late" and self.done:
            return f"{self.what} {long_date(self.done)}, {_days(self.working_days_late)} " \
                f"late: due {due}"
        judged = f"{self.judged_by} {long_date(self.judged_at)}" if self.judged_at else ""
        if status == "overdue":
            return f"no {self.what} by {judged} ({_days(self.working_days_late)} after the " \
                f"due date): due {due}"
        if status == "pending" and self.judged_at == self.due:
            return f"due on {judged} itself, not yet done: due {due}"
        if status == "pending":
            return f"not yet due at {judged}: due {due}"
        return f"no {self.what} recorded; due {due}"


def _days(late: int | None) -> str:
    return "1 working day" if late == 1 else f"{late or 0} working days"


class CaseFacts(msgspec.Struct):
    """What the rules read from one audit besides its events (in date order, as
    ``read_events`` gives them). ``as_of`` is the date the audit's own later events
    (upload, email, agreements) are judged against."""

    timeline: Timeline
    events: Sequence[Event]
    calendar: WorkCalendar
    actions: Sequence[dict[str, Any]] | None = None
    child_age: int | None = None
    as_of: dt.date | None = None
    _by_kind: dict[str, list[Event]] = msgspec.field(default_factory=dict)
    _late: dict[str, list[Event]] = msgspec.field(default_factory=dict)

    def __post_init__(self) -> None:
        audit_date = self.timeline.audit_date
        last = max(self.as_of or audit_date, audit_date)
        late = self._late
        for event in self.events:  # in date order, so each kind's list is too
            if event.date > last:
                break
            found = late.get(event.kind)
            if found is None:
                late[event.kind] = [event]
            else:
                found.append(event)

    def judged_at(self, rule: KpiRule) -> dt.date:
        if rule.judged_at == "as_of" and self.as_of is not None:
            return max(self.as_of, self.timeline.audit_date)
        return self.timeline.audit_date

    def of_kind(self, kind: str, where: Mapping[str, Any] | None = None,
                rule: KpiRule | None = None) -> list[Event]:
        """Events of one kind up to the date ``rule`` is judged at (default: the audit
        date), in date order."""
        found = self._late.get(kind, _NONE)
        if found and (rule is None or rule.judged_at != "as_of"):
            audit_date = self.timeline.audit_date
            if found[-1].date > audit_date:  # some after the audit date: cut once, kept
                cut = self._by_kind.get(kind)
                if cut is None:
                    cut = self._by_kind[kind] = found[:bisect_right(found, audit_date,
                                                                    key=_DATE_OF)]
                found = cut
        if where:
            found = [e for e in found if all(e.values.get(k) == v for k, v in where.items())]
        return found


_NONE: list[Event] = []  # never changed: of_kind's callers only read what it gives
_DATE_OF = attrgetter("date")


_ACRONYMS = {"cin": "CIN", "cic": "CIC", "icpc": "ICPC", "rcpc": "RCPC"}


@lru_cache(maxsize=1024)
def word(kind: str) -> str:
    """``cin_review`` -> ``CIN review``."""
    return " ".join(_ACRONYMS.get(w, w) for w in kind.split("_"))


class Judged(msgspec.Struct):
    """Where one due date is judged: the day, and what that day is."""

    at: dt.date
    by: str


def judge(rule: KpiRule, facts: CaseFacts, anchor: dt.date, done: dt.date | None,
          what: str, label: str, status: str | None, where: Judged,
          due: dt.date | None = None) -> Outcome:
    """met / late / overdue / pending for one anchor (see the module's conventions);
    ``due`` when the caller has counted it already."""
    calendar = facts.calendar
    if due is None:
        due = due_date(anchor, rule.limit, rule.unit, calendar)
    if done is not None and done > where.at:
        done = None
    if done is not None and done <= due:
        state, late = "met", 0
    elif done is not None:
        state, late = "late", calendar.working_days_between(due, done)
    elif due < where.at and rule.when_not_recorded == "not_applicable":
        state, late = "not_applicable", None
    elif due < where.at:
        state, late = "overdue", calendar.working_days_between(due, where.at)
    else:
        state, late = "pending", None
    return Outcome(rule.id, state, anchor, due, done, late, status, what, label, rule.limit,
                   rule.unit, where.at, where.by)


def _done_what(rule: KpiRule) -> str:
    if not rule.done_where:
        return word(rule.done)
    return word(rule.done) + "".join(f" ({word(k)})" for k, v in rule.done_where.items()
                                     if v is True)


def _recurring_window(rule: KpiRule, facts: CaseFacts) -> Iterator[Outcome]:
    """Intervals that follow the status in force; the first counts from the start of the
    window or of the status; one that ends with a status change is judged at the change."""
    timeline = facts.timeline
    found = [e.date for e in facts.of_kind(rule.done, rule.done_where)]
    count = len(found)
    what = _done_what(rule)
    previous = f"previous {what}"
    limit, unit, calendar = rule.limit, rule.unit, facts.calendar
    memo = calendar.memo
    for period in timeline.periods_for(rule.statuses):
        status = period.status if rule.statuses else None
        end = period.end
        changed = end < timeline.audit_date
        where = Judged(end + _ONE_DAY, AT_CHANGE) if changed \
            else Judged(timeline.audit_date, AT_AUDIT)
        anchor = period.start
        label = (f"{period.status} from this date" if period.began_in_window and status
                 else "start of the review window")
        at = bisect_left(found, anchor)  # the first interval: an event on its first day too
        while True:
            due = memo.get((anchor, limit, unit)) or due_date(anchor, limit, unit, calendar)
            nxt = found[at] if at < count else None
            if nxt is not None and nxt > end:
                nxt = None  # an event under the next status never closes this interval
            if nxt is not None and nxt <= due:
                yield judge(rule, facts, anchor, nxt, what, label, status, where, due)
            elif due < where.at:
                yield judge(rule, facts, anchor, nxt, what, label, status, where, due)
                if nxt is None:
                    break
            else:
                if not changed and rule.report_pending:
                    yield judge(rule, facts, anchor, None, what, label, status, where, due)
                break
            assert nxt is not None
            anchor, label = nxt, previous
            at = bisect_right(found, anchor, at)  # later intervals: the next event after it


def _bounds(rule: KpiRule, facts: CaseFacts, anchor: dt.date,
            due: dt.date) -> Judged | None:
    """Where a due date counted from ``anchor`` is judged; None when the rule's status ended
    before it fell due (nothing to judge)."""
    judged_at = facts.judged_at(rule)
    leaves = facts.timeline.leaves(rule.statuses, anchor)
    if leaves is not None and leaves <= judged_at:
        if due >= leaves:
            return None
        return Judged(leaves, AT_CHANGE)
    return Judged(judged_at, AT_AS_OF if judged_at > facts.timeline.audit_date else AT_AUDIT)


def _recurring_events(rule: KpiRule, facts: CaseFacts) -> Iterator[Outcome]:
    """Intervals between consecutive events of a kind (later reviews, core groups)."""
    timeline = facts.timeline
    found = facts.of_kind(rule.done, rule.done_where)
    what = word(rule.done)
    for index in range(rule.from_nth - 1, len(found)):
        anchor = found[index].date
        if anchor < timeline.window_start:
            continue  # the window rule: the anchor's own date must be in the window
        status = timeline.status_at(anchor)
        if not rule.applies_to_status(status):
            continue
        nxt = found[index + 1].date if index + 1 < len(found) else None
        due = due_date(anchor, rule.limit, rule.unit, facts.calendar)
        where = _bounds(rule, facts, anchor, due)
        if where is None:
            continue  # the status ended (plan ended, child left care) before it fell due
        if nxt is not None and where.by == AT_CHANGE and nxt >= where.at:
            nxt = None
        outcome = judge(rule, facts, anchor, nxt, f"next {what}", what, status, where, due)
        if outcome.status != "pending" or rule.report_pending:
            yield outcome


Checker = Callable[[KpiRule, CaseFacts], Iterator[Outcome]]
_CHECKERS: dict[tuple[str, bool], Checker] = {}


def _checker(rule: KpiRule) -> Checker:
    """The function that checks rules of this type (looked up once a run)."""
    if not _CHECKERS:
        from qaudit.kpis.once import check_condition, check_once  # it imports this module

        _CHECKERS.update({("condition", False): check_condition,
                          ("condition", True): check_condition,
                          ("recurring", True): _recurring_window,
                          ("recurring", False): _recurring_events,
                          ("once", False): check_once, ("once", True): check_once})
    return _CHECKERS[rule.type, rule.anchor[0] == "@window"]


def check_rule(rule: KpiRule, facts: CaseFacts) -> list[Outcome]:
    """Every due date of one rule in one audit; one not_applicable outcome if none."""
    return list(_checker(rule)(rule, facts)) or [_not_applicable(rule, facts)]


def _not_applicable(rule: KpiRule, facts: CaseFacts) -> Outcome:
    """Why nothing was counted: the same few reasons for every audit, so each outcome is
    made once and kept."""
    out_of_status = bool(rule.statuses) and not facts.timeline.periods_for(rule.statuses)
    key = (rule.id, out_of_status, rule.statuses, rule.done, rule.anchor, rule.type,
           rule.judged_at)
    outcome = _NOTHING_TO_COUNT.get(key)
    if outcome is None:
        text = f"the case was not {'/'.join(rule.statuses)} in the review window" \
            if out_of_status else _nothing_to_count(rule)
        outcome = _NOTHING_TO_COUNT[key] = Outcome(rule.id, "not_applicable", text=text)
    return outcome


_NOTHING_TO_COUNT: dict[tuple[object, ...], Outcome] = {}  # one per kind of rule, kept


def _nothing_to_count(rule: KpiRule) -> str:
    if rule.done == "@actions.agreed_on":
        return "no actions in this audit"
    anchors = [a for a in rule.anchor if not a.startswith("@")]
    if rule.type == "recurring" and rule.anchor[0] != "@window":
        anchors = [rule.done]
    if anchors:
        names = " or ".join(a.split(".")[0] for a in anchors)
        where = "up to the date checked" if rule.judged_at == "as_of" else "in the review window"
        return f"no {names} event to count from {where}"
    return "nothing to count in the review window"
