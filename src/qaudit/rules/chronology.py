"""event-kind, event-date, event-key, event-status, event-order: the case chronology.

The ``[[events]]`` records are checked against ``qaudit/rulesets/chronology.toml``: known
kinds (with a did-you-mean), real TOML dates, the keys each kind allows, a status that is a
case status, and no record (minutes, write-up) dated before its meeting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from qaudit.chronology.events import Event, Problem, read_events
from qaudit.findings import Finding, Level
from qaudit.rules.base import AuditContext, Rule

_LEVEL = {"event-order": Level.ERROR}


def _read(ctx: AuditContext) -> tuple[list[Event], list[Problem]]:
    """The audit's events, read once for the five rules below."""
    result: tuple[list[Event], list[Problem]] = ctx.memo(
        "events", lambda: read_events(ctx.get("events")))
    return result


def _problems(ctx: AuditContext) -> list[Problem]:
    return _read(ctx)[1]


def _future(ctx: AuditContext) -> Iterator[Finding]:
    events, _ = _read(ctx)
    for event in events:
        if event.date > ctx.today:
            yield ctx.finding(f"events[{event.index}].date", Level.ERROR, "event-date",
                              f"{event.kind} event {event.index + 1} on {event.date} is in "
                              f"the future (today is {ctx.today})")


def _checker(rule_id: str) -> Callable[[AuditContext], Iterator[Finding]]:
    def check(ctx: AuditContext) -> Iterator[Finding]:
        for problem in _problems(ctx):
            if problem.rule == rule_id:
                yield ctx.finding(problem.key, _LEVEL.get(rule_id, Level.ERROR), rule_id,
                                  problem.message, at_value=problem.at_value)
        if rule_id == "event-date":
            yield from _future(ctx)

    return check


KIND = Rule(
    id="event-kind",
    summary="A chronology event of a kind qaudit does not know (with a did-you-mean).",
    source="Chronology event kinds: docs/chronology.md (qaudit/rulesets/chronology.toml).",
    check=_checker("event-kind"),
)
DATE = Rule(
    id="event-date",
    summary="An event date that is missing, text rather than a date, or in the future.",
    source="Every timescale counts from real dates: write them as TOML dates YYYY-MM-DD.",
    check=_checker("event-date"),
)
KEYS = Rule(
    id="event-key",
    summary="A key an event of that kind does not have, or a value of the wrong type.",
    source="Chronology event keys per kind: docs/chronology.md.",
    check=_checker("event-key"),
)
STATUS = Rule(
    id="event-status",
    summary="A status event whose status is not CIN, CP, CIC (LAC) or EH.",
    source="Core Section 1: Case Status (CIN/CP/LAC/EH); CIC is the same as LAC.",
    check=_checker("event-status"),
)
ORDER = Rule(
    id="event-order",
    summary="A record (minutes, write-up) dated before its meeting.",
    source="Minutes and records are written after the meeting they record.",
    check=_checker("event-order"),
)

RULES = (KIND, DATE, KEYS, STATUS, ORDER)
