"""The document model every renderer shares: one audit, laid out as its template lays it out.

Pure: an audit's values (read with the fast reader), its template, the timescales summary and
the options in; a ``Document`` of plain strings out. Everything is found by template data:
sections in template order, each with its fields and questions, the section's rating and
rationale by role (``section_grade``, ``section_rationale``), repeatable records (parents'
views, actions) by group, the overall grading by role (``overall_grade``,
``overall_rationale`` or the overall question's evidence). A council's own template renders
without code. The writers (docx, html, pdf, mosaic, the terminal) only lay it out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from qaudit.audit.kinds import NA, is_blank
from qaudit.audit.status import MODERATED
from qaudit.templates.catalogue import Group, Item, Section, Template

Getter = Callable[[str], Any]
Scrub = Callable[[str], str]

# Roles of fields shown as the section's rating block, after its questions.
RATING_ROLES = ("section_grade", "section_rationale", "section_moderator_grade",
                "section_moderator_comment")
ACTION_ROLES = ("actions", "learning_actions")
ACTION_COLUMNS = ("action", "by_whom", "due", "agreed_on", "status", "done_on", "update")
# Characters no XML document (docx, html) may hold; tab, line feed and carriage return stay.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    """Text as every writer can hold it: no control characters, line ends as ``\\n``."""
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def long_date(day: dt.date) -> str:
    """``10 June 2026``: how a document a practitioner reads writes a date."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


@dataclass(frozen=True)
class Grade:
    """A grade as read: its number (or N/A) and name; ``level`` 1-4 picks its colour."""

    value: str
    name: str
    level: int = 0

    @property
    def text(self) -> str:
        return f"{self.value} {self.name}".strip()


@dataclass(frozen=True)
class Entry:
    """One field or question with its answer, ready to print."""

    label: str
    value: str
    number: str = ""
    grade: Grade | None = None
    evidence: str = ""
    evidence_label: str = ""
    question: bool = False
    role: str = ""
    long: bool = False  # a text answer: printed under its question, full width

    @property
    def answered(self) -> bool:
        return bool(self.value)


@dataclass(frozen=True)
class Record:
    """One record of a repeatable group (a parent's views, one action)."""

    label: str
    entries: tuple[Entry, ...]

    def value(self, field_id: str) -> str:
        return next((e.value for e in self.entries if e.role == field_id), "")


@dataclass(frozen=True)
class Block:
    """One section of the template, filled in."""

    id: str
    heading: str
    note: str = ""
    fields: tuple[Entry, ...] = ()
    questions: tuple[Entry, ...] = ()
    rating: tuple[Entry, ...] = ()
    records: tuple[Record, ...] = ()
    group_label: str = ""
    group_role: str = ""
    columns: tuple[tuple[str, str], ...] = ()  # (field id, label) for an actions table

    @property
    def graded_questions(self) -> tuple[Entry, ...]:
        return tuple(q for q in self.questions if q.grade is not None or q.question)


@dataclass(frozen=True)
class Timescales:
    """The check-kpis summary of one audit: counts by status and the lines missed."""

    counts: tuple[tuple[str, int], ...] = ()
    missed: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)


@dataclass
class Document:
    title: str
    template_id: str
    template_title: str
    template_version: str
    organisation: str
    status: str
    case_number: str
    child: str
    audit_date: str
    auditor: str
    blocks: list[Block] = field(default_factory=list)
    overall_grade: Grade | None = None
    overall_comments: str = ""
    actions: list[Record] = field(default_factory=list)
    timescales: Timescales = field(default_factory=Timescales)
    for_file: bool = False
    redacted: bool = False
    left_out: list[str] = field(default_factory=list)

    @property
    def subtitle(self) -> str:
        parts = [f"{self.template_title} (template {self.template_id}, version "
                 f"{self.template_version})"]
        if self.organisation:
            parts.append(self.organisation)
        return " · ".join(parts)


# --- building ---------------------------------------------------------------------------------


def grade_of(item: Item, value: Any) -> Grade | None:
    """The grade of a grade-kind answer (``3 Good``, ``N/A``); None for other kinds or blank."""
    if item.kind.base != "grade" or is_blank(value):
        return None
    if value == NA:
        return Grade(NA, "", 0)
    if isinstance(value, int) and not isinstance(value, bool):
        ints = sorted(v for v in item.kind.values if isinstance(v, int))
        level = 0
        if value in ints and ints:
            # map the scale onto 1..4 so a 1-4 and a 1-6 scale colour alike
            level = 1 + round(3 * ints.index(value) / max(1, len(ints) - 1))
        return Grade(str(value), item.kind.grade_name(value), level)
    return Grade(str(value), "", 0)


