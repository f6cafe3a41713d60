"""Write N realistic, fictional audits for benchmarks.

    python benchmarks/generate.py N OUTDIR [--seed S]

About 70% core and 30% team-manager audits, drafts, complete and moderated ones, each laid out
exactly as `qaudit new` writes it (the text comes from `qaudit.audit.scaffold.render_audit`)
and then
filled in: every answer, evidence, section ratings, parents' views or the reason they were not
obtained, actions, moderation, and a case chronology of 20-60 `[[events]]`. A core audit comes
out at 42-58 KB (about 52 KB on average) and a team-manager one at 35-45 KB (about 40 KB): most
of it is the question and guidance comments `qaudit new` writes (a blank core audit is 40 KB).

The same seed gives the same files. About 2% of files carry one deliberate mistake (a bad grade,
missing evidence or a missing rationale) so validation has findings to report; they are listed in
OUTDIR/mistakes.txt. Every other file validates clean.

Values are chosen by answer kind and template role, never by a template's question ids, and the
text is filled in by substitution on the rendered lines (no TOML library per file), so 10,000
files take seconds. Standard library and qaudit only. All names and case numbers are invented.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from qaudit.audit.scaffold import audit_filename, render_audit
from qaudit.audit.schema import schema_filename
from qaudit.templates.catalogue import Catalogue, Item, Template

T = TypeVar("T")
LATEST_AUDIT = dt.date(2026, 10, 30)  # tests run with today = 2026-11-23
EARLIEST_AUDIT = dt.date(2025, 6, 2)
LAST_RECORD_DAY = dt.date(2026, 11, 20)
MISTAKE_RATE = 0.02

KEY_LINE = re.compile(r'^(# )?([a-z0-9_]+) = ("[^"]*"|\S+)\s*(#.*)?$')
HEADER = re.compile(r"^(# )?\[(\[)?([a-z0-9_.\-]+)\]\]?\s*$")

FIRST = [
    "Ruby",
    "Kai",
    "Isla",
    "Leo",
    "Mia",
    "Noah",
    "Tilly",
    "Jayden",
    "Amara",
    "Finn",
    "Poppy",
    "Zain",
    "Evie",
    "Ollie",
    "Maya",
    "Reuben",
    "Ivy",
    "Kian",
    "Lola",
    "Theo",
    "Sienna",
    "Alfie",
]
LAST = [
    "Brambleworth",
    "Thistlewood",
    "Marchbank",
    "Penhallow",
    "Dunstable",
    "Ashdown",
    "Fernsby",
    "Coldridge",
    "Quillfeather",
    "Harrowgate",
    "Wrenfield",
    "Oakhurst",
    "Larkspur",
    "Tansley",
    "Pickering-Vale",
    "Mossbury",
    "Eldercombe",
    "Whitlock-Fane",
    "Rookwell",
    "Sallowby",
]
STAFF = [
    "Amira Castellane",
    "Owen Pellingham",
    "Jodie Fenwick-Hale",
    "Marcus Orley",
    "Sanjay Okafor-Reid",
    "Helen Ashcombe",
    "Ellis Varga",
    "Fiona Mardell",
    "Leah Brackenridge",
    "Tariq Holloway",
    "Carys Wentworth",
    "Dominic Frayne",
    "Bethany Kell",
    "Dev Pathirana",
    "Gwen Harrowby",
    "Priya Lanchester",
    "Naomi Steadman",
    "Rachel Dunmore",
]
TEAMS = [
    "Children in Need Team 1",
    "Children in Need Team 2",
    "Family Safeguarding Team 1",
    "Family Safeguarding Team 3",
    "Children in Care Team",
    "Adolescent Safeguarding Team",
    "Disabled Children's Team",
    "Leaving Care Team",
]
ADULTS = [
    ("Mother", "mum"),
    ("Father", "dad"),
    ("Maternal grandmother", "nan"),
    ("Stepfather", "stepdad"),
    ("Foster carer", "carer"),
    ("Paternal aunt", "aunt"),
]

EVIDENCE = [
    "{child} seen alone on {n} of {m} visits; visit notes of {d1} and {d2} record {his} views "
    "in {his} own words.",
    "C&F assessment completed {d1} sets out the worries clearly and in plain language.",
    "Danger statement describes the adult behaviour, the past harm and the impact on {child}.",
    "Safety goal agreed with the family at the meeting of {d1}; measurable through the core group.",
    "Plan reviewed on {d1} and {d2} with progress recorded against each goal.",
    "Management oversight recorded {d1} with clear direction; no oversight between {d1} and {d2}.",
    "Supervision of {d1} recorded on {d2}; actions followed up at the next session.",
    "School, health visitor and police each have named actions in the plan.",
    "Three Houses completed with {child} on {d1}; {his} wishes are reflected in the plan.",
    "No recorded reason for the gap between visits of {d1} and {d2}.",
    "Words and pictures plan uploaded {d1}; {child} has a copy.",
    "The family network meeting of {d1} brought the wider family into the safety plan.",
    "Attendance improved from {p1}% to {p2}% (school data {d2}).",
    "The IRO's midway review on {d1} challenged drift in the care plan.",
    "Trajectory has dates for the next three months but no projected end date.",
    "Bottom lines are not written down; the plan does not say what happens if it is not working.",
    "SW escalated to the partner agency's manager when they missed two meetings (email {d1}).",
    "Identity, culture and language explored with {child} and the family in the assessment.",
    "Records are up to date but describe tasks more than {child}'s day-to-day experience.",
    "Strengths are separated from existing safety, with examples seen consistently since {d1}.",
]
RATIONALE = [
    "Good work overall: {child}'s voice is clear and the plan is progressing. Timeliness of "
    "records needs attention.",
    "Requires improvement: the plan is not SMART and reviews have drifted since {d1}.",
    "Strong multi-agency working and purposeful direct work; one late review on {d1}.",
    "Outstanding use of the family network; measurable progress for {child}.",
    "Assessment and planning are sound but oversight between {d1} and {d2} was missing.",
]
TEXTS = {
    "why": "Open since {d1} because of concerns about {worry}; the C&F assessment "
    "recommended {plan}.",
    "story": "Yes: the practitioner described {child}'s routine, the family history and each "
    "decision without notes.",
    "proud": "{child} now talks openly with the SW and the family asks for help earlier.",
    "challenge": "Engaging {adult}; delays from partner agencies; caseload pressure in the autumn.",
    "view": "{parent_says}",
    "panel": "The panel agreed the evidence supports a different grade: several section "
    "ratings are 2 and the KPIs show late reviews.",
    "declined": "The {adult} declined to give feedback when called; reason recorded {d2}.",
}
WORRIES = [
    "neglect linked to parental mental health",
    "domestic abuse",
    "criminal exploitation",
    "parental substance misuse",
    "emotional harm",
    "physical chastisement",
]
PLANS = ["a CIN plan", "an initial child protection conference", "a child in care plan"]
PARENT_SAYS = [
    "Yes, it was explained clearly and written down for me.",
    "Mostly. The social worker listens; the meetings are long.",
    "The support made a difference: the children are in school and I know who to ring.",
    "I would like meetings after school so I can get there.",
    "Teams meetings were fine but I prefer them in person.",
    "Not at first, but the new worker explained it properly.",
]
ACTIONS = [
    "Add bottom lines and response rules to the plan and share with the network.",
    "Update the chronology and case summary.",
    "Complete direct work with {child} and record {his} views in {his} own words.",
    "Make a referral for a Family Group Conference.",
    "Record supervision within 5 days and keep 2-monthly management oversight.",
    "Add a projected end date and SMART actions to the trajectory.",
    "Contact {child}'s father and record his views and role in the plan.",
]


@dataclass
class Slot:
    table: str
    key: str
    line: str
    comment: str


@dataclass
class GroupBlock:
    table: str
    commented: bool
    lines: list[str]  # the block as rendered
    record: list[str | Slot] = field(default_factory=list)  # one record, uncommented


@dataclass
class Layout:
    """A template's rendered text cut into literal lines and value slots, made once."""

    template: Template
    parts: list[str | Slot | GroupBlock]
    schema_name: str
    case_statuses: tuple[Any, ...] = ("CIN",)
    changed_grade: tuple[str, str] | None = None
    change_reason: tuple[str, str] | None = None


