"""Checking one answer against its kind. Pure: value in, message (or None) out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from qaudit.suggest import did_you_mean
from qaudit.templates.catalogue import Item, Kind

NA = "N/A"


def is_blank(value: object) -> bool:
    """An unanswered value: absent, the empty string, or only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def problem(kind: Kind, value: object) -> str | None:
    """Why ``value`` is not a valid answer of ``kind``, or None when it is (blank is valid)."""
    if is_blank(value):
        return None
    base = kind.base
    if base == "grade":
        if _is_int(value) and value in kind.values:
            return None
        if value == NA and kind.na:
            return None
    elif isinstance(value, str) and (base == "text" or base == "choice" and value in kind.values):
        return None
    return _problem(kind, value)


def _problem(kind: Kind, value: object) -> str | None:
    base = kind.base
    allowed = f"allowed: {kind.describe()}"
    if base == "grade":
        if value == NA:
            return None if kind.na else f'"N/A" is not allowed here; {allowed}'
        if _is_int(value) and value in kind.values:
            return None
        rule = f" (template rule: {kind.rule})" if kind.rule else ""
        if isinstance(value, float):
            return f"grade {value} is not a whole grade{rule}; {allowed}"
        if isinstance(value, str):
            text = value.strip()
            if text.isdigit() and int(text) in kind.values:
                return f'grade "{value}" is text; write it as a number without quotes: {text}'
            if text.upper() in ("NA", "N/A", "N.A."):
                if kind.na:
                    return 'write N/A exactly as "N/A"'
                return f"N/A is not allowed here; {allowed}"
            return f"grade {value!r} is not a grade{rule}; {allowed}"
        return f"grade {value!r} is out of range{rule}; {allowed}"
    if base == "choice":
        if isinstance(value, str) and value in kind.values:
            return None
        if isinstance(value, str):
            for option in kind.values:
                if str(option).casefold() == value.strip().casefold():
                    return f"{value!r} should be written exactly as {option!r}; {allowed}"
        return f"{value!r} is not one of the options; {allowed}"
    if base in ("score", "integer"):
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return f'"{value}" is text; write it as a number without quotes'
        if not _is_int(value):
            return f"{value!r} is not a whole number; {allowed}"
        assert isinstance(value, int)
        if kind.minimum is not None and value < kind.minimum:
            return f"{value} is below {kind.minimum}; {allowed}"
        if kind.maximum is not None and value > kind.maximum:
            return f"{value} is above {kind.maximum}; {allowed}"
        return None
    if base == "text":
        return None if isinstance(value, str) else f"expected text in quotes, found {value!r}"
    if base == "date":
        if isinstance(value, dt.datetime):
            return "give a date only (YYYY-MM-DD), not a date and time"
        if isinstance(value, dt.date):
            return None
        if isinstance(value, str):
            try:
                dt.date.fromisoformat(value.strip())
            except ValueError:
                return f"{value!r} is not a date; write a real date as YYYY-MM-DD, without quotes"
            return f'date "{value}" is text; write it without quotes: {value.strip()}'
        return f"{value!r} is not a date; write YYYY-MM-DD"
    if base == "boolean":
        return None if isinstance(value, bool) else f"{value!r} is not true or false"
    if base == "list":
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return None
        return f"expected a list of text, found {value!r}"
    return None


def display(kind: Kind, value: object) -> str:
    """A value as a person reads it: ``3 Good``, ``YES``, ``2026-05-04``."""
    if is_blank(value):
        return ""
    if kind.base == "grade" and _is_int(value):
        name = kind.grade_name(value)
        return f"{value} {name}".strip()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def record_problems(label: str, fields: Iterable[Item], values: Mapping[str, object], *,
                    check_required: bool = False) -> list[str]:
    """What is wrong with one record's values (an action, a parent's views): fields the
    record does not have, values of the wrong kind, and with ``check_required`` blank
    required fields."""
    known = {f.id: f for f in fields}
    problems: list[str] = []
    for name, value in values.items():
        item = known.get(name)
        if item is None:
            problems.append(f"{label} records have no field {name!r}"
                            f"{did_you_mean(name, known)}; fields: {', '.join(known)}")
            continue
        message = problem(item.kind, value)
        if message:
            problems.append(f"{item.text}: {message}")
    if check_required:
        problems.extend(f"{item.text} is required" for item in known.values()
                        if item.required and is_blank(values.get(item.id)))
    return problems
