"""The core of ``qaudit fill``: what to ask, in which order, and what a typed answer means.

Pure: a template and a way to read the file's current values in, slots and parsed answers
out. The command line (``qaudit.cli.fill_cmd``) asks and renders; ``qaudit.audit.writer`` saves.

A *slot* is one value the auditor gives: a question's answer (its grade or answer key), the
question's evidence box, a section field (case details, a section's overall rating and its
rationale), or a field of a repeatable record already in the file (a parent/carer's views).
Slots come in template order: for each section its questions (answer, then evidence), then
its own fields, then its records. Moderator-only fields are left to the moderation panel and
action records to ``qaudit actions``; both can still be set with ``--set``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from qaudit.audit.kinds import is_blank, problem
from qaudit.audit.values import Mode, Parsed, parse_value
from qaudit.errors import UsageError
from qaudit.readable import readable
from qaudit.suggest import did_you_mean
from qaudit.templates.catalogue import Item, Kind, Section, Template

Getter = Callable[[str], Any]

EVIDENCE_KIND = Kind(name="evidence", base="text")
# Groups kept by other commands: the action registers (``qaudit actions``).
MANAGED_GROUP_ROLES = ("actions", "learning_actions")

ANSWER, EVIDENCE, FIELD, RECORD = "answer", "evidence", "field", "record"


@dataclass(frozen=True)
class Slot:
    """One value to ask for: where it is stored, what it is, and how it is checked."""

    key: str
    section: Section
    item: Item
    part: str
    kind: Kind
    label: str
    required: bool = False
    record: int | None = None

    @property
    def is_text(self) -> bool:
        return self.kind.base == "text"

    @property
    def question_key(self) -> str:
        """Slots sharing this belong to one question or record (shown under one heading)."""
        if self.part in (ANSWER, EVIDENCE):
            return f"answers.{self.item.id}"
        if self.part == RECORD:
            return self.key.rsplit(".", 1)[0]
        return self.key


def _record_count(get: Getter, table: str) -> int:
    records = get(table)
    return len(records) if isinstance(records, list) else 0


def section_slots(section: Section, get: Getter, *, everything: bool = False) -> list[Slot]:
    """A section's slots in order. ``everything`` adds moderator-only fields and actions."""
    found: list[Slot] = []
    for q in section.questions:
        found.append(Slot(f"answers.{q.id}.{q.value_key}", section, q, ANSWER, q.kind,
                          q.label, q.required))
        if q.evidence:
            found.append(Slot(f"answers.{q.id}.evidence", section, q, EVIDENCE, EVIDENCE_KIND,
                              q.evidence, q.required))
    for f in section.fields:
        if f.moderator_only and not everything:
            continue
        found.append(Slot(f"{section.table}.{f.id}", section, f, FIELD, f.kind, f.label,
                          f.required and not f.moderator_only))
    group = section.group
    if group is not None and (everything or group.role not in MANAGED_GROUP_ROLES):
        for index in range(_record_count(get, group.table)):
            for f in group.fields:
                found.append(Slot(f"{group.table}[{index}].{f.id}", section, f, RECORD, f.kind,
                                  f"{group.label} {index + 1}: {f.label}", False, index))
    return found


def audit_slots(template: Template, get: Getter, *, everything: bool = False) -> list[Slot]:
    """Every slot of the audit, in template order."""
    return [s for section in template.sections
            for s in section_slots(section, get, everything=everything)]


def is_answered(slot: Slot, get: Getter) -> bool:
    return not is_blank(get(slot.key))


# --- progress -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int
    by_section: dict[str, tuple[int, int]] = field(default_factory=dict)

    def of(self, section: Section) -> tuple[int, int]:
        return self.by_section.get(section.id, (0, 0))


