"""Checking one rule against one audit's chronology: the anchor, the due date, the date it
was done, and a status with the counting that explains it. Pure: data in, records out.

Statuses: ``met``; ``late`` (done after the due date, with working days late); ``overdue``
(not done by the audit date); ``pending`` (not yet due at the audit date); ``missed`` (a
condition such as "seen alone" not met); ``not_applicable``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from qaudit.chronology.events import Event, as_date
from qaudit.chronology.workdays import WorkCalendar
from qaudit.kpis.interval import count, due_date, long_date
from qaudit.kpis.ruleset import KpiRule
from qaudit.kpis.timeline import Timeline

MISSED = ("late", "overdue", "missed")
STATUSES = ("met", "late", "overdue", "pending", "missed", "not_applicable")


@dataclass(frozen=True, slots=True)
class Outcome:
    """One rule's result for one due date (before the file and team are attached)."""

    rule: str
    status: str
    explanation: str
    anchor: dt.date | None = None
    due: dt.date | None = None
    done: dt.date | None = None
    working_days_late: int | None = None
    case_status: str | None = None


@dataclass
class CaseFacts:
    """What the rules read from one audit besides its events."""

    timeline: Timeline
    events: Sequence[Event]
    calendar: WorkCalendar
    actions: Sequence[dict[str, Any]] | None = None
    child_age: int | None = None
    _by_kind: dict[str, list[Event]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for event in self.events:
            if event.date <= self.timeline.audit_date:
                self._by_kind.setdefault(event.kind, []).append(event)

    def of_kind(self, kind: str, where: Mapping[str, Any] | None = None) -> list[Event]:
        """Events of one kind up to the audit date, in date order."""
        found = self._by_kind.get(kind, [])
        if where:
            found = [e for e in found if all(e.values.get(k) == v for k, v in where.items())]
        return found


_ACRONYMS = {"cin": "CIN", "cic": "CIC", "icpc": "ICPC", "rcpc": "RCPC"}


def _word(kind: str) -> str:
    """``cin_review`` -> ``CIN review``."""
    return " ".join(_ACRONYMS.get(w, w) for w in kind.split("_"))


def _judge(rule: KpiRule, facts: CaseFacts, anchor: dt.date, done: dt.date | None,
           what: str, label: str, status: str | None) -> Outcome:
    """met / late / overdue / pending for one anchor, with the counting shown."""
    calendar = facts.calendar
    counted = count(anchor, rule.limit, rule.unit, calendar, label)
    due = counted.due
    audit_date = facts.timeline.audit_date
    if done is not None and done > audit_date:
        done = None
    base = dict(rule=rule.id, anchor=anchor, due=due, case_status=status)
    if done is not None and done <= due:
        return Outcome(status="met", done=done, working_days_late=0,
                       explanation=f"{what} {long_date(done)}, due {counted.explanation}",
                       **base)  # type: ignore[arg-type]
    if done is not None:
        late = calendar.working_days_between(due, done)
        days = f"{late} working day{'s' if late != 1 else ''} late"
        return Outcome(status="late", done=done, working_days_late=late,
                       explanation=f"{what} {long_date(done)}, {days}: due "
                       f"{counted.explanation}", **base)  # type: ignore[arg-type]
    if due <= audit_date:
        if rule.when_not_recorded == "not_applicable":
            return Outcome(status="not_applicable", explanation=f"no {what} recorded; due "
                           f"{counted.explanation}", **base)  # type: ignore[arg-type]
        late = calendar.working_days_between(due, audit_date)
        return Outcome(status="overdue", working_days_late=late,
                       explanation=f"no {what} by the audit date {long_date(audit_date)} "
                       f"({late} working day{'s' if late != 1 else ''} after the due date): "
                       f"due {counted.explanation}",
                       **base)  # type: ignore[arg-type]
    return Outcome(status="pending", explanation=f"not yet due at the audit date: due "
                   f"{counted.explanation}", **base)  # type: ignore[arg-type]


def _recurring_window(rule: KpiRule, facts: CaseFacts) -> Iterator[Outcome]:
    """Intervals that follow the status in force; the first counts from the start of the
    window or of the status."""
    timeline = facts.timeline
    done_kind = rule.done
    found = facts.of_kind(done_kind, rule.done_where)
    for period in timeline.periods_for(rule.statuses):
        status = period.status if rule.statuses else None
        anchor = period.start
        label = (f"{period.status} from this date" if period.began_in_window and status
                 else "start of the review window")
        first = True
        while True:
            due = due_date(anchor, rule.limit, rule.unit, facts.calendar)
            nxt = next((e.date for e in found
                        if e.date > anchor or (first and e.date == anchor)), None)
            what = _word(done_kind) + "".join(f" ({_word(k)})" for k, v in
                                              rule.done_where.items() if v is True)
            if nxt is not None and nxt <= min(due, period.end):
                yield _judge(rule, facts, anchor, nxt, what, label, status)
            elif due <= period.end:
                yield _judge(rule, facts, anchor, nxt, what, label, status)
                if nxt is None or nxt > period.end:
                    break
            else:
                if period.end == timeline.audit_date and rule.report_pending:
                    yield _judge(rule, facts, anchor, None, what, label, status)
                break
            assert nxt is not None
            anchor, label, first = nxt, f"previous {what}", False


def _recurring_events(rule: KpiRule, facts: CaseFacts) -> Iterator[Outcome]:
    """Intervals between consecutive events of a kind (later reviews, core groups)."""
    timeline = facts.timeline
    found = facts.of_kind(rule.done, rule.done_where)
    what = _word(rule.done)
    for index in range(rule.from_nth - 1, len(found)):
        anchor = found[index].date
        status = timeline.status_at(anchor)
        if not rule.applies_to_status(status):
            continue
        nxt = found[index + 1].date if index + 1 < len(found) else None
        due = due_date(anchor, rule.limit, rule.unit, facts.calendar)
        if due < timeline.window_start and (nxt is None or nxt < timeline.window_start):
            continue
        end = min(d for d in (due, timeline.audit_date, nxt) if d is not None)
        if rule.statuses and not rule.applies_to_status(timeline.status_at(end)):
            continue  # the status ended (plan ended, child left care) before it fell due
        outcome = _judge(rule, facts, anchor, nxt, f"next {what}", f"{what}", status)
        if outcome.status != "pending" or rule.report_pending:
            yield outcome


def _anchors(rule: KpiRule, facts: CaseFacts) -> list[tuple[dt.date, Event | None, str]]:
    """(date counted from, its event, the key it was read from) in date order."""
    found: list[tuple[dt.date, Event | None, str]] = []
    for spec in rule.anchor:
        if spec == "@audit_date":
            found.append((facts.timeline.audit_date, None, ""))
            continue
        kind, _, key = spec.partition(".")
        for event in facts.of_kind(kind):
            if any(event.values.get(k) == v for k, v in rule.skip_anchor_when.items()):
                continue
            day = event.day(key) if key else event.date
            if day is not None:
                found.append((day, event, key))
    found.sort(key=lambda pair: pair[0])
    if rule.anchor_nth:
        return found[rule.anchor_nth - 1:rule.anchor_nth]
    return found


def _actions_agreed(facts: CaseFacts) -> tuple[dt.date | None, str]:
    records = facts.actions or []
    agreed = [as_date(r.get("agreed_on")) for r in records]
    if not records:
        return None, "no actions"
    if any(day is None for day in agreed):
        return None, "action timescales agreed"
    return max(d for d in agreed if d is not None), "last action timescale agreed"


def _once(rule: KpiRule, facts: CaseFacts) -> Iterator[Outcome]:
    timeline = facts.timeline
    claimed: set[int] = set()
    done_kind, _, done_key = rule.done.partition(".")
    for anchor, event, anchor_key in _anchors(rule, facts):
        status = timeline.status_at(anchor)
        if anchor > timeline.audit_date or not rule.applies_to_status(status):
            continue
        due = due_date(anchor, rule.limit, rule.unit, facts.calendar)
        if due < timeline.window_start and not rule.done_any_time:
            continue
        label = _word(event.kind) if event else "audit date"
        done: dt.date | None
        if rule.done == "@actions.agreed_on":
            done, what = _actions_agreed(facts)
            if what == "no actions":
                continue
        elif rule.done.startswith(".") or (event and done_kind == event.kind and done_key):
            done, what = (event.day(done_key) if event else None), _word(done_key)
        elif event and done_kind == event.kind and anchor_key:
            done, what = event.date, _word(done_kind)  # a record update and what it records
        else:
            what = _word(done_kind) + (f" {_word(done_key)}" if done_key else "")
            pool = facts.of_kind(done_kind)
            same_kind = event is not None and event.kind == done_kind
            if rule.done_any_time:
                after = pool
            elif same_kind and event is not None:
                after = [e for e in pool if (e.date, e.index) > (event.date, event.index)]
            else:
                after = [e for e in pool if e.date >= anchor]
            target = after[rule.done_nth - 1] if len(after) >= rule.done_nth else None
            if target is not None and not rule.done_any_time and not same_kind:
                if target.index in claimed:
                    continue  # an earlier anchor (the initial strategy discussion) counts
                claimed.add(target.index)
            done = None if target is None else (target.day(done_key) if done_key
                                                 else target.date)
        outcome = _judge(rule, facts, anchor, done, what, label, status)
        if outcome.status != "pending" or rule.report_pending:
            yield outcome


def _condition(rule: KpiRule, facts: CaseFacts) -> Iterator[Outcome]:
    timeline = facts.timeline
    if rule.min_age is not None and facts.child_age is not None \
            and facts.child_age < rule.min_age:
        yield Outcome(rule.id, "not_applicable",
                      f"the child is {facts.child_age}; this applies from age {rule.min_age}")
        return
    kind, _, key = rule.done.partition(".")
    for event in facts.of_kind(rule.anchor[0]):
        status = timeline.status_at(event.date)
        if event.date < timeline.window_start or not rule.applies_to_status(status):
            continue
        value = event.flag(key)
        when = f"{_word(kind)} {long_date(event.date)}"
        if value is True:
            yield Outcome(rule.id, "met", f"{when}: {_word(key)}", event.date, event.date,
                          event.date, 0, status)
        elif value is False:
            yield Outcome(rule.id, "missed", f"{when}: not {_word(key)}", event.date,
                          event.date, None, None, status)
        elif rule.when_not_recorded == "overdue":
            yield Outcome(rule.id, "missed", f"{when}: {_word(key)} not recorded",
                          event.date, event.date, None, None, status)


def _why_not(rule: KpiRule, facts: CaseFacts) -> str:
    if rule.statuses and not facts.timeline.periods_for(rule.statuses):
        return f"the case was not {'/'.join(rule.statuses)} in the review window"
    anchors = [a for a in rule.anchor if not a.startswith("@")]
    if rule.type == "recurring" and rule.anchor[0] != "@window":
        anchors = [rule.done]
    if anchors:
        names = " or ".join(a.split(".")[0] for a in anchors)
        return f"no {names} event to count from in the review window"
    return "nothing to count in the review window"


def check_rule(rule: KpiRule, facts: CaseFacts) -> list[Outcome]:
    """Every due date of one rule in one audit; one not_applicable outcome if none."""
    if rule.type == "condition":
        outcomes = list(_condition(rule, facts))
    elif rule.type == "recurring" and rule.anchor[0] == "@window":
        outcomes = list(_recurring_window(rule, facts))
    elif rule.type == "recurring":
        outcomes = list(_recurring_events(rule, facts))
    else:
        outcomes = list(_once(rule, facts))
    if not outcomes:
        outcomes = [Outcome(rule.id, "not_applicable", _why_not(rule, facts))]
    return outcomes
