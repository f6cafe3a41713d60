"""Adding records from ``qaudit fill --add``: a parent/carer's views, an action, a learning
action, a chronology event. Pure: which fields to ask and the record to write (one builder,
``build_record``, for every group); checking and saving is ``qaudit.edit.records``.

Groups are found by their template role, never by a template's ids. Event kinds are data
(the chronology schema ``qaudit/rulesets/chronology.toml``, see docs/chronology.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from qaudit.audit.kinds import is_blank
from qaudit.chronology.events import ChronologySchema
from qaudit.chronology.events import schema as chronology_schema
from qaudit.errors import UsageError
from qaudit.fill.answers import MANAGED_GROUP_ROLES, RECORD, Getter, Slot, normal_key
from qaudit.readable import readable
from qaudit.suggest import did_you_mean
from qaudit.templates.catalogue import Group, Item, Kind, Section, Template

EVENTS_TABLE = "events"
# The chronology's place among the sections a front-end shows (after the template's own).
CHRONOLOGY = Section(id="chronology", number="", title="Case chronology", table=EVENTS_TABLE)
# What a person types after --add, and the group role it means.
ROLE_WORDS = {
    "parent": "parents_views", "parents": "parents_views", "carer": "parents_views",
    "parents_views": "parents_views",
    "action": "actions", "actions": "actions",
    "learning": "learning_actions", "learning_action": "learning_actions",
    "learning_actions": "learning_actions",
}
EVENT_WORDS = ("event", "events")
# A new action starts "open" (docs/template-format.md: status is open / done).
STATUS_FIELD, OPEN = "status", "open"
# The auditor writes an action and who does it (core guidance 9); the timescale, status and
# updates are kept later with `qaudit actions` (field ids per docs/template-format.md).
AUDITOR_ACTION_FIELDS = ("action", "by_whom")


@dataclass(frozen=True)
class RecordForm:
    """What to ask for one new record, and where it goes."""

    table: str
    label: str
    fields: tuple[Item, ...]
    section: Section | None = None
    group: Group | None = None


@dataclass(frozen=True)
class EventKind:
    """A chronology event kind as ``fill`` asks it: extra keys as typed items."""

    name: str
    text: str
    extras: tuple[Item, ...]


_BASES = {"date": "date", "boolean": "boolean", "text": "text"}


def _extra(spec: ChronologySchema, kind_name: str, key: str, base: str,
           required: bool) -> Item:
    label = key.replace("_", " ").capitalize()
    if kind_name == "status" and key == "status":
        values = (*spec.statuses, *spec.aliases)
        return Item(id=key, kind=Kind(name="case_status", base="choice", values=values),
                    text="Case status", required=required)
    base = _BASES.get(base, "text")
    hint = " (yes/no)" if base == "boolean" else ""
    return Item(id=key, kind=Kind(name=base, base=base), text=label + hint, required=required)


@cache
def event_kinds() -> dict[str, EventKind]:
    """The chronology's event kinds, from its schema (``qaudit/rulesets/chronology.toml``)."""
    spec = chronology_schema()
    return {
        name: EventKind(name, kind.text, tuple(
            _extra(spec, name, key, base, key in kind.required)
            for key, base in kind.keys.items()))
        for name, kind in spec.kinds.items()
    }


def event_kind(name: str) -> EventKind:
    kinds = event_kinds()
    found = kinds.get(name.strip())
    if found is None:
        given = f"unknown event kind {readable(name)}" if name.strip() else "no event kind given"
        raise UsageError(f"{given}{did_you_mean(name.strip(), kinds)}; give kind=one of: "
                         f"{', '.join(kinds)}")
    return found


def event_kind_item() -> Item:
    kinds = tuple(event_kinds())
    return Item(id="kind", kind=Kind(name="event_kind", base="choice", values=kinds),
                text="Kind of event", required=True)


def event_form(kind: EventKind) -> RecordForm:
    """An event of one kind: its date, its extra keys, a note."""
    date = Item(id="date", kind=Kind(name="date", base="date"), text="Date", required=True)
    note = Item(id="note", kind=Kind(name="text", base="text"), text="Note (optional)")
    return RecordForm(EVENTS_TABLE, f"{kind.name} event", (date, *kind.extras, note))


