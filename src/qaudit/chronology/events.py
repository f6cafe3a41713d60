"""The case chronology (``[[events]]`` of an audit) read into typed events, and what is wrong
with it. The allowed kinds and keys are data: ``qaudit/rulesets/chronology.toml``."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from qaudit.suggest import did_you_mean

SCHEMA_FILE = "chronology.toml"


@dataclass(frozen=True)
class EventKind:
    name: str
    text: str
    keys: Mapping[str, str]
    required: tuple[str, ...] = ()
    records: tuple[str, ...] = ()
    before: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChronologySchema:
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
    text = resources.files("qaudit.rulesets").joinpath(SCHEMA_FILE).read_text("utf-8")
    data = tomllib.loads(text)
    head = data["chronology"]
    kinds = {
        name: EventKind(name, raw.get("text", ""), dict(raw.get("keys", {})),
                        tuple(raw.get("required", ())), tuple(raw.get("records", ())),
                        tuple(raw.get("before", ())))
        for name, raw in data["kinds"].items()
    }
    return ChronologySchema(kinds, tuple(head["statuses"]), dict(head.get("aliases", {})),
                            dict(head["common_keys"]))


@dataclass(frozen=True)
class Event:
    """One dated event of the chronology. ``index`` is its place in the file."""

    index: int
    kind: str
    date: dt.date
    values: Mapping[str, Any] = field(default_factory=dict)

    def day(self, key: str) -> dt.date | None:
        """The event's ``date`` or one of its record dates (``minutes_distributed``)."""
        if key == "date":
            return self.date
        return as_date(self.values.get(key))

    def flag(self, key: str) -> bool | None:
        value = self.values.get(key)
        return value if isinstance(value, bool) else None


@dataclass(frozen=True)
class Problem:
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
    if as_date(value) is not None:
        return None
    if isinstance(value, dt.datetime):
        return Problem(key, "event-date", f"{what} {value} has a time; write the date alone "
                       f"as YYYY-MM-DD ({value.date()})")
    if isinstance(value, str):
        try:
            parsed = dt.date.fromisoformat(value.strip())
        except ValueError:
            return Problem(key, "event-date", f"{what} {value!r} is not a date; write it "
                           "as a TOML date YYYY-MM-DD, without quotes")
        return Problem(key, "event-date", f"{what} {value!r} is text; write it as a TOML "
                       f"date without quotes: {parsed}")
    return Problem(key, "event-date", f"{what} {value!r} is not a date; write it as "
                   "YYYY-MM-DD")


def _check_keys(kind: EventKind, record: Mapping[str, Any], prefix: str,
                allowed: Mapping[str, str]) -> list[Problem]:
    """Problems with an event's keys; ``allowed``: the common keys and the kind's own."""
    problems: list[Problem] = []
    for name, value in record.items():
        expected = allowed.get(name)
        if expected == "date":
            if name == "date" or as_date(value) is not None:
                continue
            found = _date_problem(f"{prefix}.{name}", value, name)
            if found:
                problems.append(found)
        elif expected == "boolean":
            if not isinstance(value, bool):
                problems.append(Problem(f"{prefix}.{name}", "event-key",
                                        f"{name} must be true or false, not {value!r}"))
        elif expected == "text":
            if not isinstance(value, str):
                problems.append(Problem(f"{prefix}.{name}", "event-key",
                                        f"{name} must be text in quotes"))
        elif expected is None:
            problems.append(Problem(
                f"{prefix}.{name}", "event-key", f"{kind.name} events have no key {name!r}"
                f"{did_you_mean(name, list(allowed))} (allowed: {', '.join(allowed)})",
                at_value=False))
    for name in kind.required:
        if name not in record:
            problems.append(Problem(f"{prefix}.kind", "event-key",
                                    f"a {kind.name} event needs {name} = ..."))
    return problems


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
    known = list(spec.kinds)
    allowed_keys: dict[str, dict[str, str]] = {}
    for index, record in enumerate(raw):
        prefix = f"events[{index}]"
        if not isinstance(record, dict):
            problems.append(Problem(prefix, "event-kind", "an event must be a table"))
            continue
        kind_name = record.get("kind")
        if not isinstance(kind_name, str) or kind_name not in spec.kinds:
            shown = "no kind" if kind_name is None else f"unknown kind {kind_name!r}"
            hint = did_you_mean(kind_name, known) if isinstance(kind_name, str) else ""
            problems.append(Problem(f"{prefix}.kind" if kind_name is not None else prefix,
                                    "event-kind", f"event {index + 1}: {shown}{hint} "
                                    f"(allowed: {', '.join(known)})",
                                    at_value=kind_name is not None))
            continue
        kind = spec.kinds[kind_name]
        if "date" not in record:
            problems.append(Problem(prefix, "event-date",
                                    f"{kind_name} event {index + 1} has no date = YYYY-MM-DD",
                                    at_value=False))
            continue
        bad_date = _date_problem(f"{prefix}.date", record["date"], "date")
        if bad_date:
            problems.append(bad_date)
            continue
        date = record["date"]
        allowed = allowed_keys.get(kind_name)
        if allowed is None:
            allowed = allowed_keys[kind_name] = {**spec.common_keys, **kind.keys}
        problems.extend(_check_keys(kind, record, prefix, allowed))
        values = {k: v for k, v in record.items() if k not in ("date", "kind")}
        if kind_name == "status":
            status = values.get("status")
            canonical = spec.status(status) if isinstance(status, str) else None
            if canonical is None:
                if isinstance(status, str):
                    problems.append(Problem(
                        f"{prefix}.status", "event-status",
                        f"status {status!r} is not a case status"
                        f"{did_you_mean(status.upper(), list(spec.statuses))} (allowed: "
                        f"{', '.join(spec.statuses)}; LAC is read as CIC)"))
                continue
            values["status"] = canonical
        for name in kind.records:
            written = as_date(record.get(name))
            if written is not None and written < date:
                problems.append(Problem(
                    f"{prefix}.{name}", "event-order",
                    f"{name} {written} is before the {kind_name} itself on {date}: "
                    "a record cannot be written before its meeting"))
        for name in kind.before:
            earlier = as_date(record.get(name))
            if earlier is not None and earlier > date:
                problems.append(Problem(
                    f"{prefix}.{name}", "event-order",
                    f"{name} {earlier} is after the {kind_name} itself on {date}: "
                    "it records something that had already happened"))
        events.append(Event(index, kind_name, date, values))
    events.sort(key=lambda e: (e.date, e.index))
    return events, problems
