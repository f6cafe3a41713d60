"""One section of the form, built from the template data: its questions in template order
(number, text, the practice standard folded away, the answer, the evidence), its own fields
(the section's overall rating and rationale), then its records with a button to add one."""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Button, Static

from qaudit.audit.kinds import display
from qaudit.fill.answers import ANSWER, EVIDENCE, FIELD, RECORD, Slot
from qaudit.fill.guidance import introduction, item_help, theme_lines
from qaudit.form.session import CHRONOLOGY, MODERATE, FormSession, event_count
from qaudit.form.widgets import FieldBox, ReadOnly
from qaudit.moderation.record import auditor_overall
from qaudit.templates.catalogue import Item, Section, Template

ADD_RECORD = "add-record-"  # + the section id
PANEL_OVERALL_ROLES = {"moderation_changed_grade", "overall_moderator_grade"}


def standard_text(template: Template, item: Item) -> str:
    """The practice standard of a question, its prompts and its grade descriptors (the
    template's own words, through ``fill.guidance`` as every front-end shows them)."""
    return "\n".join(item_help(template, item))


class Fold(Static):
    """Text folded away under a title line; a click or F2 (in its question) opens it."""

    DEFAULT_CSS = """
    Fold { color: $text-muted; height: auto; }
    """

    def __init__(self, body: str, *, title: str) -> None:
        super().__init__()
        self.title = title
        self.body = body
        self.collapsed = True
        self._draw()

    def _draw(self) -> None:
        head = Text(("▶ " if self.collapsed else "▼ ") + self.title, style="bold")
        if not self.collapsed:
            head.append("\n" + self.body, style="")
        self.update(head)

    def toggle(self, *, collapsed: bool | None = None) -> None:
        self.collapsed = not self.collapsed if collapsed is None else collapsed
        self._draw()

    def on_click(self) -> None:
        self.toggle()


class QuestionBlock(Vertical):
    """A question: heading, folded practice standard, its fields."""

    DEFAULT_CSS = """
    QuestionBlock { height: auto; margin: 0 0 1 0; }
    QuestionBlock .question { text-style: bold; }
    """


class SectionHeading(Static):
    DEFAULT_CSS = """
    SectionHeading { text-style: bold; color: $accent; margin: 0 0 1 0; }
    """


def _field_widget(session: FormSession, slot: Slot, label: str) -> Widget:
    if not session.editable(slot):
        return ReadOnly(label or _part_label(slot), session.shown(slot))
    refused = slot.key in session.unsaved
    text = session.unsaved.get(slot.key, session.text_of(slot))
    return FieldBox(slot, text, label, refusal=session.check(slot, text) if refused else "")


def _part_label(slot: Slot) -> str:
    if slot.part == EVIDENCE:
        return slot.label
    if slot.part == ANSWER:
        return "Grade" if slot.kind.base == "grade" else "Answer"
    return slot.item.text


def _question(session: FormSession, item: Item, slots: list[Slot]) -> QuestionBlock:
    children: list[Widget] = [Static(Text(item.label), classes="question")]
    standard = standard_text(session.template, item)
    if standard:
        children.append(Fold(standard, title="Practice standard (F2)"))
    moderating = not session.editable(slots[0])
    for slot in slots:
        label = _part_label(slot)
        if moderating:
            label = "Auditor's " + label.casefold() if slot.part == ANSWER else label
        children.append(_field_widget(session, slot, label))
    return QuestionBlock(*children, id=f"question-{item.id}")


def section_widgets(session: FormSession, section: Section) -> Iterator[Widget]:
    """Every widget of one section, top to bottom."""
    yield SectionHeading(Text(section.heading))
    template = session.template
    if section is template.sections[0] and introduction(template):
        yield Fold("\n".join(introduction(template)), title="Guidance for completing the audit")
    theme = theme_lines(template, section)
    if theme:
        yield Fold("\n".join(theme[1:]), title=theme[0].title())
    if section.note:
        yield Static(Text(section.note), classes="note")
    if section.guidance:
        yield Fold(section.guidance, title=section.guidance_heading)
    slots = session.slots(section)
    questions: dict[str, list[Slot]] = {}
    for slot in slots:
        if slot.part in (ANSWER, EVIDENCE):
            questions.setdefault(slot.item.id, []).append(slot)
    for item in section.questions:
        if item.id in questions:
            yield _question(session, item, questions[item.id])
    own = [s for s in slots if s.part == FIELD]
    panel_roles = {s.item.role for s in own if session.editable(s)}
    if session.mode == MODERATE and panel_roles & PANEL_OVERALL_ROLES:
        hit = template.by_role().get("overall_grade")
        if hit is not None:  # the auditor's overall grade, beside the panel's own
            yield ReadOnly("Auditor's overall grade",
                           display(hit[1].kind, auditor_overall(template, session.get)))
    if own and section.questions:
        yield SectionHeading(Text("Section rating"))
    for slot in own:
        yield _field_widget(session, slot, slot.item.label)
    yield from _records(session, section, [s for s in slots if s.part == RECORD])


def _records(session: FormSession, section: Section, slots: list[Slot]) -> Iterator[Widget]:
    if section is CHRONOLOGY:
        label, count = "event", event_count(session.get)
        yield Static(Text(f"{count} event(s). Dated events from the case record for the "
                          "review window."), classes="note")
    elif section.group is not None:
        label, count = section.group.label, len({s.record for s in slots})
        yield SectionHeading(Text(f"{section.group.label}: {count} record(s)"))
    else:
        return
    by_record: dict[int, list[Slot]] = {}
    for slot in slots:
        by_record.setdefault(slot.record or 0, []).append(slot)
    for index, group in sorted(by_record.items()):
        heading = group[0].label.split(":")[0]
        children: list[Widget] = [Static(Text(heading), classes="question")]
        children += [_field_widget(session, s, s.item.text) for s in group]
        yield QuestionBlock(*children, id=f"record-{section.id}-{index}")
    if session.mode != MODERATE:
        yield Button(f"Add {label} (Ctrl+N)", id=ADD_RECORD + section.id, compact=True)
