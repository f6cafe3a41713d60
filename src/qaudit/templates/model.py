"""The template model: answer kinds, items (questions and fields), repeatable groups,
sections and the template itself, as immutable values with their look-ups.

Built from template files by ``qaudit.templates.loading``; found by id and version through
``qaudit.templates.catalogue`` (which re-exports these names).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import msgspec

from qaudit.templates.guidance import CyclePlacement, Descriptor, GuidanceNote, Theme

BASE_TYPES = ("grade", "choice", "score", "integer", "text", "date", "boolean", "list")


class Kind(msgspec.Struct, frozen=True):
    """An answer kind: a base type plus its allowed values and the rule it quotes."""

    name: str
    base: str
    values: tuple[Any, ...] = ()
    names: dict[str, str] = msgspec.field(default_factory=dict)
    na: bool = False
    minimum: int | None = None
    maximum: int | None = None
    rule: str = ""

    def describe(self) -> str:
        """The allowed answers in words, for prompts and messages."""
        if self.base == "grade":
            parts = [f"{v} {self.names.get(str(v), '')}".strip() for v in self.values]
            return ", ".join(parts) + (', or "N/A"' if self.na else "")
        if self.base == "choice":
            return " / ".join(str(v) for v in self.values)
        if self.base == "score":
            return f"a whole number from {self.minimum} to {self.maximum}"
        if self.base == "integer":
            low = self.minimum if self.minimum is not None else 0
            return f"a whole number, {low} or more"
        if self.base == "date":
            return "a date, YYYY-MM-DD"
        if self.base == "boolean":
            return "true or false"
        if self.base == "list":
            return "a list of text"
        return "text"

    def grade_name(self, value: object) -> str:
        return self.names.get(str(value), "")


class Item(msgspec.Struct, frozen=True):
    """A question (stored as ``[answers.<id>]``) or a field (a key of its section's table)."""

    id: str
    kind: Kind
    text: str
    number: str = ""
    guidance: str = ""
    prompts: tuple[str, ...] = ()
    required: bool = False
    evidence: str = ""
    evidence_when: tuple[Any, ...] = ()
    role: str = ""
    moderator_only: bool = False
    requires: str = ""

    @property
    def value_key(self) -> str:
        """The key holding the answer inside a question's table."""
        return "grade" if self.kind.base == "grade" else "answer"

    @property
    def label(self) -> str:
        return f"{self.number}. {self.text}" if self.number else self.text


class Group(msgspec.Struct, frozen=True):
    """A repeatable record, stored as an array of tables (parents' views, actions)."""

    table: str
    label: str
    fields: tuple[Item, ...]
    role: str = ""
    minimum: int = 0
    maximum: int | None = None

    def field(self, field_id: str) -> Item | None:
        return next((f for f in self.fields if f.id == field_id), None)


class Section(msgspec.Struct, frozen=True):
    id: str
    number: str
    title: str
    table: str
    note: str = ""
    guidance: str = ""
    guidance_label: str = ""
    theme: str = ""
    fields: tuple[Item, ...] = ()
    questions: tuple[Item, ...] = ()
    group: Group | None = None

    @property
    def heading(self) -> str:
        return f"Section {self.number}: {self.title}" if self.number else self.title

    @property
    def guidance_heading(self) -> str:
        """What the section's guidance is, as the form labels it ("What does GOOD look like?
        ..."); "Guidance" when the template gives no label."""
        return self.guidance_label or "Guidance"

    def field(self, field_id: str) -> Item | None:
        return next((f for f in self.fields if f.id == field_id), None)


class Template(msgspec.Struct, frozen=True, eq=False):
    id: str
    version: str
    title: str
    sections: tuple[Section, ...]
    kinds: dict[str, Kind]
    source: str
    organisation: str = ""
    description: str = ""
    review_months: int = 6
    guidance: tuple[GuidanceNote, ...] = ()
    introduction_title: str = ""
    descriptors: tuple[Descriptor, ...] = ()
    descriptor_kinds: tuple[str, ...] = ()
    themes: tuple[Theme, ...] = ()
    cycle: CyclePlacement = msgspec.field(default_factory=CyclePlacement)
    cycle_name: str = ""

    # --- guidance (shown by fill, the form and render; see qaudit.fill.guidance) -------------
    def descriptors_for(self, kind: Kind) -> tuple[Descriptor, ...]:
        """The grade descriptors for answers of ``kind`` (none unless a grade kind named by
        ``descriptor_kinds``, or any grade kind when that is not set)."""
        named = not self.descriptor_kinds or kind.name in self.descriptor_kinds
        return self.descriptors if kind.base == "grade" and named else ()

    def descriptor(self, kind: Kind, value: object) -> Descriptor | None:
        """The descriptor of one grade (``3`` -> Good's), or None."""
        return next((d for d in self.descriptors_for(kind) if d.grade == value), None)

    def theme(self, theme_id: str) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)

    def theme_opened_by(self, section: Section) -> Theme | None:
        """The theme whose expected outcomes go above ``section`` (its first section)."""
        first = next((s for s in self.sections if section.theme and s.theme == section.theme),
                     None)
        return self.theme(section.theme) if first is section else None

    # --- look-ups -------------------------------------------------------------------------
    def questions(self) -> Iterator[tuple[Section, Item]]:
        for section in self.sections:
            for question in section.questions:
                yield section, question

    def question(self, question_id: str) -> Item | None:
        return self._question_index().get(question_id)

    @cache  # noqa: B019 - templates are immutable and live for the process
    def _question_index(self) -> dict[str, Item]:
        return {q.id: q for _, q in self.questions()}

    @cache  # noqa: B019
    def tables(self) -> dict[str, tuple[Section, ...]]:
        """Field tables (``case``, ``sections.assessment``...) and the sections storing there."""
        found: dict[str, list[Section]] = {}
        for section in self.sections:
            if section.fields:
                found.setdefault(section.table, []).append(section)
        return {k: tuple(v) for k, v in found.items()}

    def groups(self) -> Iterator[tuple[Section, Group]]:
        for section in self.sections:
            if section.group is not None:
                yield section, section.group

    @cache  # noqa: B019
    def by_role(self) -> dict[str, tuple[str, Item]]:
        """Role -> (dotted key path of the value, item). Groups map to their table name."""
        found: dict[str, tuple[str, Item]] = {}
        for section in self.sections:
            for f in section.fields:
                if f.role:
                    found[f.role] = (f"{section.table}.{f.id}", f)
            for q in section.questions:
                if q.role:
                    found[q.role] = (f"answers.{q.id}.{q.value_key}", q)
        return found

    def role_path(self, role: str) -> str | None:
        hit = self.by_role().get(role)
        return hit[0] if hit else None

    def group_by_role(self, role: str) -> Group | None:
        return next((g for _, g in self.groups() if g.role == role), None)