def _slot(table: str, line: str) -> Slot | None:
    match = KEY_LINE.match(line)
    if not match or match.group(1):
        return None
    return Slot(table, match.group(2), line, match.group(4) or "")


def layout(template: Template) -> Layout:
    text = render_audit(template, {}, "SCHEMA", dt.date(2026, 1, 1))
    lines = text.split("\n")
    groups = {g.table for _, g in template.groups()}
    parts: list[str | Slot | GroupBlock] = []
    table = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        head = HEADER.match(line)
        if head and head.group(2) and head.group(3) in groups:
            end = i
            while end < len(lines) and lines[end].strip():
                end += 1
            commented = bool(head.group(1))
            block = GroupBlock(head.group(3), commented, lines[i:end])
            for raw in block.lines:
                plain = (
                    raw[2:]
                    if commented
                    and raw.startswith("# ")
                    and (KEY_LINE.match(raw[2:]) or raw[2:].startswith("[["))
                    else raw
                )
                block.record.append(_slot(block.table, plain) or plain)
            parts.append(block)
            i = end
            continue
        if head and not head.group(1):
            table = head.group(3)
            parts.append(line)
        else:
            parts.append(_slot(table, line) or line)
        i += 1
    merged: list[str | Slot | GroupBlock] = []
    for part in parts:  # consecutive literal lines become one chunk: fewer steps per file
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] = f"{merged[-1]}\n{part}"
        else:
            merged.append(part)
    roles = template.by_role()
    statuses = roles["case_status"][1].kind.values if "case_status" in roles else ("CIN",)

    def split(role: str) -> tuple[str, str] | None:
        path = template.role_path(role)
        if not path:
            return None
        table, _, key = path.rpartition(".")
        return table, key

    return Layout(
        template,
        merged,
        schema_filename(template),
        statuses,
        split("moderation_changed_grade"),
        split("moderation_change_reason"),
    )


