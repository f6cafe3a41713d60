"""Asking the fields of one record at the terminal (``fill --add``, ``moderate``): each value
checked as it is typed, by the core's own checks for the whole record (so a date before the
audit date or a minute before its meeting is refused on the spot), and a refused field asked
again on its own, keeping every other field already given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from qaudit.audit.kinds import display, is_blank
from qaudit.cli.fill_prompt import BACK, SKIP, Asker, allowed_words, say
from qaudit.templates.catalogue import Item

Values = dict[str, Any]
# The core's checks for a whole record: what is wrong with these values (strings).
Problems = Callable[[Mapping[str, Any]], list[str]]


@dataclass(frozen=True)
class Field:
    """One value of a record to ask for."""

    id: str
    item: Item
    label: str = ""
    required: bool = False
    default: Any = None  # offered when nothing is given yet (today for a date)
    single_line: bool = False
    help: tuple[str, ...] = ()
    when: Callable[[Mapping[str, Any]], bool] | None = None  # asked only when this holds
    notes: tuple[str, ...] = field(default=())  # said before the field is asked
    allowed: str = ""  # the allowed answers in words (else the kind's own description)
    choices: tuple[str, ...] | None = None  # what Tab completes (else the kind's)
    # the core's own check of this one value, given the record's other values
    check: Callable[[Any, Mapping[str, Any]], str] | None = None

    @property
    def prompt(self) -> str:
        return (self.label or self.item.text) + (" (required)" if self.required else "")


def blame(problems: Problems, values: Mapping[str, Any], field_id: str) -> str:
    """The first problem that ``field_id``'s value brings (absent without it), or ""."""
    without = set(problems({k: v for k, v in values.items() if k != field_id}))
    return next((p for p in problems(values) if p not in without), "")


def to_blame(problems: Problems, values: Mapping[str, Any],
             fields: Sequence[Field]) -> dict[str, str]:
    """Each field whose value causes one of the record's problems -> that problem."""
    found: dict[str, str] = {}
    every = problems(values)
    for item in fields:
        if item.id not in values:
            continue
        without = set(problems({k: v for k, v in values.items() if k != item.id}))
        hit = next((p for p in every if p not in without), "")
        if hit:
            found[item.id] = hit
    return found


def _asked(item: Field, values: Mapping[str, Any]) -> bool:
    return item.when is None or item.when(values)


def ask_fields(asker: Asker, fields: Sequence[Field], values: Values, problems: Problems,
               only: Sequence[str] | None = None) -> Values:
    """Ask ``fields`` in order (or just those in ``only``), each checked with the others."""
    order = [f for f in fields if only is None or f.id in only]
    index = 0
    while index < len(order):
        item = order[index]
        if not _asked(item, values):
            values.pop(item.id, None)
            index += 1
            continue
        for note in item.notes:
            say(asker.console, note)
        if item.allowed or item.item.kind.base != "text":
            say(asker.console, f"Answers: {item.allowed or allowed_words(item.item.kind)}", "dim")
        current = values.get(item.id, item.default)

        def check(value: Any, asked: Field = item) -> str:
            own = asked.check(value, values) if asked.check else ""
            return own or blame(problems, {**values, asked.id: value}, asked.id)

        value = asker.ask(item.item.kind, item.prompt, current, item.help,
                          single_line=item.single_line, check=check, choices=item.choices,
                          allowed=item.allowed)
        if value is BACK:
            if index == 0:
                say(asker.console, "This is the first field; nothing to go back to.", "yellow")
            index = max(0, index - 1)
            continue
        if value is SKIP:
            if not is_blank(current):
                values[item.id] = current  # Enter keeps what is shown
            elif item.required:
                say(asker.console, f"{item.item.text} is required (q gives up; nothing is "
                                   "written)", "red")
                continue
        else:
            values[item.id] = value
        index += 1
    return values


def ask_record(asker: Asker, fields: Sequence[Field], problems: Problems,
               values: Values | None = None, *,
               by_field: Callable[[Mapping[str, Any]], dict[str, str]] | None = None) -> Values:
    """Ask every field, then, while the whole record is refused, only the refused fields.
    ``by_field`` (the core's own: field id -> why) names them; else ``problems`` is blamed
    field by field."""
    values = ask_fields(asker, fields, dict(values or {}), problems)
    while True:
        asked = [f for f in fields if _asked(f, values)]
        refused = by_field(values) if by_field else to_blame(problems, values, asked)
        refused = {k: v for k, v in refused.items() if k in values}
        if not refused:  # accepted, or nothing one field can fix: the caller says so
            return values
        for field_id, why in refused.items():
            shown = next(f for f in fields if f.id == field_id)
            say(asker.console, f"Not accepted: {shown.item.text} = "
                               f"{display(shown.item.kind, values[field_id])}: {why}", "red")
            values.pop(field_id)
        say(asker.console, "Asking again only for that; the other answers are kept.", "cyan")
        values = ask_fields(asker, fields, values, problems, only=list(refused))