def progress(slots: Iterable[Slot], get: Getter) -> Progress:
    """Answered / total overall and per section (section id -> (answered, total))."""
    per: dict[str, list[int]] = {}
    for slot in slots:
        counts = per.setdefault(slot.section.id, [0, 0])
        counts[1] += 1
        if is_answered(slot, get):
            counts[0] += 1
    return Progress(sum(c[0] for c in per.values()), sum(c[1] for c in per.values()),
                    {k: (v[0], v[1]) for k, v in per.items()})


# --- choosing where to work ---------------------------------------------------------------


def find_section(template: Template, wanted: str) -> Section:
    """A section by id or printed number (``assessment``, ``4``, ``15a``)."""
    for section in template.sections:
        if wanted in (section.id, section.number) or wanted.casefold() == section.id:
            return section
    choices = [s.id for s in template.sections]
    raise UsageError(f"no section {readable(wanted)} in template {template.id}"
                     f"{did_you_mean(wanted, choices)}; sections: {', '.join(choices)}")


def slots_for_question(slots: list[Slot], wanted: str) -> list[Slot]:
    """The slots of one question (id ``q4`` or number ``4``) or one key (``case.audit_date``)."""
    exact = [s for s in slots if s.key == wanted or s.question_key == wanted]
    if exact:
        return exact
    by_id = [s for s in slots if s.part in (ANSWER, EVIDENCE) and s.item.id == wanted]
    if by_id:
        return by_id
    by_number = [s for s in slots if s.part in (ANSWER, EVIDENCE) and s.item.number == wanted]
    if by_number:
        return by_number
    choices = sorted({s.item.id for s in slots if s.part == ANSWER} | {s.key for s in slots})
    raise UsageError(f"no question {readable(wanted)}{did_you_mean(wanted, choices)}; give a "
                     f"question "
                     "id (q4), its number (4) or a key (case.audit_date)")


def select(slots: list[Slot], get: Getter, *, review: bool = False) -> list[Slot]:
    """The slots to walk: unanswered ones, or every one when reviewing."""
    return list(slots) if review else [s for s in slots if not is_answered(s, get)]


# --- typed answers ------------------------------------------------------------------------


def parse_answer(kind: Kind, typed: str, *, single_line: bool = False) -> Parsed:
    """What a person typed, as the value to store; blank input gives ``Parsed(None)``.

    The lenient parser of ``qaudit.audit.values`` (grade names, ``n/a``, yes/no, UK dates);
    the value returned always passes ``kinds.problem``, the check ``validate`` makes."""
    parsed = parse_value(kind, typed, Mode.LENIENT, single_line=single_line)
    if parsed.ok and parsed.value is not None:
        message = problem(kind, parsed.value)
        if message:
            return Parsed(error=message)
    return parsed


# --- keys for --set -----------------------------------------------------------------------


def normal_key(key: str) -> str:
    """``actions.0.due`` and ``actions[0].due`` are the same key."""
    return re.sub(r"\.(\d+)(?=\.|$)", r"[\1]", key.strip())


def resolve_key(template: Template, get: Getter, key: str) -> Slot:
    """The slot a ``--set`` key names: a dotted key, or a bare question id (``q4``,
    ``q4.evidence``). An unknown key is refused with the nearest known keys."""
    slots = audit_slots(template, get, everything=True)
    by_key = {s.key: s for s in slots}
    wanted = normal_key(key)
    if wanted in by_key:
        return by_key[wanted]
    head, _, rest = wanted.partition(".")
    question = template.question(head)
    if question is not None and rest in ("", question.value_key, "evidence"):
        part = "evidence" if rest == "evidence" else question.value_key
        hit = by_key.get(f"answers.{question.id}.{part}")
        if hit is not None:
            return hit
    shorthands = [q.id for _, q in template.questions()]
    raise UsageError(f"unknown key {readable(key)}{did_you_mean(wanted, [*by_key, *shorthands])}; "
                     "keys look like answers.q4.grade, q4, q4.evidence, case.audit_date, "
                     "sections.<section>.rationale, events[0].date")