def toml(value: Any) -> str:
    """A value as TOML text (checked by exact type: this runs a few hundred times a file)."""
    kind = type(value)
    if kind is dt.date:
        return value.isoformat()  # type: ignore[no-any-return]
    if kind is str:
        return json.dumps(value, ensure_ascii=False)
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is float:
        return repr(value)
    raise TypeError(f"no TOML text for {value!r}")


def render_line(slot: Slot, encoded: str) -> str:
    line = f"{slot.key} = {encoded}"
    return f"{line:<24} {slot.comment}" if slot.comment else line


class Audit:
    """The values of one generated audit, chosen from a seeded random generator.

    Values are kept as TOML text. Sentences are formatted into a small pool once per audit and
    questions draw from it, which keeps generation fast.
    """

    def __init__(self, rng: random.Random, index: int, lay: Layout) -> None:
        self.rng = rng
        self.rand = rng.random
        self.template = lay.template
        self.layout = lay
        self.values: dict[tuple[str, str], str] = {}
        self.groups: dict[str, list[dict[str, str]]] = {}
        self.events: list[str] = []  # TOML text of each [[events]] table
        self.mistake = ""
        span = (LATEST_AUDIT - EARLIEST_AUDIT).days
        self.audit_date = EARLIEST_AUDIT + dt.timedelta(days=int(self.rand() * span))
        self.status = rng.choices(["draft", "complete", "moderated"], [25, 55, 20])[0]
        self.case_number = f"FICT-{500000 + index}"
        self.child = self.pick(FIRST)
        self.surname = self.pick(LAST)
        self.his = self.pick(["his", "her", "their"])
        self.age = 1 + int(self.rand() * 17)
        self.case_status = ""
        self.moderation_date = min(
            self.audit_date + dt.timedelta(days=7 + int(self.rand() * 28)), LAST_RECORD_DAY
        )
        self.short_dates = []
        for back_from, back_to in ((180, 60), (180, 60), (59, 2), (59, 2)):
            day = self.day(back_from, back_to)
            self.short_dates.append(f"{day.day:02}/{day.month:02}/{day.year % 100:02}")
        sentences = [self.fmt(text) for text in rng.sample(EVIDENCE, 10)]
        self.evidence_pool = [
            toml(" ".join(rng.sample(sentences, 1 + int(self.rand() * 3)))) for _ in range(24)
        ]
        self.rationale_pool = [toml(self.fmt(text)) for text in RATIONALE]
        self.text_pool = {name: toml(self.fmt(text)) for name, text in TEXTS.items()}
        self.staff = [toml(name) for name in rng.sample(STAFF, 6)]

    # ---- helpers
    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self.rand() * len(seq))]

    def day(self, back_from: int = 180, back_to: int = 1) -> dt.date:
        return self.audit_date - dt.timedelta(
            days=back_to + int(self.rand() * (back_from - back_to))
        )

    def fmt(self, text: str) -> str:
        dates = self.short_dates
        early = int(self.rand() * 2)
        return text.format(
            child=self.child,
            his=self.his,
            n=5 + int(self.rand() * 4),
            m=9,
            d1=dates[early],
            d2=dates[2 + early],
            p1=60 + int(self.rand() * 25),
            p2=86 + int(self.rand() * 13),
            worry=self.pick(WORRIES),
            plan=self.pick(PLANS),
            adult=self.pick(ADULTS)[0].lower(),
            parent_says=self.pick(PARENT_SAYS),
        )

    def text_for(self, item: Item) -> str:
        return self.text_pool.get(text_category(item)) or self.pick(self.evidence_pool)

    def value_for(self, item: Item, *, question: bool = False) -> str:
        """The TOML text of a fitting value for an item, by its kind and role."""
        kind = item.kind
        base = kind.base
        if base == "grade":
            if question and kind.na and self.rand() < 0.06:
                return '"N/A"'
            roll = self.rand()
            values = kind.values
            return toml(
                values[
                    min(
                        len(values) - 1,
                        0 if roll < 0.05 else 1 if roll < 0.35 else 2 if roll < 0.85 else 3,
                    )
                ]
            )
        if base == "choice":
            if item.role == "case_status":
                return toml(self.case_status)
            encoded = ENCODED.get(id(kind))
            if encoded is None:
                encoded = ENCODED[id(kind)] = [toml(v) for v in kind.values]
            return self.pick(encoded)
        if base == "score":
            low = kind.minimum or 0
            return str(low + int(self.rand() * ((kind.maximum or 10) - low + 1)))
        if base == "integer":
            return str(self.age if item.role == "child_age" else 1 + int(self.rand() * 3))
        if base == "date":
            return toml(self.date_for(item))
        if base == "boolean":
            return "true" if self.rand() < 0.5 else "false"
        if base == "list":
            return "[]"
        return self.role_text(item)

    def role_text(self, item: Item) -> str:
        role = item.role
        if role == "case_number":
            return toml(self.case_number)
        if role == "child_name":
            return toml(f"{self.child} {self.surname}")
        if role in ("practitioner", "team_manager", "auditor", "moderator"):
            return self.pick(self.staff)
        if role == "team":
            return toml(self.pick(TEAMS))
        if role in (
            "section_rationale",
            "overall_rationale",
            "practitioner_rationale",
            "overall_moderator_comment",
            "section_moderator_comment",
        ):
            return self.pick(self.rationale_pool)
        return self.text_for(item)

    def date_for(self, item: Item) -> dt.date:
        role = item.role
        if role == "audit_date":
            return self.audit_date
        if role in ("practitioner_meeting_date", "family_feedback_date"):
            return self.day(14, 1)
        if role == "moderation_date":
            return self.moderation_date
        return self.day(30, 1)

    # ---- the audit
    def fill(self) -> None:
        rng = self.rng
        template = self.template
        statuses = self.layout.case_statuses
        self.case_status = rng.choices(statuses, [40, 30, 25, 5, 5, 5][: len(statuses)])[0]
        moderated = self.status == "moderated"
        sections = template.sections
        # drafts stop part-way through the template
        cut = (
            len(sections) if self.status != "draft" else 2 + int(self.rand() * (len(sections) - 2))
        )
        values = self.values
        values[("audit", "status")] = toml(self.status)
        values[("audit", "created")] = toml(self.day(20, 1))
        for number, section in enumerate(sections):
            filled = number < cut
            excuse = next(
                (
                    f
                    for f in section.fields
                    if f.role == "views_not_obtained" or f.id.endswith("not_completed_reason")
                ),
                None,
            )
            excused = excuse is not None and filled and self.rand() < 0.15
            table = section.table
            for item in section.fields:
                if item.moderator_only:
                    if moderated:
                        values[(table, item.id)] = self.value_for(item)
                elif excuse is not None and item.id == excuse.id:
                    if excused:
                        values[(table, item.id)] = self.text_pool["declined"]
                elif filled or item.role in ("case_number", "audit_date"):
                    values[(table, item.id)] = self.value_for(item)
            if filled and not excused:
                for q in section.questions:
                    value = self.value_for(q, question=True)
                    values[(f"answers.{q.id}", q.value_key)] = value
                    if q.evidence and value != '"N/A"':
                        values[(f"answers.{q.id}", "evidence")] = self.pick(self.evidence_pool)
            group = section.group
            if group is not None and filled:
                self.groups[group.table] = self.records(
                    group.role, group.fields, group.maximum, excused
                )
        if moderated:
            self.moderation_reason()
        self.chronology()
        if self.rand() < MISTAKE_RATE:
            self.make_mistake()

    def moderation_reason(self) -> None:
        """Most panels agree with the auditor: no changed grade and no reason then."""
        changed, reason = self.layout.changed_grade, self.layout.change_reason
        if changed and reason and self.rand() < 0.6:
            self.values[changed] = '""'
            self.values[reason] = '""'

    def records(
        self, role: str, fields: tuple[Item, ...], maximum: int | None, excused: bool
    ) -> list[dict[str, str]]:
        if role == "parents_views":
            count = 0 if excused else 1 + int(self.rand() * (maximum or 2))
        elif role == "actions":
            count = 1 + int(self.rand() * 4)
        else:
            count = int(self.rand() * 3)
        out = []
        for _ in range(count):
            record: dict[str, str] = {}
            for item in fields:
                ident = item.id
                if ident == "action":
                    record[ident] = toml(self.fmt(self.pick(ACTIONS)))
                elif ident == "by_whom":
                    record[ident] = self.pick(self.staff) if self.rand() < 0.9 else '""'
                elif ident == "relationship":
                    record[ident] = toml(self.pick(ADULTS)[0])
                elif ident == "name":
                    record[ident] = toml(f"{self.pick(FIRST)} {self.surname}")
                elif ident in ("due", "agreed_on", "done_on", "status", "update"):
                    continue
                elif item.kind.base == "text":
                    record[ident] = (
                        toml(self.pick(PARENT_SAYS))
                        if role == "parents_views"
                        else self.text_for(item)
                    )
                else:
                    record[ident] = self.value_for(item)
            if role in ("actions", "learning_actions"):
                self.action_state(record, {f.id for f in fields})
            out.append(record)
        return out

    def action_state(self, record: dict[str, str], ids: set[str]) -> None:
        agreed = self.audit_date + dt.timedelta(days=2 + int(self.rand() * 13))
        due = None
        if (
            "due" in ids
            and self.status != "draft"
            and self.rand() < 0.7
            and agreed <= LAST_RECORD_DAY
        ):
            due = agreed + dt.timedelta(days=7 + int(self.rand() * 53))
            record["due"] = toml(due)
            record["agreed_on"] = toml(agreed)
        done = due is not None and "done_on" in ids and self.rand() < 0.3
        record["status"] = '"done"' if done else '"open"'
        if done and due is not None:
            record["done_on"] = toml(min(due, LAST_RECORD_DAY))
            if "update" in ids:
                record["update"] = '"Completed and recorded on the child\'s file."'

    def chronology(self) -> None:
        """20-60 dated events over the six months before the audit, by case status.

        Each event is kept as (date, TOML text). Record dates run at most 20 days past the
        audit date, and LATEST_AUDIT keeps them before LAST_RECORD_DAY.
        """
        rand = self.rand
        day_ = dt.timedelta(days=1)
        status = {"LAC": "CIC", "Care leaver": "CIC"}.get(self.case_status, self.case_status)
        first = self.audit_date - (182 - int(rand() * 20)) * day_
        head = f'[[events]]\ndate = {first}\nkind = "status"\nstatus = "{status}"'
        events: list[tuple[dt.date, str]] = []
        target = 20 + int(rand() * 41)
        end = self.audit_date

        def walk(day: dt.date, low: int, high: int) -> Iterator[dt.date]:
            while day <= end:
                yield day
                day += (low + int(rand() * (high - low + 1))) * day_

        low, high = {"CP": (7, 15), "CIC": (21, 45)}.get(status, (10, 24))
        for day in walk(first + 3 * day_, low, high):
            alone = "true" if rand() < 0.85 else "false"
            recorded = day + self.pick((0, 1, 1, 2, 3, 6)) * day_
            events.append(
                (
                    day,
                    f'[[events]]\ndate = {day}\nkind = "visit"\n'
                    f"seen_alone = {alone}\nrecorded = {recorded}",
                )
            )
        for day in walk(first + 10 * day_, 25, 70):
            recorded = day + self.pick((1, 2, 2, 3, 9)) * day_
            reflective = "true" if rand() < 0.4 else "false"
            events.append(
                (
                    day,
                    f'[[events]]\ndate = {day}\nkind = "supervision"\n'
                    f"recorded = {recorded}\nreflective = {reflective}",
                )
            )
            events.append((day, f'[[events]]\ndate = {day}\nkind = "management_oversight"'))
        kind, gap, record_key = {
            "CP": ("core_group", 42, "record_uploaded"),
            "CIC": ("cic_review", 120, "decisions_written"),
        }.get(status, ("cin_review", 42, "record_signed_off"))
        for day in walk(first + 14 * day_, gap - 7, gap + 14):
            later = day + (3 + int(rand() * 17)) * day_
            events.append(
                (day, f'[[events]]\ndate = {day}\nkind = "{kind}"\n{record_key} = {later}')
            )
        for kind, gap in (("case_summary", 80), ("chronology_update", 85)):
            for day in walk(first + (1 + int(rand() * 29)) * day_, gap - 20, gap + 20):
                events.append((day, f'[[events]]\ndate = {day}\nkind = "{kind}"'))
        while len(events) < target - 1:  # other recorded events (letters, case notes)
            day = self.day(180, 1)
            noted = day - int(rand() * 6) * day_
            events.append(
                (day, f'[[events]]\ndate = {day}\nkind = "record_update"\nevent_date = {noted}')
            )
        kept = self.rng.sample(events, min(len(events), target - 1))
        kept.sort(key=lambda event: event[0])
        self.events = [head] + [text for _, text in kept]
        if self.status != "draft":
            uploaded = min(end + int(rand() * 4) * day_, LAST_RECORD_DAY)
            self.events.append(f'[[events]]\ndate = {uploaded}\nkind = "audit_uploaded"')

    def make_mistake(self) -> None:
        """One deliberate mistake: a bad grade, or missing evidence (or rationale)."""
        values = self.values
        grades = [k for k, v in values.items() if k[1] == "grade" and v not in ('""', '"N/A"')]
        evidence = [k for k, v in values.items() if k[1] == "evidence" and v != '""']
        rationale = [
            k for k, v in values.items() if k[1] in ("rationale", "findings") and v != '""'
        ]
        if self.rand() < 0.5 and grades:
            key = self.pick(grades)
            values[key] = self.pick(["0", "5", "2.5", '"3"'])
            self.mistake = f"bad grade {values[key]} at {'.'.join(key)}"
        elif evidence or rationale:
            key = self.pick(evidence or rationale)
            values[key] = '""'
            self.mistake = f"missing {key[1]} at {'.'.join(key)}"


