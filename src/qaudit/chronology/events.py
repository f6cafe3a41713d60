"""The case chronology (``[[events]]`` of an audit) read into typed events, and what is wrong
with it. The allowed kinds and keys are data: ``qaudit/rulesets/chronology.toml``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from operator import attrgetter
from typing import Any

import msgspec
import rtoml

from qaudit.audit.values import FIRST_YEAR, LAST_YEAR, date_in_range, parse_date_text
from qaudit.readable import readable
from qaudit.shipped import shipped_text
from qaudit.suggest import did_you_mean

SCHEMA_PACKAGE, SCHEMA_FILE = "qaudit.rulesets", "chronology.toml"


class EventKind(msgspec.Struct, frozen=True):
    name: str
    text: str
    keys: Mapping[str, str]
    required: tuple[str, ...] = ()
    records: tuple[str, ...] = ()
    before: tuple[str, ...] = ()


class ChronologySchema(msgspec.Struct, frozen=True):
    kinds: Mapping[str, EventKind]
    statuses: tuple[str, ...]
    aliases: Mapping[str, str]
    common_keys: Mapping[str, str]

    def status(self, value: str) -> str | None:
        """The canonical status for a written one (``LAC`` -> ``CIC``), or None."""
        text = value.strip().upper()
        text = self.aliases.get(text, text)
        return text if text in self.statuses else None


@cache
def schema() -> ChronologySchema:
    """The shipped chronology schema (read once)."""
    data = rtoml.loads(shipped_text(SCHEMA_PACKAGE, SCHEMA_FILE))
    head = data["chronology"]
    kinds = {
        name: EventKind(name, raw.get("text", ""), dict(raw.get("keys", {})),
                        tuple(raw.get("required", ())), tuple(raw.get("records", ())),
                        tuple(raw.get("before", ())))
        for name, raw in data["kinds"].items()
    }
    return ChronologySchema(kinds, tuple(head["statuses"]), dict(head.get("aliases", {})),
                            dict(head["common_keys"]))


class Event(msgspec.Struct):
    """One dated event of the chronology. ``index`` is its place in the file; ``values`` are
    its keys as written (its ``kind`` and ``date`` too), read, never changed (a status event
    whose status is written another way, ``LAC``, has a copy with the canonical one)."""

    index: int
    kind: str
    date: dt.date
    values: Mapping[str, Any] = msgspec.field(default_factory=dict)

    def day(self, key: str) -> dt.date | None:
        """The event's ``date`` or one of its record dates (``minutes_distributed``)."""
        if key == "date":
            return self.date
        return as_date(self.values.get(key))

    def flag(self, key: str) -> bool | None:
        value = self.values.get(key)
        return value if isinstance(value, bool) else None


class Problem(msgspec.Struct, frozen=True):
    """What is wrong with one event: ``key`` is a dotted path (``events[2].date``)."""

    key: str
    rule: str
    message: str
    at_value: bool = True


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return None


def _date_problem(key: str, value: Any, what: str) -> Problem | None:
    day = as_date(value)
    if day is not None:
        if date_in_range(day):
            return None
        return Problem(key, "event-date", f"{what} {day.isoformat()} is not a plausible date; "
                       "write a real date, YYYY-MM-DD")
    if isinstance(value, dt.datetime):
        return Problem(key, "event-date", f"{what} {value} has a time; write the date alone "
                       f"as YYYY-MM-DD ({value.date()})")
    if isinstance(value, str):
        parsed = parse_date_text(value)
        if parsed is None:
            return Problem(key, "event-date", f"{what} {readable(value)} is not a date; write it "
                           "as a TOML date YYYY-MM-DD, without quotes")
        return Problem(key, "event-date", f"{what} {readable(value)} is text; write it as a TOML "
                       f"date without quotes: {parsed.isoformat()}")
    return Problem(key, "event-date", f"{what} {readable(value)} is not a date; write it as "
                   "YYYY-MM-DD")


