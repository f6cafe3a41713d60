"""One parser per answer kind: what a person typed, or a workbook cell held, as the value to
store, or a refusal with one short line naming what is allowed. Total: never raises.

API (everything a front-end needs to read a typed value)::

    parse_value(kind, raw, mode=Mode.LENIENT, *, single_line=False) -> Parsed
    Parsed(value, error)            .ok  .blank   (blank input: Parsed(None), ok)
    Mode.LENIENT                    people at prompts, ``fill --set``, ``moderate --option``
    Mode.STRICT                     ``import-xlsx``: exactly the drop-down values
    parse_date_text(text, mode) -> date | None     parse_whole(text) -> int | None
    is_single_line(item) -> bool    names, teams, case numbers: one line, never a text box
    echo(kind, value) -> str        how a parsed value is said back (``Tue 18 Nov 2026``)
    AGE                             a child's age (``7``, ``7 years``), for readers of ages

Per kind, lenient:

* grade: ``3``, ``3 Good`` (as shown), a grade name or an unambiguous prefix of one
  (``good``, ``out``), and ``n/a`` / ``na`` / ``N.A.`` where N/A is allowed;
* choice: an option in any case and punctuation (``yes``, ``n/a``, ``partially``), an
  unambiguous prefix (``part``, ``y``; ``n`` is refused where N/A is an option too);
* score and integer (an age is an integer): ASCII digits only, ``7 years`` for an age;
* date: ``YYYY-MM-DD`` or ``DD/MM/YYYY`` (UK order; also ``D/M/YYYY``, ``DD.MM.YYYY``),
  years 1900 to 2099, real calendar days;
* boolean: yes / no / true / false / y / n, any case;
* text: as typed; single-line text refuses a line break; list: ``;`` or line separated.

Strict: a grade or score is an int (or a whole float, as Excel stores numbers) or ASCII
digits; a choice exactly one of its values; a date a date (or an ISO date text). Anything
else is refused, never guessed. "²" is not a digit here, whatever ``str.isdigit`` says.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from functools import cache
from typing import Any

from msgspec import Struct

from qaudit.readable import readable
from qaudit.templates.catalogue import Item, Kind

NA = "N/A"
FIRST_YEAR, LAST_YEAR = 1900, 2099
MAX_DIGITS = 9
# Fields asked as one line: who and which case (roles are template data).
SINGLE_LINE_ROLES = frozenset({"case_number", "child_name", "team", "team_manager",
                               "practitioner", "auditor", "moderator"})
SINGLE_LINE_KINDS = frozenset({"line", "single_line", "name"})

# Compiled on first use (``_pattern``): validate checks stored values against their kinds
# without parsing text, so a one-file validate of a clean audit compiles none of them.
_WHOLE = rf"[+-]?[0-9]{{1,{MAX_DIGITS}}}"
_DECIMAL = r"[+-]?([0-9]+\.[0-9]*|\.[0-9]+)"
_ISO = r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
_UK = r"([0-9]{1,2})[/.]([0-9]{1,2})[/.]([0-9]{4})"
_AGE = r"(?i)([0-9]{1,3})\s*(years?|yrs?|y)?(\s+old)?"
_YES = ("yes", "y", "true")
_NO = ("no", "n", "false")


AGE = Kind(name="age", base="integer", minimum=0, maximum=25)


class Mode(StrEnum):
    LENIENT = "lenient"
    STRICT = "strict"


class Parsed(Struct, frozen=True):
    """A value read against its kind: ``value``, or the ``error`` saying why not."""

    value: Any = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def blank(self) -> bool:
        return self.ok and self.value is None


@cache
def _pattern(source: str) -> re.Pattern[str]:
    return re.compile(source)


def _refuse(kind: Kind, what: str) -> Parsed:
    return Parsed(error=f"{what}; allowed: {kind.describe()}")


def _shown(raw: object) -> str:
    """A raw value for a message: text quoted, nothing Python-specific."""
    if isinstance(raw, str) and _pattern(_WHOLE).fullmatch(raw.strip()):
        return raw.strip()
    return readable(raw, 40)  # one quoting style for every message


def squash(text: str) -> str:
    """Letters and digits only, folded: ``N/A`` and ``n.a`` are both ``na``."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def parse_whole(text: str) -> int | None:
    """A whole number written in ASCII digits (at most nine, a sign allowed), else None."""
    stripped = text.strip()
    return int(stripped) if _pattern(_WHOLE).fullmatch(stripped) else None