def text_category(item: Item) -> str:
    """Which stock text fits a free-text item, from its id and wording (cached per item)."""
    found = CATEGORY.get(id(item))
    if found is None:
        ident = f"{item.id} {item.text.lower()}"
        found = next((name for name, words in CATEGORY_WORDS if any(w in ident for w in words)), "")
        CATEGORY[id(item)] = found
    return found


CATEGORY: dict[int, str] = {}
ENCODED: dict[int, list[str]] = {}  # a choice kind's values as TOML text
CATEGORY_WORDS = (
    ("why", ("why", "synopsis", "overview")),
    ("story", ("story",)),
    ("proud", ("proud", "worked well", "helpful", "supported")),
    ("challenge", ("challenge", "hinder")),
    ("panel", ("reason",)),
)


def render(lay: Layout, audit: Audit, schema_ref: str) -> str:
    """The audit's text: the rendered template with its values put in, then the chronology."""
    out: list[str] = []
    append = out.append
    values = audit.values
    for part in lay.parts:
        if isinstance(part, str):
            append(part)
        elif isinstance(part, Slot):
            value = values.get((part.table, part.key))
            append(part.line if value is None else render_line(part, value))
        else:
            records = audit.groups.get(part.table, [])
            if part.commented or not records:
                out.extend(part.lines)
            for number, record in enumerate(records):
                if number or part.commented:
                    append("")
                for line in part.record:
                    if isinstance(line, Slot):
                        value = record.get(line.key)
                        append(line.line if value is None else render_line(line, value))
                    else:
                        append(line)
    text = "\n".join(out).replace("#:schema SCHEMA", f"#:schema {schema_ref}", 1)
    return text.rstrip("\n") + "\n\n" + "\n\n".join(audit.events) + "\n"


