"""Checking one stored answer against its kind (what ``validate`` says about a value in the
file). Pure: value in, message (or None) out. Reading typed text into a value is
``qaudit.audit.values`` (one parser per kind); both share its digit and calendar checks, so
a value a parser returns always passes ``problem``.

API: ``problem(kind, value) -> str | None``, ``is_blank(value)``, ``display(kind, value)``.
"""

from __future__ import annotations

import datetime as dt

from qaudit.audit.values import NA, date_in_range, parse_date_text, parse_whole, squash
from qaudit.readable import readable
from qaudit.templates.catalogue import Kind

__all__ = ["NA", "display", "is_blank", "problem"]


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
    try:
        return _problem(kind, value)
    except (ValueError, TypeError, OverflowError):  # total: a finding, never a traceback
        return f"{_quoted(value)} cannot be read as {kind.describe()}"


def _quoted(value: object) -> str:
    """A value in a message: ``qaudit.readable`` (one style for every message), kept short."""
    return readable(value, 40)


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
            number = parse_whole(value)
            if number is not None and number in kind.values:
                return (f"grade {_quoted(value.strip())} is text; write it as a number without "
                        f"quotes: {number}")
            if squash(value) == "na":
                if kind.na:
                    return 'write N/A exactly as "N/A"'
                return f"N/A is not allowed here; {allowed}"
            return f"grade {_quoted(value)} is not a grade{rule}; {allowed}"
        return f"grade {_quoted(value)} is out of range{rule}; {allowed}"
    if base == "choice":
        if isinstance(value, str) and value in kind.values:
            return None
        if isinstance(value, str):
            for option in kind.values:
                if str(option).casefold() == value.strip().casefold():
                    return (f"{_quoted(value)} should be written exactly as "
                            f"{_quoted(option)}; {allowed}")
        return f"{_quoted(value)} is not one of the options; {allowed}"
    if base in ("score", "integer"):
        if isinstance(value, str) and parse_whole(value) is not None:
            return f"{_quoted(value.strip())} is text; write it as a number without quotes"
        if not _is_int(value):
            return f"{_quoted(value)} is not a whole number; {allowed}"
        assert isinstance(value, int)
        if kind.minimum is not None and value < kind.minimum:
            return f"{value} is below {kind.minimum}; {allowed}"
        if kind.maximum is not None and value > kind.maximum:
            return f"{value} is above {kind.maximum}; {allowed}"
        return None
    if base == "text":
        if isinstance(value, str):
            return None
        return f"expected text in quotes, found {_quoted(value)}"
    if base == "date":
        if isinstance(value, dt.datetime):
            return "give a date only (YYYY-MM-DD), not a date and time"
        if isinstance(value, dt.date):
            return None if date_in_range(value) else (
                f"{value.isoformat()} is not a plausible date; write a real date, YYYY-MM-DD")
        if isinstance(value, str):
            day = parse_date_text(value)
            if day is None:
                return (f"{_quoted(value)} is not a date; write a real date as YYYY-MM-DD, "
                        "without quotes")
            return (f"date {_quoted(value.strip())} is text; write it without quotes: "
                    f"{day.isoformat()}")
        return f"{_quoted(value)} is not a date; write YYYY-MM-DD"
    if base == "boolean":
        return None if isinstance(value, bool) else f"{_quoted(value)} is not true or false"
    if base == "list":
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return None
        return f"expected a list of text, found {_quoted(value)}"
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
