"""The form's lists and lines: the sections with their progress, the findings (and values
not saved) of a section, the case details across the top, and what is said on leaving."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import ListItem, ListView, Static

from qaudit.audit.status import status_of
from qaudit.fill.answers import Slot
from qaudit.fill.drafts import draft_path
from qaudit.fill.guidance import descriptor_lines
from qaudit.findings import Finding, Level
from qaudit.form.outline import SectionState, section_of
from qaudit.form.session import FormSession
from qaudit.templates.catalogue import Section, Template


class FindingItem(ListItem):
    def __init__(self, finding: Finding, text: str, style: str = "") -> None:
        super().__init__(Static(Text(text, style=style)))
        self.finding = finding


class Jumpable(ListView):
    """A list with Home / End as well as the arrows."""

    BINDINGS = [Binding("home", "first", "First", show=False),
                Binding("end", "last", "Last", show=False)]

    def action_first(self) -> None:
        self.index = 0

    def action_last(self) -> None:
        self.index = len(self.children) - 1


class SectionItem(ListItem):
    def __init__(self, section: Section) -> None:
        super().__init__(Static(id=f"progress-{section.id}"))
        self.section = section


def section_line(section: Section, state: SectionState, width: int, *,
                 current: bool) -> Text:
    """``4 Assessment and Ana… 3/14 !2``: number, title, answered/required, findings."""
    done = f"{state.answered}/{state.required}"
    flag = f" !{state.findings}" if state.findings else ""
    title = f"{section.number} {section.title}".strip()
    room = max(4, width - len(done) - len(flag) - 1)
    if len(title) > room:
        title = title[: room - 1] + "…"
    line = Text(title.ljust(room) + " ", style="bold" if current else "", no_wrap=True,
                overflow="ellipsis")
    line.append(done, style="green" if state.answered >= state.required else "")
    line.append(flag, style="bold yellow")
    return line


def finding_rows(session: FormSession, section: Section, findings: list[Finding],
                 refusal: str, typing: str) -> tuple[object, list[ListItem]]:
    """The findings panel's rows (and what they show, to skip redrawing the same): the value
    being typed if refused, values typed but not saved, then the section's findings."""
    kept = [(key, why) for key, why in session.refused.items()
            if key != typing and section_of(session.template, key) is section]
    shown = (refusal, tuple(kept), tuple((f.key, f.rule, f.message, f.line) for f in findings))
    rows: list[ListItem] = []
    if refusal:
        rows.append(ListItem(Static(Text(f"NOT SAVED: {refusal}", style="bold red"))))
    for key, why in kept:
        note = Finding(str(session.path), 0, 0, Level.ERROR, "not-saved", why, key)
        rows.append(FindingItem(note, f"NOT SAVED {key}: {why}", style="bold red"))
    for finding in findings:
        mark = "error" if finding.level is Level.ERROR else "warning"
        rows.append(FindingItem(finding, f"{mark} {finding.key or 'line'} "
                                         f"(line {finding.line}): {finding.message}"))
    return shown, rows


def case_line(session: FormSession) -> Text:
    """The case details across the top: template, case, child, status, who, when."""
    template = session.template
    get = session.get
    parts = [template.title]
    for role, label in (("case_number", ""), ("child_name", ""), ("case_status", ""),
                        ("practitioner", "worker "), ("auditor", "auditor "),
                        ("audit_date", "audited ")):
        key = template.role_path(role)
        value = get(key) if key else None
        if value not in (None, ""):
            parts.append(f"{label}{value}")
    parts.append(f"status {status_of(get) or '?'}")
    line = Text(" · ".join(parts), style="bold")
    line.append(f"  ({session.path.name})", style="")
    return line


def leaving_message(session: FormSession) -> str:
    """What was saved (and anything typed that was not), to print after the form closes."""
    saved = list(dict.fromkeys(session.saved))
    listed = ": " + ", ".join(saved[:12]) + (" ..." if len(saved) > 12 else "") if saved else ""
    lines = [f"{len(saved)} value(s) saved in {session.path}{listed}"]
    for key, text in session.unsaved.items():
        lines.append(f"NOT SAVED {key}: {text}")
    if session.drafted:
        lines.append(f"Kept as a draft in {draft_path(session.path).name}: "
                     f"{', '.join(session.drafted)}; `qaudit fill --plain {session.path}` "
                     "offers it back.")
    return "\n".join(lines)


def field_help(template: Template, slot: Slot | None) -> str:
    """F1 on a field: its key, what it takes, the template's rule, the grade descriptors."""
    if slot is None:
        return ""
    lines = [f"This field is {slot.key}; {slot.kind.describe()}."]
    if slot.kind.rule:
        lines.append(f"Template rule: {slot.kind.rule}")
    descriptors = descriptor_lines(template, slot.kind, full=True)
    if descriptors:
        lines += ["", "Grade descriptors:", *descriptors]
    return "\n".join(lines)
