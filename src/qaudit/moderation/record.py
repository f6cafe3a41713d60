"""The moderation panel's record of one audit: what to write, and what is still missing.

Pure: everything is found by template *role* (``moderation_date``, ``moderator``,
``moderation_scaling``, ``moderation_changed_grade``, ``moderation_change_reason``,
``moderation_actions``, ``moderation_themes``, ``overall_grade``, ``overall_moderator_grade``,
``overall_moderator_comment``, and per area ``section_grade`` / ``section_moderator_grade`` /
``section_moderator_comment``), so a council's own template works. Values are read through a
``get(key)`` callable, so the same code serves the fast reader and the round-trip editor.

``apply_moderation(editor, template, decision)`` sets a decision's values (in memory; the
caller saves). Front-ends do not call it: ``qaudit moderate``, the form and ``import-xlsx``
record a decision with the use case ``qaudit.edit.moderate.moderate_audit``, which checks it
with the validate rules, applies it here and saves once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import msgspec

from qaudit.audit.kinds import NA, is_blank, problem
from qaudit.audit.status import CAN_MODERATE, MODERATED, STATUS_KEY
from qaudit.readable import readable
from qaudit.templates.catalogue import Item, Section, Template

Getter = Callable[[str], Any]

SAME_GRADE = ("the panel's grade equals the auditor's; answer yes to agree, or give a "
              "different grade")


def same_as_auditor(template: Template, get: Getter, changed_grade: Any) -> bool:
    """A "changed" grade (core B) that is the auditor's own grade: the panel says it does not
    agree yet gives the same grade, which would read back as agreement."""
    if is_blank(changed_grade) or changed_grade == NA:
        return False
    return bool(changed_grade == auditor_overall(template, get))


# ModerationDecision attribute -> the role of the field it fills.
ROLE_OF: dict[str, str] = {
    "date": "moderation_date",
    "moderator": "moderator",
    "scaling": "moderation_scaling",
    "changed_grade": "moderation_changed_grade",
    "change_reason": "moderation_change_reason",
    "actions": "moderation_actions",
    "themes": "moderation_themes",
    "overall_grade": "overall_moderator_grade",
    "overall_comment": "overall_moderator_comment",
}


class Editor(Protocol):
    """What ``apply_moderation`` needs of ``writer.AuditEditor``."""

    def get(self, key: str) -> Any: ...

    def set(self, key: str, value: Any) -> None: ...


class ModerationDecision(msgspec.Struct, frozen=True):
    """What a panel decided about one audit. ``None`` leaves a value as it is in the file.

    ``overall_grade`` / ``overall_comment`` are the moderator's overall grade and comment. On a
    template with an ``overall_moderator_grade`` field (team-manager) they fill it; on one with
    only a "change the auditor's grade" field (core section 18 B) a grade equal to the auditor's
    records agreement (B left blank) and a different one becomes the changed grade, with
    ``overall_comment`` as its reason. ``agree=True`` says the panel agrees with the auditor's
    overall grade. ``area_grades`` / ``area_comments`` are keyed by area (section id, number or
    title).
    """

    date: dt.date | None = None
    moderator: str | None = None
    scaling: Any = None
    changed_grade: Any = None
    change_reason: str | None = None
    actions: str | None = None
    themes: str | None = None
    overall_grade: Any = None
    overall_comment: str | None = None
    agree: bool = False
    area_grades: Mapping[str, Any] = msgspec.field(default_factory=dict)
    area_comments: Mapping[str, str] = msgspec.field(default_factory=dict)

    def is_empty(self) -> bool:
        return (all(getattr(self, name) is None for name in ROLE_OF) and not self.agree
                and not self.area_grades and not self.area_comments)


class Area(msgspec.Struct, frozen=True):
    """A section the moderator grades: the auditor's grade beside the moderator's."""

    section: Section
    moderator_grade: Item
    moderator_grade_key: str
    grade_key: str | None
    comment_key: str | None

    @property
    def name(self) -> str:
        return self.section.id

    @property
    def title(self) -> str:
        return self.section.title


def _field_with_role(section: Section, role: str) -> Item | None:
    return next((f for f in section.fields if f.role == role), None)


def areas(template: Template) -> list[Area]:
    """Every section with a ``section_moderator_grade`` field, in template order."""
    found = []
    for section in template.sections:
        moderator = _field_with_role(section, "section_moderator_grade")
        if moderator is None:
            continue
        grade = _field_with_role(section, "section_grade")
        comment = _field_with_role(section, "section_moderator_comment")
        found.append(Area(
            section=section,
            moderator_grade=moderator,
            moderator_grade_key=f"{section.table}.{moderator.id}",
            grade_key=f"{section.table}.{grade.id}" if grade else None,
            comment_key=f"{section.table}.{comment.id}" if comment else None,
        ))
    return found


def find_area(template: Template, name: str) -> Area | None:
    """An area by section id, printed number or title (case and spacing ignored)."""
    wanted = " ".join(name.split()).casefold()
    for area in areas(template):
        section = area.section
        if wanted in (section.id.casefold(), section.number.casefold(),
                      " ".join(section.title.split()).casefold()):
            return area
    return None


def role_item(template: Template, role: str) -> tuple[str, Item] | None:
    return template.by_role().get(role)


def auditor_overall(template: Template, get: Getter) -> Any:
    path = template.role_path("overall_grade")
    return get(path) if path else None


def moderator_overall(template: Template, get: Getter) -> Any:
    """The moderator's overall grade: the template's own field, or the panel's changed grade,
    or (when the panel did not change it) the auditor's grade. None before moderation."""
    own = template.role_path("overall_moderator_grade")
    if own:
        value = get(own)
        return None if is_blank(value) else value
    changed = template.role_path("moderation_changed_grade")
    if changed:
        value = get(changed)
        if not is_blank(value):
            return value
    return auditor_overall(template, get)


