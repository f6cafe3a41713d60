"""What the form shows besides its questions, as plain lines for any front-end (the line walk,
the full-screen form, ``new``'s comments, render): the introduction's guidance, a theme's
expected outcomes, a section's labelled guidance ("What does GOOD look like?"), an item's
practice standard and prompts (one per line), and the grade descriptors at a grade.

Pure: template data in, lines of text out (never wrapped: the caller wraps to its width; a
line starting "- " is a bullet). Use ``audit_template`` (``qaudit.templates.cycle``) first so
an audit's cycle questions and key lines of enquiry are included.

- ``introduction(template)``: once, at the top of the audit.
- ``section_intro(template, section)``: above a section's questions (theme outcomes, note,
  labelled guidance).
- ``item_help(template, item, full=False)``: at a question or field (guidance, prompts,
  descriptors; ``full`` gives each descriptor's full text).
- ``descriptor_lines(template, kind, full=False)``: the descriptors of a grade kind alone.
"""

from __future__ import annotations

from qaudit.templates.catalogue import Item, Kind, Section, Template

PROMPT_MARK = "? "
ITEM_GUIDANCE = "Practice standard / guidance"


def introduction(template: Template) -> list[str]:
    """The introduction's numbered guidance under its title and headings ("Completing the
    audit:"); empty when the template has none."""
    if not template.guidance:
        return []
    lines = [template.introduction_title or "Guidance"]
    for note in template.guidance:
        if note.heading:
            lines.append(note.heading)
        first, *rest = note.text.splitlines() or [""]
        lines.append(f"{note.number}. {first}")
        lines.extend(rest)
    return lines


def theme_lines(template: Template, section: Section) -> list[str]:
    """The theme's title and EXPECTED OUTCOMES, when ``section`` is the theme's first area."""
    theme = template.theme_opened_by(section)
    if theme is None:
        return []
    lines = [theme.title.upper()]
    if theme.outcomes:
        lines.append("EXPECTED OUTCOMES:")
        lines.extend(f"- {outcome}" for outcome in theme.outcomes)
    return lines


def section_intro(template: Template, section: Section) -> list[str]:
    """What goes above a section's questions: its theme's expected outcomes (first area of a
    theme), its note, and its guidance under the template's label for it."""
    lines = theme_lines(template, section)
    if section.note:
        lines.extend(section.note.splitlines())
    if section.guidance:
        lines.append(f"{section.guidance_heading}:")
        lines.extend(section.guidance.splitlines())
    return lines


def descriptor_lines(template: Template, kind: Kind, *, full: bool = False) -> list[str]:
    """``4 Outstanding: Meets good consistently...`` per grade; ``full`` gives the whole
    descriptor (its bullets on lines of their own)."""
    lines: list[str] = []
    for d in template.descriptors_for(kind):
        name = d.name or kind.grade_name(d.grade)
        if not full:
            lines.append(f"{d.grade} {name}: {d.short}")
            continue
        first, *rest = d.text.splitlines()
        if first.startswith("- "):
            lines.append(f"{d.grade} {name}:")
            lines.append(first)
        else:
            lines.append(f"{d.grade} {name}: {first}")
        lines.extend(rest)
    return lines


def item_help(template: Template, item: Item, *, full: bool = False) -> list[str]:
    """What goes at a question or field: its guidance, its prompts one per line (each starting
    "? "), and for a grade the descriptors (short, or in full with ``full``)."""
    lines: list[str] = []
    if item.guidance:
        lines.append(f"{ITEM_GUIDANCE}:")
        lines.extend(item.guidance.splitlines())
    lines.extend(f"{PROMPT_MARK}{' '.join(p.split())}" for p in item.prompts)
    descriptors = descriptor_lines(template, item.kind, full=full)
    if descriptors:
        lines.append("Grade descriptors:" if not full else "Grade descriptors in full:")
        lines.extend(descriptors)
    return lines