def _real_date(year: int, month: int, day: int) -> dt.date | None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date_text(text: str, mode: Mode = Mode.LENIENT) -> dt.date | None:
    """``YYYY-MM-DD`` (both modes) or ``DD/MM/YYYY`` (lenient), a real day 1900-2099."""
    stripped = text.strip()
    iso = _pattern(_ISO).fullmatch(stripped)
    if iso:
        return _real_date(int(iso[1]), int(iso[2]), int(iso[3]))
    uk = _pattern(_UK).fullmatch(stripped) if mode is Mode.LENIENT else None
    if uk:
        return _real_date(int(uk[3]), int(uk[2]), int(uk[1]))
    return None


def is_out_of_range_date(text: str, mode: Mode = Mode.LENIENT) -> bool:
    """True for a real calendar day written right but outside 1900-2099 (``9999-12-31``),
    so the message can say the year is out of range rather than that the day is not real."""
    stripped = text.strip()
    match = _pattern(_ISO).fullmatch(stripped)
    parts = (int(match[1]), int(match[2]), int(match[3])) if match else None
    uk = _pattern(_UK).fullmatch(stripped) if mode is Mode.LENIENT and not match else None
    if uk:
        parts = (int(uk[3]), int(uk[2]), int(uk[1]))
    if parts is None or FIRST_YEAR <= parts[0] <= LAST_YEAR:
        return False
    try:
        dt.date(*parts)
    except ValueError:
        return False
    return True