def _plan(template: Template, decision: ModerationDecision,
          get: Getter) -> tuple[dict[str, Any], list[str]]:
    """The keys to set and the problems that stop the decision being recorded."""
    writes: dict[str, tuple[Item, Any]] = {}
    problems: list[str] = []
    has_own_overall = role_item(template, "overall_moderator_grade") is not None
    values: dict[str, Any] = {name: getattr(decision, name) for name in ROLE_OF}
    auditor = auditor_overall(template, get)

    if decision.agree:
        if is_blank(auditor):
            problems.append("the auditor has not given an overall grade, so there is nothing "
                            "to agree with")
        elif values["overall_grade"] not in (None, auditor) or values["changed_grade"]:
            problems.append("the panel cannot both agree with the auditor's grade and change it")
        else:
            values["overall_grade"] = auditor
    elif same_as_auditor(template, get, values["changed_grade"]):
        problems.append(SAME_GRADE)
    if not has_own_overall and values["overall_grade"] is not None:
        # Core: the moderator's overall grade is expressed as "B: change the auditor's grade".
        if values["changed_grade"] is not None:
            problems.append("give either the moderator's overall grade or the changed grade, "
                            "not both")
        elif values["overall_grade"] == auditor:
            values["changed_grade"] = ""
            if values["change_reason"] is None:
                values["change_reason"] = ""
        else:
            values["changed_grade"] = values["overall_grade"]
            if values["change_reason"] is None:
                values["change_reason"] = values["overall_comment"]
        values["overall_grade"] = None
        if values["overall_comment"] is not None and values["change_reason"] != values[
                "overall_comment"]:
            problems.append(f"template {template.id} has no field for the moderator's overall "
                            "comment; give the reason for a changed grade instead")
        values["overall_comment"] = None

    for name, role in ROLE_OF.items():
        value = values[name]
        if value is None:
            continue
        hit = role_item(template, role)
        if hit is None:
            problems.append(f"template {template.id} has no {role.replace('_', ' ')} field")
            continue
        key, item = hit
        writes[key] = (item, value)

    for kind_of, given in (("grade", decision.area_grades), ("comment", decision.area_comments)):
        for name, value in given.items():
            area = find_area(template, name)
            if area is None:
                known = ", ".join(a.name for a in areas(template)) or "none"
                problems.append(f"no area {readable(name)} with a moderator grade in template "
                                f"{template.id}; areas: {known}")
                continue
            if kind_of == "grade":
                writes[area.moderator_grade_key] = (area.moderator_grade, value)
            elif area.comment_key is None:
                problems.append(f"area {area.name} has no moderator comment field")
            else:
                comment = _field_with_role(area.section, "section_moderator_comment")
                assert comment is not None
                writes[area.comment_key] = (comment, value)

    for key, (item, value) in writes.items():
        wrong = problem(item.kind, value)
        if wrong:
            problems.append(f"{item.text} ({key}): {wrong}")
    return {key: value for key, (_, value) in writes.items()}, problems


