"""Rules of type ``once`` (one due date per anchor), ``condition`` (each anchor event must
have a flag true) and the action agreement (one due date per action), against one audit.
The conventions are those of ``qaudit.kpis.engine``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from operator import itemgetter

from qaudit.chronology.events import Event, as_date
from qaudit.kpis.agreement import judge_agreement
from qaudit.kpis.engine import (
    AT_AS_OF,
    AT_AUDIT,
    AT_CHANGE,
    CaseFacts,
    Judged,
    Outcome,
    _bounds,
    judge,
    word,
)
from qaudit.kpis.interval import due_date, long_date
from qaudit.kpis.ruleset import KpiRule

AGREED_ON = "@actions.agreed_on"
_first = itemgetter(0)  # sort anchors by their date alone (stable: file order kept)


def _anchors(rule: KpiRule, facts: CaseFacts, first: dt.date | None,
             last: dt.date) -> list[tuple[dt.date, Event | None, str]]:
    """(date counted from, its event, the key it was read from) in date order, dated from
    ``first`` (None: whenever) to ``last``, both included. A rule that picks its n-th anchor
    counts it among all of them, whatever their dates, and keeps it only if it is between."""
    found: list[tuple[dt.date, Event | None, str]] = []
    skip, nth = rule.skip_anchor_when, rule.anchor_nth
    low, high = (None, None) if nth else (first, last)  # dropped while collecting, as a rule
    for spec in rule.anchor:
        if spec == "@audit_date":
            found.append((facts.timeline.audit_date, None, ""))
            continue
        kind, _, key = spec.partition(".")
        own_date = not key or key == "date"
        for event in facts.of_kind(kind, rule=rule):
            if skip and any(event.values.get(k) == v for k, v in skip.items()):
                continue
            day = event.date if own_date else event.values.get(key)
            if day.__class__ is not dt.date:  # as read from TOML it is one, or is missing
                day = as_date(day)
            if day is None or (low is not None and day < low) \
                    or (high is not None and day > high):
                continue
            found.append((day, event, key))
    if len(found) > 1:
        found.sort(key=_first)
    if nth:
        return [anchor for anchor in found[nth - 1:nth]
                if (first is None or anchor[0] >= first) and anchor[0] <= last]
    return found


def check_agreement(rule: KpiRule, facts: CaseFacts) -> Iterator[Outcome]:
    """One outcome per action: timescales agreed within the limit after the upload, judged
    at ``--as-of`` exactly as ``qaudit actions`` flags them (``qaudit.kpis.agreement``)."""
    as_of = facts.judged_at(rule)
    uploads = facts.of_kind(rule.anchor[0], rule=rule)
    uploaded = uploads[0].date if uploads else None
    agree_by = due_date(uploaded, rule.limit, rule.unit, facts.calendar) if uploaded else None
    status = facts.timeline.status_at(facts.timeline.audit_date)
    from qaudit.actions.register import OPEN, action_status  # the one status rule

    for number, record in enumerate(facts.actions or [], start=1):
        if not isinstance(record, dict):
            continue
        agreed_on = as_date(record.get("agreed_on"))
        judged = judge_agreement(agree_by, as_date(record.get("due")), agreed_on,
                                 action_status(record) == OPEN, as_of, facts.calendar)
        what = f"action {number} timescales agreed"
        done = agreed_on if judged.status in ("met", "late") else None
        text = f"action {number}: {judged.reason}" if judged.reason else ""
        yield Outcome(rule.id, judged.status, uploaded, agree_by, done,
                      judged.working_days_late, status, what, "audit uploaded", rule.limit,
                      rule.unit, as_of, AT_AS_OF, text)


def _done_event(rule: KpiRule, facts: CaseFacts, anchor: dt.date, event: Event | None,
                claimed: set[int]) -> tuple[dt.date | None, bool]:
    """The date the anchor's timescale was done (a later event of the done kind), and False
    when an earlier anchor already claimed that event (this anchor is then not counted)."""
    done_kind, _, done_key = rule.done.partition(".")
    pool = facts.of_kind(done_kind, rule=rule)
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
            return None, False  # an earlier anchor (the initial strategy discussion) counts
        claimed.add(target.index)
    if target is None:
        return None, True
    return (target.day(done_key) if done_key else target.date), True


_OWN_KEY, _ANCHOR_EVENT, _LATER_EVENT = 0, 1, 2  # where a once rule's done date comes from


def _done_from(rule: KpiRule, event: Event | None) -> tuple[int, str, str]:
    """For anchors of this event's kind: where the done date is read, what it is called and
    what the anchor is called (the same for every anchor of one kind)."""
    done_kind, _, done_key = rule.done.partition(".")
    label = word(event.kind) if event else "audit date"
    if rule.done.startswith(".") or (event and done_kind == event.kind and done_key):
        return _OWN_KEY, word(done_key), label  # a record date of the anchor event itself
    if event and done_kind == event.kind:
        return _ANCHOR_EVENT, word(done_kind), label  # a record update and what it records
    return _LATER_EVENT, word(done_kind) + (f" {word(done_key)}" if done_key else ""), label


def check_once(rule: KpiRule, facts: CaseFacts) -> Iterator[Outcome]:
    if rule.done == AGREED_ON:
        yield from check_agreement(rule, facts)
        return
    timeline = facts.timeline
    claimed: set[int] = set()
    done_key = rule.done.partition(".")[2]
    judged_at = facts.judged_at(rule)
    any_time = rule.done_any_time
    statuses, report_pending = rule.statuses, rule.report_pending
    limit, unit, calendar = rule.limit, rule.unit, facts.calendar
    memo = calendar.memo
    window_start, audit_date = timeline.window_start, timeline.audit_date
    # where every due date is judged when the rule has no status to leave (most rules)
    fixed = Judged(judged_at, AT_AUDIT) if any_time else \
        None if statuses else _bounds(rule, facts, window_start, window_start)
    ways: dict[str | None, tuple[int, str, str]] = {}
    # the window rule: an anchor counts when its own date is in the window (evidence rules,
    # done any time, whenever it is dated), up to the day the rule is judged at
    for anchor, event, anchor_key in _anchors(rule, facts, None if any_time else window_start,
                                              judged_at):
        due = memo.get((anchor, limit, unit)) or due_date(anchor, limit, unit, calendar)
        status = timeline.status_at(min(due, audit_date) if any_time else anchor)
        if statuses and status not in statuses:
            continue
        where = fixed or _bounds(rule, facts, anchor, due)
        if where is None:
            continue  # the status ended before it fell due
        kind = event.kind if event else None
        way = ways.get(kind)
        if way is None:
            way = ways[kind] = _done_from(rule, event)
        source, what, label = way
        done: dt.date | None
        if source == _OWN_KEY:
            done = event.day(done_key) if event else None
        elif source == _ANCHOR_EVENT and anchor_key:
            done = event.date if event else None
        else:
            done, counted = _done_event(rule, facts, anchor, event, claimed)
            if not counted:
                continue
        if done is not None and where.by == AT_CHANGE and done >= where.at:
            done = None  # done after the status ended: not under this status
        outcome = judge(rule, facts, anchor, done, what, label, status, where, due)
        if report_pending or outcome.status != "pending":
            yield outcome


def check_condition(rule: KpiRule, facts: CaseFacts) -> Iterator[Outcome]:
    timeline = facts.timeline
    if rule.min_age is not None and facts.child_age is not None \
            and facts.child_age < rule.min_age:
        yield Outcome(rule.id, "not_applicable",
                      text=f"the child is {facts.child_age}; this applies from age "
                      f"{rule.min_age}")
        return
    kind, _, key = rule.done.partition(".")
    for event in facts.of_kind(rule.anchor[0]):
        if event.date < timeline.window_start:
            continue  # the window rule
        status = timeline.status_at(event.date)
        if not rule.applies_to_status(status):
            continue
        value = event.flag(key)
        when = f"{word(kind)} {long_date(event.date)}"
        if value is True:
            yield Outcome(rule.id, "met", event.date, event.date, event.date, 0, status,
                          text=f"{when}: {word(key)}")
        elif value is False:
            yield Outcome(rule.id, "missed", event.date, event.date, None, None, status,
                          text=f"{when}: not {word(key)}")
        elif rule.when_not_recorded == "overdue":
            yield Outcome(rule.id, "missed", event.date, event.date, None, None, status,
                          text=f"{when}: {word(key)} not recorded")