@dataclass
class Builder:
    template: Template
    get: Getter
    scrub: Scrub
    child_alias: str = ""
    for_file: bool = False
    moderated: bool = False
    long_dates: bool = True

    def text(self, item: Item | None, value: Any) -> str:
        if is_blank(value):
            return ""
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return long_date(value) if self.long_dates else value.isoformat()
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, list):
            return clean(self.scrub("; ".join(str(v) for v in value)))
        if item is not None and item.role == "child_name" and self.child_alias:
            return self.child_alias
        grade = grade_of(item, value) if item is not None else None
        if grade is not None:
            return grade.text
        if isinstance(value, int | float):
            return str(value)
        return clean(self.scrub(str(value))).strip()

    def shows(self, item: Item) -> bool:
        return self.moderated or not item.moderator_only

    def entry(self, item: Item, value: Any, *, question: bool = False,
              evidence: Any = None) -> Entry:
        return Entry(
            label=clean(item.text), value=self.text(item, value), number=item.number,
            grade=grade_of(item, value), question=question,
            evidence=self.text(None, evidence) if item.evidence else "",
            evidence_label=item.evidence, role=item.role or item.id,
            long=item.kind.base in ("text", "list"),
        )

    def question(self, item: Item) -> Entry:
        answer = self.get(f"answers.{item.id}")
        table = answer if isinstance(answer, dict) else {}
        return self.entry(item, table.get(item.value_key), question=True,
                          evidence=table.get("evidence"))

    def records(self, group: Group) -> tuple[Record, ...]:
        raw = self.get(group.table)
        found = []
        number = 0
        for record in raw if isinstance(raw, list) else []:
            if not isinstance(record, dict) or all(is_blank(v) for v in record.values()):
                continue
            number += 1
            entries = []
            for item in group.fields:
                value = record.get(item.id)
                if group.role == "parents_views" and item.id == "name" and self.child_alias \
                        and not is_blank(value):
                    value = f"{group.label} {number}"
                entries.append(Entry(clean(item.text), self.text(item, value), item.number,
                                     grade_of(item, value), role=item.id))
            found.append(Record(f"{group.label} {number}", tuple(entries)))
        return tuple(found)

    def block(self, section: Section) -> Block | None:
        fields: list[Entry] = []
        rating: list[Entry] = []
        for item in section.fields:
            if not self.shows(item):
                continue
            entry = self.entry(item, self.get(f"{section.table}.{item.id}"))
            (rating if item.role in RATING_ROLES else fields).append(entry)
        questions = tuple(self.question(q) for q in section.questions if self.shows(q))
        group = section.group
        records: tuple[Record, ...] = ()
        columns: tuple[tuple[str, str], ...] = ()
        if group is not None:
            records = self.records(group)
            if group.role in ACTION_ROLES:
                present = {f.id: clean(f.text) for f in group.fields}
                columns = tuple((c, present[c]) for c in ACTION_COLUMNS if c in present
                                and any(r.value(c) for r in records))
        if not (fields or questions or rating or group is not None):
            return None  # e.g. the moderation panel's section before moderation
        return Block(section.id, clean(section.heading), clean(section.note), tuple(fields),
                     questions, tuple(rating), records,
                     clean(group.label) if group else "", group.role if group else "", columns)


def overall(template: Template, get: Getter, builder: Builder) -> tuple[Grade | None, str]:
    """The auditor's overall grade and comments (the rationale), found by role: a field with
    role ``overall_rationale``, else the evidence of the ``overall_grade`` question."""
    hit = template.by_role().get("overall_grade")
    if hit is None:
        return None, ""
    key, item = hit
    grade = grade_of(item, get(key))
    comments = ""
    rationale = template.role_path("overall_rationale")
    if rationale:
        comments = builder.text(None, get(rationale))
    elif key.startswith("answers."):
        comments = builder.text(None, get(f"answers.{item.id}.evidence"))
    return grade, comments


def build(template: Template, get: Getter, *, status: str, timescales: Timescales,
          scrub: Scrub = lambda s: s, child_alias: str = "", for_file: bool = False,
          long_dates: bool = True) -> Document:
    """The document for one audit. ``child_alias`` (with ``scrub``) redacts; ``for_file``
    leaves out the learning actions, which must never go on the child's file."""
    builder = Builder(template, get, scrub, child_alias, for_file, status == MODERATED,
                      long_dates)

    def role(name: str) -> str:
        found = template.by_role().get(name)
        return builder.text(found[1], get(found[0])) if found else ""

    case_number = role("case_number")
    child = role("child_name")
    doc = Document(
        title=f"{clean(template.title)}: {case_number or 'no case number'}",
        template_id=template.id, template_title=clean(template.title),
        template_version=template.version, organisation=clean(template.organisation),
        status=status, case_number=case_number, child=child,
        audit_date=role("audit_date"), auditor=role("auditor"), timescales=timescales,
        for_file=for_file, redacted=bool(child_alias),
    )
    for section in template.sections:
        group = section.group
        if for_file and group is not None and group.role == "learning_actions":
            doc.left_out.append(clean(section.heading))
            continue
        block = builder.block(section)
        if block is None:
            continue
        doc.blocks.append(block)
        if group is not None and group.role == "actions":
            doc.actions.extend(block.records)
    doc.overall_grade, doc.overall_comments = overall(template, get, builder)
    return doc