def _check_keys(kind: EventKind, record: Mapping[str, Any], prefix: str,
                allowed: Mapping[str, str]) -> list[Problem]:
    """Problems with an event's keys; ``allowed``: the common keys and the kind's own."""
    problems: list[Problem] = []
    for name, value in record.items():
        key = f"{prefix}.{name}"
        if name not in allowed:
            problems.append(Problem(
                key, "event-key", f"{kind.name} events have no key {readable(name)}"
                f"{did_you_mean(name, list(allowed))} (allowed: {', '.join(allowed)})",
                at_value=False))
        elif allowed[name] == "date" and name != "date":
            found = _date_problem(key, value, name)
            if found:
                problems.append(found)
        elif allowed[name] == "boolean" and not isinstance(value, bool):
            problems.append(Problem(key, "event-key", f"{name} must be true or false, "
                                    f"not {readable(value)}"))
        elif allowed[name] == "text" and not isinstance(value, str):
            problems.append(Problem(key, "event-key", f"{name} must be text in quotes"))
    for name in kind.required:
        if name not in record:
            problems.append(Problem(f"{prefix}.kind", "event-key",
                                    f"a {kind.name} event needs {name} = ..."))
    return problems


def _kind_problem(index: int, record: Mapping[str, Any],
                  spec: ChronologySchema) -> Problem | None:
    """event-kind: a known kind, with a did-you-mean."""
    prefix = f"events[{index}]"
    kind_name = record.get("kind")
    if isinstance(kind_name, str) and kind_name in spec.kinds:
        return None
    known = list(spec.kinds)
    shown = "no kind" if kind_name is None else f"unknown kind {readable(kind_name)}"
    hint = did_you_mean(kind_name, known) if isinstance(kind_name, str) else ""
    return Problem(f"{prefix}.kind" if kind_name is not None else prefix, "event-kind",
                   f"event {index + 1}: {shown}{hint} (allowed: {', '.join(known)})",
                   at_value=kind_name is not None)


def _event_date_problem(index: int, record: Mapping[str, Any], kind: str) -> Problem | None:
    """event-date: a real TOML date."""
    prefix = f"events[{index}]"
    if "date" not in record:
        return Problem(prefix, "event-date", f"{kind} event {index + 1} has no date = "
                       "YYYY-MM-DD", at_value=False)
    return _date_problem(f"{prefix}.date", record["date"], "date")


def _status_value(prefix: str, status: Any,
                  spec: ChronologySchema) -> tuple[str | None, Problem | None]:
    """event-status: the canonical case status of a status event, or why there is none."""
    canonical = spec.status(status) if isinstance(status, str) else None
    if canonical is not None or not isinstance(status, str):
        return canonical, None
    return None, Problem(f"{prefix}.status", "event-status",
                         f"status {readable(status)} is not a case status"
                         f"{did_you_mean(status.upper(), list(spec.statuses))} (allowed: "
                         f"{', '.join(spec.statuses)}; LAC is read as CIC)")


def _order_problems(prefix: str, kind: EventKind, record: Mapping[str, Any],
                    date: dt.date) -> list[Problem]:
    """event-order: no record written before its meeting; nothing it records after it."""
    problems: list[Problem] = []
    for name in kind.records:
        written = as_date(record.get(name))
        if written is not None and written < date:
            problems.append(Problem(
                f"{prefix}.{name}", "event-order",
                f"{name} {written} is before the {kind.name} itself on {date}: "
                "a record cannot be written before its meeting"))
    for name in kind.before:
        earlier = as_date(record.get(name))
        if earlier is not None and earlier > date:
            problems.append(Problem(
                f"{prefix}.{name}", "event-order",
                f"{name} {earlier} is after the {kind.name} itself on {date}: "
                "it records something that had already happened"))
    return problems