def generate(count: int, folder: Path, seed: int) -> tuple[int, list[str]]:
    catalogue = Catalogue()
    layouts = [layout(catalogue.require("core")), layout(catalogue.require("team-manager"))]
    schemas = Path(__file__).resolve().parent.parent / "schemas"
    folder.mkdir(parents=True, exist_ok=True)
    refs = [
        Path(os.path.relpath(schemas / lay.schema_name, folder.resolve())).as_posix()
        for lay in layouts
    ]
    mistakes: list[str] = []
    written = 0
    for index in range(count):
        rng = random.Random(f"{seed}:{index}")
        which = 0 if rng.random() < 0.7 else 1
        audit = Audit(rng, index, layouts[which])
        audit.fill()
        name = audit_filename(layouts[which].template, audit.case_number, audit.audit_date)
        (folder / name).write_text(render(layouts[which], audit, refs[which]), encoding="utf-8")
        written += 1
        if audit.mistake:
            mistakes.append(f"{name}: {audit.mistake}")
    (folder / "mistakes.txt").write_text("".join(f"{m}\n" for m in mistakes), encoding="utf-8")
    return written, mistakes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="how many audits to write")
    parser.add_argument("outdir", type=Path, help="folder to write them in (created)")
    parser.add_argument("--seed", type=int, default=1, help="same seed, same files (default 1)")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("count must be 0 or more")
    began = time.perf_counter()
    written, mistakes = generate(args.count, args.outdir, args.seed)
    took = time.perf_counter() - began
    print(
        f"wrote {written} audits to {args.outdir} in {took:.1f} s "
        f"({len(mistakes)} with a deliberate mistake, listed in mistakes.txt)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