def date_in_range(day: dt.date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def _number_cell(raw: object) -> int | None:
    """An int, a whole float (Excel), or ASCII digits; None for anything else."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() and abs(raw) < 10 ** MAX_DIGITS else None
    if isinstance(raw, str):
        return parse_whole(raw)
    return None


def _grade(kind: Kind, raw: object, mode: Mode) -> Parsed:
    number = _number_cell(raw)
    text = raw.strip() if isinstance(raw, str) else ""
    if number is None and mode is Mode.LENIENT and text:
        if kind.na and squash(text) == "na":
            return Parsed(NA)
        head = text.split(maxsplit=1)[0]
        number = parse_whole(head)
        if number is not None and number in kind.values and len(text.split()) > 1:
            name = kind.grade_name(number).casefold()
            if not name.startswith(text.split(maxsplit=1)[1].casefold()):
                number = None
        elif number is None:
            wanted = text.casefold()
            named = [v for v in kind.values if kind.grade_name(v).casefold().startswith(wanted)]
            exact = [v for v in kind.values if kind.grade_name(v).casefold() == wanted]
            picked = exact or named
            if len(picked) == 1:
                return Parsed(picked[0])
    if number is None and raw == NA:
        return Parsed(NA) if kind.na else _refuse(kind, '"N/A" is not allowed here')
    if number is not None and number in kind.values:
        return Parsed(number)
    if isinstance(raw, float) or (text and _pattern(_DECIMAL).fullmatch(text)):
        shown = text or str(raw)
        return Parsed(error=f"grade {shown} is not a whole grade (no half "
                            f"grades); allowed: {kind.describe()}")
    if mode is Mode.LENIENT and text and squash(text) == "na":
        return _refuse(kind, "N/A is not allowed here")
    what = "is out of range" if number is not None else "is not a grade"
    return _refuse(kind, f"{_shown(raw)} {what}")


def _choice(kind: Kind, raw: object, mode: Mode) -> Parsed:
    if raw in kind.values:
        return Parsed(raw)
    if mode is Mode.STRICT or not isinstance(raw, str):
        return _refuse(kind, f"{_shown(raw)} is not one of the options")
    wanted = squash(raw)
    exact = [v for v in kind.values if squash(str(v)) == wanted]
    if len(exact) == 1:
        return Parsed(exact[0])
    for words, target in ((("yes", "true"), "yes"), (("no", "false"), "no")):
        if wanted in words:
            hit = [v for v in kind.values if squash(str(v)) == target]
            if len(hit) == 1:
                return Parsed(hit[0])
    starting = [v for v in kind.values if wanted and squash(str(v)).startswith(wanted)]
    if len(starting) == 1:
        return Parsed(starting[0])
    if len(starting) > 1:
        return _refuse(kind, f"{_shown(raw)} could be more than one option")
    return _refuse(kind, f"{_shown(raw)} is not one of the options")


def _whole(kind: Kind, raw: object, mode: Mode) -> Parsed:
    number = _number_cell(raw)
    if number is None and mode is Mode.LENIENT and isinstance(raw, str) \
            and kind.base == "integer":
        age = _pattern(_AGE).fullmatch(raw.strip())
        number = int(age[1]) if age else None
    if number is None:
        return Parsed(error=f"{_shown(raw)} is not a whole number written "
                            f"in digits 0-9; allowed: {kind.describe()}")
    if kind.minimum is not None and number < kind.minimum:
        return Parsed(error=f"{number} is below {kind.minimum}; allowed: "
                            f"{kind.describe()}")
    if kind.maximum is not None and number > kind.maximum:
        return Parsed(error=f"{number} is above {kind.maximum}; allowed: "
                            f"{kind.describe()}")
    return Parsed(number)


def _date(kind: Kind, raw: object, mode: Mode) -> Parsed:
    day: dt.date | None = None
    if isinstance(raw, dt.datetime):
        day = raw.date() if raw.time() == dt.time() else None
    elif isinstance(raw, dt.date):
        day = raw
    elif isinstance(raw, str):
        day = parse_date_text(raw, mode)
    if day is not None and date_in_range(day):
        return Parsed(day)
    hint = "YYYY-MM-DD" if mode is Mode.STRICT else "YYYY-MM-DD or DD/MM/YYYY"
    return Parsed(error=f"{_shown(raw)} is not a real date; write it as {hint}, for example "
                            f"2026-11-18, a year from {FIRST_YEAR} to {LAST_YEAR}")


def _boolean(kind: Kind, raw: object, mode: Mode) -> Parsed:
    if isinstance(raw, bool):
        return Parsed(raw)
    if mode is Mode.LENIENT and isinstance(raw, str):
        word = raw.strip().casefold()
        if word in _YES or word in _NO:
            return Parsed(word in _YES)
    return Parsed(error=f"{_shown(raw)} is not yes or no; allowed: yes, no")


def _text(raw: object, single_line: bool) -> Parsed:
    if not isinstance(raw, str):
        return Parsed(error=f"{_shown(raw)} is not text")
    text = raw.strip() if single_line else raw.strip("\n").rstrip()
    if single_line and ("\n" in text or "\r" in text):
        return Parsed(error="give this on one line (no line breaks)")
    return Parsed(text)


def _list(raw: object) -> Parsed:
    if isinstance(raw, list) and all(isinstance(v, str) for v in raw):
        return Parsed(list(raw))
    if not isinstance(raw, str):
        return Parsed(error=f"{_shown(raw)} is not a list of text")
    parts = raw.splitlines() if "\n" in raw else raw.split(";")
    return Parsed([p.strip() for p in parts if p.strip()])


def is_blank_input(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def parse_value(kind: Kind, raw: object, mode: Mode = Mode.LENIENT, *,
                single_line: bool = False) -> Parsed:
    """The value ``raw`` (typed text or a workbook cell) stands for, for an answer of ``kind``.

    Blank input is ``Parsed(None)``: nothing given. Never raises."""
    if is_blank_input(raw):
        return Parsed(None)
    base = kind.base
    try:
        if base == "grade":
            return _grade(kind, raw, mode)
        if base == "choice":
            return _choice(kind, raw, mode)
        if base in ("score", "integer"):
            return _whole(kind, raw, mode)
        if base == "date":
            return _date(kind, raw, mode)
        if base == "boolean":
            return _boolean(kind, raw, mode)
        if base == "list":
            return _list(raw)
        return _text(raw, single_line or kind.name in SINGLE_LINE_KINDS)
    except (ValueError, TypeError, OverflowError):  # last line of defence: total
        return _refuse(kind, f"{_shown(raw)} cannot be read")


def is_single_line(item: Item) -> bool:
    """Names, teams and case numbers are one line; other text may run to paragraphs."""
    return item.kind.base == "text" and (item.role in SINGLE_LINE_ROLES
                                         or item.kind.name in SINGLE_LINE_KINDS)


def parse_item(item: Item, raw: object, mode: Mode = Mode.LENIENT) -> Parsed:
    """``parse_value`` for a template question or field (single-line where it should be)."""
    return parse_value(item.kind, raw, mode, single_line=is_single_line(item))


def echo(kind: Kind, value: object) -> str:
    """A parsed value said back to the person: ``Tue 18 Nov 2026``, ``3 Good``, ``YES``."""
    if isinstance(value, dt.date):
        return value.strftime("%a %d %b %Y")
    if kind.base == "grade" and isinstance(value, int) and not isinstance(value, bool):
        return f"{value} {kind.grade_name(value)}".strip()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)
