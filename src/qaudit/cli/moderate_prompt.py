"""``qaudit moderate FILE`` at the terminal: the panel's record asked field by field, each value
checked as it is typed by the core's own plan of the decision (a date before the audit date is
refused on the spot), a refused or missing field asked again on its own with every other answer
kept, and then one atomic write.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from qaudit.audit.kinds import display, is_blank
from qaudit.audit.values import is_single_line
from qaudit.audit.writer import AuditEditor
from qaudit.cli.common import today
from qaudit.cli.fill_prompt import Asker, say
from qaudit.cli.record_prompt import Field, ask_fields, ask_record
from qaudit.moderation.record import (
    ROLE_OF,
    ModerationDecision,
    auditor_overall,
    missing_for_moderated,
    plan_moderation,
)
from qaudit.templates.catalogue import Item, Kind, Template

AGREE = "agree"
_ATTRIBUTE = {role: name for name, role in ROLE_OF.items()}
_YES_NO = Kind(name="boolean", base="boolean")


@dataclass
class PanelForm:
    """The fields to ask, and for each the section it belongs to (area grades by section)."""

    template: Template
    editor: AuditEditor
    fields: list[Field] = field(default_factory=list)
    section_of: dict[str, str] = field(default_factory=dict)

    def decision(self, values: Mapping[str, Any]) -> ModerationDecision:
        """The decision these answers make (a field not given leaves the file's value)."""
        given: dict[str, Any] = {}
        grades: dict[str, Any] = {}
        comments: dict[str, str] = {}
        for item in self.fields:
            if item.id not in values or item.id == AGREE:
                continue
            value = values[item.id]
            role = item.item.role
            if role == "section_moderator_grade":
                grades[self.section_of[item.id]] = value
            elif role == "section_moderator_comment":
                comments[self.section_of[item.id]] = str(value)
            elif role in _ATTRIBUTE:
                given[_ATTRIBUTE[role]] = value
        if values.get(AGREE) is True:
            given["changed_grade"] = ""
            given["change_reason"] = ""
        return ModerationDecision(**given, area_grades=grades, area_comments=comments)

    def problems(self, values: Mapping[str, Any]) -> list[str]:
        """What the core refuses in the decision so far (the same plan that writes it)."""
        return plan_moderation(self.template, self.decision(values), self.editor.get)[1]


def _allowed(item: Item) -> tuple[str, tuple[str, ...] | None]:
    """The scaling A is a plain 1-4 scale whose meaning is in its text, not grade names."""
    if item.role == "moderation_scaling":
        values = [str(v) for v in item.kind.values]
        return (", ".join(values[:-1]) + f" or {values[-1]}" if len(values) > 1
                else "".join(values)), tuple(values)
    return "", None


def panel_form(template: Template, editor: AuditEditor) -> PanelForm:
    form = PanelForm(template, editor)
    auditor = auditor_overall(template, editor.get)
    by_role = template.by_role()
    for section in template.sections:
        items = [f for f in section.fields if f.moderator_only and (
            f.role in _ATTRIBUTE or f.role.startswith("section_moderator_"))]
        notes: tuple[str, ...] = (f"\n{section.heading}",)
        grade = next((f for f in section.fields if f.role in ("section_grade", "overall_grade")),
                     None)
        if grade is not None:
            given = display(grade.kind, editor.get(f"{section.table}.{grade.id}"))
            notes += (f"Auditor's rating: {given or '(none)'}",)
        for item in items:
            key = f"{section.table}.{item.id}"
            current = editor.get(key)
            allowed, choices = _allowed(item)
            if item.role == "moderation_changed_grade":
                overall = by_role.get("overall_grade")
                shown = display(overall[1].kind, auditor) if overall else str(auditor or "")
                agree = Item(id=AGREE, kind=_YES_NO, text="Does the panel agree with the "
                             f"auditor's overall grade ({shown or 'none'})? yes / no")
                form.fields.append(Field(AGREE, agree, required=True,
                                         default=is_blank(current), notes=notes,
                                         allowed="yes or no"))
                notes = ()
            when = None
            if item.role == "moderation_changed_grade" or item.role == "moderation_change_reason":
                def when(values: Mapping[str, Any]) -> bool:
                    return values.get(AGREE) is False
            default = today() if item.kind.base == "date" and is_blank(current) else None
            form.fields.append(Field(
                key, item, default=default if default is not None else current,
                single_line=is_single_line(item), notes=notes, when=when, allowed=allowed,
                choices=choices, help=(f"Key: {key}",)))
            form.section_of[key] = section.id
            notes = ()
    return form


def ask_panel(asker: Asker, template: Template, editor: AuditEditor,
              partial: bool) -> ModerationDecision:
    """Ask the panel's record; then, unless ``partial``, ask again only for what the record
    still misses before the audit can be moderated."""
    form = panel_form(template, editor)
    values = ask_record(asker, form.fields, form.problems)
    while not partial:
        writes, problems = plan_moderation(template, form.decision(values), editor.get)
        if problems:
            break  # the caller reports them; nothing is written
        missing = missing_for_moderated(template, _overlay(writes, editor))
        wanted = [key for key, _ in missing if any(f.id == key for f in form.fields)]
        if not wanted:
            break
        say(asker.console, "Still needed before the audit can be moderated: "
                           + "; ".join(what for _, what in missing) + " (q stops; nothing is "
                           "written)", "yellow")
        required = [Field(f.id, f.item, f.label, True, f.default, f.single_line, f.help,
                          None, (), f.allowed, f.choices)
                    for f in form.fields if f.id in wanted]
        for item in required:
            values.pop(item.id, None)
        values = ask_fields(asker, required, values, form.problems)
    return form.decision(values)



def _overlay(writes: Mapping[str, Any], editor: AuditEditor) -> Callable[[str], Any]:
    """The file's values as they would be after ``writes``."""
    return lambda key: writes[key] if key in writes else editor.get(key)
