"""Where things belong in the form: the section a finding's key is shown in, the findings of
each section, and a section's progress (answered / required, findings). No Textual here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from qaudit.audit.kinds import is_blank
from qaudit.audit.reader import split_key
from qaudit.fill.records import CHRONOLOGY, EVENTS_TABLE
from qaudit.findings import Finding, Level
from qaudit.form.session import FormSession
from qaudit.templates.catalogue import Section, Template


@dataclass
class SectionState:
    answered: int
    required: int
    findings: int


def section_of(template: Template, key: str) -> Section:
    """The section a key belongs to (the case details when none does)."""
    parts = split_key(key)
    head = parts[0] if parts else ""
    if head == "answers" and len(parts) > 1:
        question = str(parts[1])
        for section, item in template.questions():
            if item.id == question:
                return section
    if head == EVENTS_TABLE:
        return CHRONOLOGY
    fallback = template.sections[0]
    for section in template.sections:
        group = section.group
        if group is not None and head == group.table:
            return section
        if key == section.table or key.startswith(section.table + "."):
            if section.field(str(parts[-1])) is not None:
                return section
            fallback = section if fallback is template.sections[0] else fallback
    return fallback


def by_section(template: Template, findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """Section id -> its findings, in the order given."""
    found: dict[str, list[Finding]] = {}
    for finding in findings:
        found.setdefault(section_of(template, finding.key).id, []).append(finding)
    return found


def section_state(session: FormSession, section: Section,
                  findings: list[Finding]) -> SectionState:
    """What the section list shows: required fields answered (every field when none is
    required), and the number of findings."""
    slots = [s for s in session.slots(section) if session.editable(s)]
    required = [s for s in slots if s.required] or slots
    answered = sum(1 for s in required if not is_blank(session.get(s.key)))
    return SectionState(answered, len(required), len(findings))


def errors_first(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.level is not Level.ERROR, f.line, f.column))