def event_slots(get: Getter) -> list[Slot]:
    """The fields of every ``[[events]]`` record, in file order: its date, its kind's own
    keys, its note (an event of an unknown kind has none: validate names its kind)."""
    records = get(EVENTS_TABLE)
    if not isinstance(records, list):
        return []
    kinds = event_kinds()
    found: list[Slot] = []
    for index, record in enumerate(records):
        kind_name = str(record.get("kind", "")) if isinstance(record, dict) else ""
        kind = kinds.get(kind_name)
        for item in event_form(kind).fields if kind else ():
            found.append(Slot(f"{EVENTS_TABLE}[{index}].{item.id}", CHRONOLOGY, item, RECORD,
                              item.kind, f"Event {index + 1} ({kind_name}): {item.text}",
                              False, index))
    return found


def is_event_key(key: str) -> bool:
    head = normal_key(key).split("[", 1)[0].split(".", 1)[0]
    return head == EVENTS_TABLE


def event_slot(get: Getter, key: str) -> Slot:
    """The slot of one field of an event already in the file (``events[0].date``, or
    ``events.0.date``); UsageError for an event or a field that is not there."""
    wanted = normal_key(key)
    slots = event_slots(get)
    for slot in slots:
        if slot.key == wanted:
            return slot
    records = get(EVENTS_TABLE)
    count = len(records) if isinstance(records, list) else 0
    head = wanted.split(".", 1)[0]
    index = re.fullmatch(rf"{EVENTS_TABLE}\[(\d+)\]", head)
    if index is None or int(index.group(1)) >= count:
        there = (f"events[0] to events[{count - 1}]" if count > 1 else
                 "events[0]" if count else "none yet; add one with --add event")
        raise UsageError(f"no event {readable(head)} in this audit (events: {there}); "
                         "keys look like events[0].date")
    known = [s.key for s in slots if s.key.startswith(head + ".")]
    if not known:
        raise UsageError(f"{head} is of a kind qaudit does not know; correct its kind in the "
                         "file first (validate names the kinds)")
    raise UsageError(f"unknown key {readable(key)}{did_you_mean(wanted, known)}; that "
                     f"event's fields: {', '.join(k.split('.', 1)[1] for k in known)}")


def group_form(template: Template, word: str) -> RecordForm:
    """The form of a group named by role word (parent, action), role or table name."""
    wanted = word.strip().casefold().replace("-", "_")
    role = ROLE_WORDS.get(wanted, wanted)
    for section, group in template.groups():
        if role in (group.role, group.table):
            return RecordForm(group.table, group.label, group.fields, section, group)
    tables = [g.table for _, g in template.groups()]
    raise UsageError(f"template {template.id} has no records called {readable(word)}"
                     f"{did_you_mean(wanted, [*ROLE_WORDS, *EVENT_WORDS, *tables])}; add one "
                     f"of: parent, action, event, {', '.join(tables)}")


def fields_to_ask(form: RecordForm) -> tuple[Item, ...]:
    """The fields an auditor is asked for a new record: all of them, except that an action
    asks only the action and by whom (the rest is for the manager and practitioner)."""
    if form.group is not None and form.group.role in MANAGED_GROUP_ROLES:
        return tuple(f for f in form.fields if f.id in AUDITOR_ACTION_FIELDS) or form.fields
    return form.fields


def is_event_word(word: str) -> bool:
    return word.strip().casefold() in EVENT_WORDS


def blank_record(get: Getter, table: str) -> int | None:
    """The first record with nothing filled in (``new`` writes one for parents), if any."""
    records = get(table)
    if not isinstance(records, list):
        return None
    for index, record in enumerate(records):
        if isinstance(record, dict) and all(is_blank(v) for v in record.values()):
            return index
    return None


def record_room(get: Getter, form: RecordForm) -> str:
    """Why no record can be added ("" when one can): a group's maximum is reached."""
    group = form.group
    if group is None or group.maximum is None or blank_record(get, form.table) is not None:
        return ""
    records = get(form.table)
    count = len(records) if isinstance(records, list) else 0
    if count >= group.maximum:
        return (f"the template allows at most {group.maximum} {group.label} records and the "
                f"file has {count}; change one with `qaudit fill FILE --review`")
    return ""


def build_record(form: RecordForm, values: Mapping[str, Any], *, event: str = "") -> dict[str, Any]:
    """The record to write. Group records list every field ("" when not given), as ``new``
    does, so every key is visible; a new action starts open. Events keep only what is given."""
    if event:
        head = {"date": values.get("date"), "kind": event}
        rest = {k: v for k, v in values.items() if k != "date" and not is_blank(v)}
        return {**head, **rest}
    record: dict[str, Any] = {}
    for item in form.fields:
        value = values.get(item.id)
        if is_blank(value) and item.id == STATUS_FIELD and OPEN in item.kind.values:
            value = OPEN
        record[item.id] = "" if value is None else value
    return record

