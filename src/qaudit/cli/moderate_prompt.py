"""``qaudit moderate FILE`` at the terminal: the panel's record asked field by field (the
core's ``edit.moderate`` order), each value checked as it is typed by the core
(``check_moderation_field``: its kind, a date not in the future nor before the audit date),
a refused or missing field asked again on its own with every other answer kept; the caller
then writes it with ``moderate_audit``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from qaudit.audit.kinds import display, is_blank
from qaudit.audit.values import is_single_line
from qaudit.cli.fill_prompt import Asker, say
from qaudit.cli.record_prompt import Field, ask_fields, ask_record
from qaudit.edit.moderate import (
    AREA_COMMENT,
    AREA_GRADE,
    ModerationField,
    check_moderation_field,
    moderation_fields,
    skip_field,
)
from qaudit.edit.session import AuditSession
from qaudit.moderation.record import (
    ModerationDecision,
    auditor_overall,
    missing_for_moderated,
    plan_decision,
)
from qaudit.templates.catalogue import Item, Kind

AGREE = "agree"
_YES_NO = Kind(name="boolean", base="boolean")


@dataclass
class PanelForm:
    """The fields to ask (by key), and the core's moderation field behind each."""

    session: AuditSession
    fields: list[Field] = field(default_factory=list)
    core: dict[str, ModerationField] = field(default_factory=dict)

    def decision(self, values: Mapping[str, Any]) -> ModerationDecision:
        """The decision these answers make (a field not given leaves the file's value)."""
        given: dict[str, Any] = {}
        grades: dict[str, Any] = {}
        comments: dict[str, str] = {}
        for key, value in values.items():
            fld = self.core.get(key)
            if fld is None:
                continue
            if fld.attribute == AREA_GRADE:
                grades[fld.section.id] = value
            elif fld.attribute == AREA_COMMENT:
                comments[fld.section.id] = str(value)
            else:
                given[fld.attribute] = value
        if values.get(AGREE) is True:
            given["changed_grade"] = ""
            given["change_reason"] = ""
        return ModerationDecision(**given, area_grades=grades, area_comments=comments)

    def problems(self, values: Mapping[str, Any]) -> list[str]:
        """What the core refuses in the decision as a whole (the plan that writes it)."""
        return plan_decision(self.session.template, self.decision(values),
                               self.session.get)[1]

    def given(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The answers by decision attribute, for the core's ``skip_field``."""
        found = {self.core[k].attribute: v for k, v in values.items() if k in self.core}
        if values.get(AGREE) is True:
            found["changed_grade"] = ""
        return found


def _allowed(item: Item) -> tuple[str, tuple[str, ...] | None]:
    """The scaling A is a plain 1-4 scale whose meaning is in its text, not grade names."""
    if item.role == "moderation_scaling":
        values = [str(v) for v in item.kind.values]
        return (", ".join(values[:-1]) + f" or {values[-1]}" if len(values) > 1
                else "".join(values)), tuple(values)
    return "", None


def _checker(session: AuditSession,
             fld: ModerationField) -> Callable[[Any, Mapping[str, Any]], str]:
    def check(value: Any, given: Mapping[str, Any]) -> str:
        return check_moderation_field(session, fld, value).message

    return check


def panel_form(session: AuditSession) -> PanelForm:
    form = PanelForm(session)
    template = session.template
    auditor = auditor_overall(template, session.get)
    last_section = ""
    for fld in moderation_fields(template):
        item, section = fld.item, fld.section
        notes: tuple[str, ...] = ()
        if section.id != last_section:
            last_section = section.id
            notes = (f"\n{section.heading}",)
            kind = next((f.kind for f in section.fields
                         if f"{section.table}.{f.id}" == fld.auditor_key), None)
            if kind is not None:
                given = display(kind, session.get(fld.auditor_key))
                notes += (f"Auditor's rating: {given or '(none)'}",)
        current = session.get(fld.key)
        when: Callable[[Mapping[str, Any]], bool] | None = None
        if fld.attribute == "changed_grade":
            overall = template.by_role().get("overall_grade")
            shown = display(overall[1].kind, auditor) if overall else str(auditor or "")
            agree = Item(id=AGREE, kind=_YES_NO, text="Does the panel agree with the "
                         f"auditor's overall grade ({shown or 'none'})? yes / no")
            form.fields.append(Field(AGREE, agree, required=True, default=is_blank(current),
                                     notes=notes, allowed="yes or no"))
            notes = ()

            def when(values: Mapping[str, Any]) -> bool:
                return values.get(AGREE) is False
        elif fld.attribute == "change_reason":
            def when(values: Mapping[str, Any], fld: ModerationField = fld) -> bool:
                return values.get(AGREE) is False and not skip_field(fld, form.given(values))
        allowed, choices = _allowed(item)
        default = session.today if item.kind.base == "date" and is_blank(current) else current
        form.fields.append(Field(
            fld.key, item, default=default, single_line=is_single_line(item), notes=notes,
            required=fld.attribute == "changed_grade",  # the panel said it does not agree
            when=when, allowed=allowed, choices=choices, help=(f"Key: {fld.key}",),
            check=_checker(session, fld)))
        form.core[fld.key] = fld
    return form


def ask_panel(asker: Asker, session: AuditSession, partial: bool) -> ModerationDecision:
    """Ask the panel's record; then, unless ``partial``, ask again only for what the record
    still misses before the audit can be moderated."""
    form = panel_form(session)
    values = ask_record(asker, form.fields, form.problems)
    while not partial:
        writes, problems = plan_decision(session.template, form.decision(values),
                                           session.get)
        if problems:
            break  # the caller reports them; nothing is written
        missing = missing_for_moderated(session.template, _overlay(writes, session))
        wanted = [key for key, _ in missing if key in form.core]
        if not wanted:
            break
        say(asker.console, "Still needed before the audit can be moderated: "
                           + "; ".join(what for _, what in missing) + " (q stops; nothing is "
                           "written)", "yellow")
        required = [replace(f, required=True, when=None, notes=())
                    for f in form.fields if f.id in wanted]
        for item in required:
            values.pop(item.id, None)
        values = ask_fields(asker, required, values, form.problems)
    return form.decision(values)


def _overlay(writes: Mapping[str, Any], session: AuditSession) -> Callable[[str], Any]:
    """The file's values as they would be after ``writes``."""
    return lambda key: writes[key] if key in writes else session.get(key)