def plan_decision(template: Template, decision: ModerationDecision,
                  get: Getter) -> tuple[dict[str, Any], list[str]]:
    """Pure: the ``{key: value}`` a decision writes and why it does not fit the template.
    Its dates (not in the future, not before the audit date) are checked by the validate
    rules on the planned audit (``edit.moderate.moderate_audit``, ``check_moderation_field``)."""
    return _plan(template, decision, get)


def apply_moderation(editor: Editor, template: Template,
                     decision: ModerationDecision) -> list[str]:
    """Record a panel decision in an open ``AuditEditor`` (not saved).

    Returns the problems with the decision; when there are any, nothing was set. The audit's
    status is not touched: see ``missing_for_moderated`` and ``mark_moderated``.
    """
    writes, problems = _plan(template, decision, editor.get)
    if problems:
        return problems
    for key, value in writes.items():
        editor.set(key, value)
    return []


def missing_for_moderated(template: Template, get: Getter, *,
                          unless_required: bool = False) -> list[tuple[str, str]]:
    """What a moderated audit still lacks, as (key, what is missing); empty when complete."""
    missing: list[tuple[str, str]] = []
    scaling = role_item(template, "moderation_scaling")
    for role, label in (("moderation_date", "the moderation date"),
                        ("moderation_scaling", "the panel's scaling of the audit (A)"),
                        ("moderator", "the moderator's name"),
                        ("overall_moderator_grade", "the moderator's overall grade")):
        hit = role_item(template, role)
        # Core records the panel, not a named moderator: its name is optional there.
        if hit is None or (role == "moderator" and scaling is not None):
            continue
        if is_blank(get(hit[0])):
            missing.append((hit[0], label))
    for area in areas(template):
        if is_blank(get(area.moderator_grade_key)):
            missing.append((area.moderator_grade_key,
                            f"the moderator's grade for {area.section.heading}"))
    missing.extend(changed_without_reason(template, get, unless_required=unless_required))
    return missing


def changed_without_reason(template: Template, get: Getter, *,
                           unless_required: bool = False) -> list[tuple[str, str]]:
    """A changed grade without its reason. ``unless_required``: say nothing when the template
    already ties the two with ``requires`` (``validate`` reports that as rationale-missing)."""
    changed = role_item(template, "moderation_changed_grade")
    reason = role_item(template, "moderation_change_reason")
    if changed is None or reason is None:
        return []
    if unless_required and changed[1].requires == reason[0].rsplit(".", 1)[-1]:
        return []
    value = get(changed[0])
    if not is_blank(value) and value != NA and is_blank(get(reason[0])):
        return [(reason[0], f"the reason the panel changed the auditor's grade to {value}")]
    return []


def status_problem(status: str) -> str | None:
    """Why an audit with this status cannot be moderated, or None."""
    if status in CAN_MODERATE:
        return None
    return (f"the audit's status is {readable(status or 'missing')}; only a complete audit can be "
            "moderated (finish it and set status = \"complete\" first)")


def mark_moderated(editor: Editor, template: Template | None = None,
                   on: dt.date | None = None) -> None:
    """Set the status to moderated and, given the template, record the digest of what the
    panel saw (``qaudit.moderation.digest``), dated the moderation date (or ``on``)."""
    editor.set(STATUS_KEY, MODERATED)
    if template is not None:
        from qaudit.moderation.digest import record_digest

        key = template.role_path("moderation_date")
        day = editor.get(key) if key else None
        if not isinstance(day, dt.date):
            day = on or dt.date.today()
        record_digest(editor, template, day)