def _read_event(index: int, record: Any, spec: ChronologySchema,
                problems: list[Problem]) -> Event | None:
    prefix = f"events[{index}]"
    if not isinstance(record, dict):
        problems.append(Problem(prefix, "event-kind", "an event must be a table"))
        return None
    wrong_kind = _kind_problem(index, record, spec)
    if wrong_kind:
        problems.append(wrong_kind)
        return None
    kind = spec.kinds[record["kind"]]
    wrong_date = _event_date_problem(index, record, kind.name)
    if wrong_date:
        problems.append(wrong_date)
        return None
    date = record["date"]
    problems.extend(_check_keys(kind, record, prefix, {**spec.common_keys, **kind.keys}))
    values = dict(record)
    if kind.name == "status":
        canonical, wrong_status = _status_value(prefix, values.get("status"), spec)
        if canonical is None:
            problems.extend([wrong_status] if wrong_status else [])
            return None
        values["status"] = canonical
    problems.extend(_order_problems(prefix, kind, record, date))
    return Event(index, kind.name, date, values)


_TYPES: dict[str, type] = {"date": dt.date, "boolean": bool, "text": str}


Shapes = dict[str, tuple[EventKind, dict[str, type]]]


def _shapes_of(spec: ChronologySchema) -> Shapes:
    """Per kind: the kind and the exact type of each key it allows (common keys too)."""
    return {name: (kind, {key: _TYPES.get(kind_of, object) for key, kind_of
                          in {**spec.common_keys, **kind.keys}.items()})
            for name, kind in spec.kinds.items()}


@cache
def _shipped_shapes() -> Shapes:
    return _shapes_of(schema())


def _clean_event(index: int, record: Any, spec: ChronologySchema,
                 shapes: Shapes) -> Event | None:
    """The event when nothing at all is wrong with it (the common case, checked with a few
    exact type tests); None sends it to ``_read_event``, which says what is wrong."""
    if record.__class__ is not dict:
        return None
    kind_name = record.get("kind")
    shape = shapes.get(kind_name) if kind_name.__class__ is str else None
    if shape is None:
        return None
    kind, allowed = shape
    date = record.get("date")
    if type(date) is not dt.date or not FIRST_YEAR <= date.year <= LAST_YEAR:
        return None
    fields: dict[str, Any] = record
    for name, value in fields.items():
        wanted = allowed.get(name)  # None for a key the kind does not have: never a class
        if value.__class__ is not wanted:
            return None
        if wanted is _DATE and not FIRST_YEAR <= fields[name].year <= LAST_YEAR:
            return None  # date_in_range, written out: this runs for every date of every event
    for name in kind.required:
        if name not in fields:
            return None
    for name in kind.records:
        written = fields.get(name)
        if written.__class__ is _DATE and written < date:
            return None
    for name in kind.before:
        earlier = fields.get(name)
        if earlier.__class__ is _DATE and earlier > date:
            return None
    if kind.name == "status":
        canonical = spec.status(fields["status"])
        if canonical is None:
            return None
        if canonical != fields["status"]:
            fields = {**fields, "status": canonical}  # the file's own table left as read
    return Event(index, kind.name, date, fields)


_DATE = dt.date
_BY_DATE = attrgetter("date")  # a stable sort: events of one day stay in file order


def read_events(raw: Any, chronology: ChronologySchema | None = None,
                ) -> tuple[list[Event], list[Problem]]:
    """The events of an audit's ``events`` value, sorted by date, and the problems found.

    An event with a problem in its kind or date is left out; one with a bad extra key is kept
    (the bad key ignored), so a typo never silently drops a visit.
    """
    spec = chronology or schema()
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], [Problem("events", "event-kind",
                            "events must be written as [[events]] records", at_value=False)]
    events: list[Event] = []
    problems: list[Problem] = []
    shapes = _shipped_shapes() if chronology is None else _shapes_of(spec)
    for index, record in enumerate(raw):
        event = _clean_event(index, record, spec, shapes) \
            or _read_event(index, record, spec, problems)
        if event is not None:
            events.append(event)
    events.sort(key=_BY_DATE)
    return events, problems
