"""The moderation panel's decision on one audit as the workbook carries it, to and from the
audit, by template roles. Recording uses ``qaudit.moderation.record`` (the same code as
``qaudit moderate``), so the two commands never disagree about what a decision writes.

Panel columns: moderator grade (the panel's overall grade: the auditor's when it agrees),
agree? (Yes/No), comments, moderator (name), scaling of the audit (core 18 A), and a moderator
grade per area for templates that grade areas (team-manager). The comment lands, by role, in
``overall_moderator_comment`` when the template has one (team-manager); otherwise (core) in the
reason for the changed grade (18 B) when the panel disagrees, and in the themes or learning
(18 D) when it agrees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from qaudit.audit.kinds import NA, is_blank
from qaudit.audit.status import MODERATED
from qaudit.moderation.record import (
    ModerationDecision,
    areas,
    auditor_overall,
    moderator_overall,
    plan_decision,
    role_item,
)
from qaudit.readable import readable
from qaudit.templates.catalogue import Kind, Section, Template

YES, NO = "Yes", "No"
Getter = Callable[[str], Any]


@dataclass(frozen=True)
class PanelDecision:
    """One row's panel columns. ``area_grades`` is keyed by the area's column title."""

    grade: Any = None
    agree: str = ""
    comment: str = ""
    moderator: str = ""
    scaling: Any = None
    area_grades: Mapping[str, Any] = field(default_factory=dict)

    @property
    def blank(self) -> bool:
        return (is_blank(self.grade) and not self.agree and not self.comment.strip()
                and not self.moderator.strip() and is_blank(self.scaling)
                and all(is_blank(v) for v in self.area_grades.values()))


@dataclass(frozen=True)
class Change:
    key: str
    old: Any
    new: Any

    def describe(self) -> str:
        def shown(value: Any) -> str:
            return "(blank)" if is_blank(value) else readable(value)
        return f"{self.key}: {shown(self.old)} -> {shown(self.new)}"


def section_title(section: Section) -> str:
    """A section's column title: ``4 Assessment and Analysis``."""
    return f"{section.number} {section.title}".strip()


def grade_kind(template: Template) -> Kind | None:
    """The kind of the panel's overall grade in this template (None: nowhere to keep one)."""
    for role in ("overall_moderator_grade", "moderation_changed_grade"):
        hit = role_item(template, role)
        if hit is not None:
            return hit[1].kind
    return None


def scaling_kind(template: Template) -> Kind | None:
    hit = role_item(template, "moderation_scaling")
    return hit[1].kind if hit else None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def current_decision(get: Getter, template: Template, status: str) -> PanelDecision:
    """What the audit already records, to pre-fill the panel columns of an export."""
    def role(name: str) -> Any:
        hit = role_item(template, name)
        return get(hit[0]) if hit else None

    area_grades = {section_title(a.section): get(a.moderator_grade_key)
                   for a in areas(template) if not is_blank(get(a.moderator_grade_key))}
    scaling = role("moderation_scaling")
    scaling = None if is_blank(scaling) else scaling
    moderator = _text(role("moderator"))
    auditor = auditor_overall(template, get)
    # Core records disagreement as a changed grade (B): a changed grade says No, even when
    # it happens to equal the auditor's (an older file), so the export shows what is recorded.
    changed_grade = role("moderation_changed_grade")
    changed = not is_blank(changed_grade) and changed_grade != NA
    if role_item(template, "overall_moderator_grade"):
        grade = moderator_overall(template, get)
        comment = _text(role("overall_moderator_comment"))
        changed = grade != auditor
    elif status == MODERATED or not is_blank(changed_grade):
        grade = moderator_overall(template, get)
        comment = _text(role("moderation_change_reason" if changed else "moderation_themes"))
    else:
        grade, comment = None, ""
    if is_blank(grade) or grade == NA:
        return PanelDecision(None, "", comment, moderator, scaling, area_grades)
    return PanelDecision(grade, NO if changed else YES, comment, moderator, scaling,
                         area_grades)


def to_moderation(template: Template, get: Getter, decision: PanelDecision,
                  panel_date: dt.date) -> ModerationDecision | str:
    """The ``ModerationDecision`` a checked row stands for, or why the row says two things."""
    auditor = auditor_overall(template, get)
    agree = decision.agree == YES
    comment = decision.comment.strip()
    grade = decision.grade
    if decision.agree == NO:
        if is_blank(grade):
            return "Agree? is No but there is no moderator grade; give the panel's grade"
        if grade == auditor:
            return (f"Agree? is No but the moderator grade {grade} is the auditor's own grade; "
                    "say Yes, or give the panel's different grade")
        if not comment:
            return "the panel disagrees with the auditor's grade; give the reason in the comments"
    elif agree and not is_blank(grade) and grade != auditor:
        return (f"Agree? is Yes but the moderator grade {grade} differs from the auditor's grade "
                f"{auditor}; say No and give the reason, or correct the grade")
    elif not decision.agree and not is_blank(grade):
        return "there is a moderator grade but Agree? is blank; choose Yes or No"
    overall_comment: str | None = comment or None
    themes: str | None = None
    if agree and comment and role_item(template, "overall_moderator_comment") is None \
            and role_item(template, "moderation_themes") is not None:
        themes, overall_comment = comment, None
    area_ids = {section_title(a.section): a.section.id for a in areas(template)}
    area_grades = {area_ids[title]: value for title, value in decision.area_grades.items()
                   if title in area_ids and not is_blank(value)}
    return ModerationDecision(
        date=panel_date,
        moderator=decision.moderator.strip() or None,
        scaling=None if is_blank(decision.scaling) else decision.scaling,
        overall_grade=None if is_blank(grade) or agree else grade,
        overall_comment=overall_comment,
        themes=themes,
        agree=agree,
        area_grades=area_grades,
    )


def plan_changes(template: Template, get: Getter,
                 decision: ModerationDecision) -> tuple[list[Change], list[str]]:
    """The changes recording ``decision`` makes (empty when the audit already holds it), or
    the problems stopping it. The moderation date alone is not a change: re-importing the
    same workbook writes nothing."""
    writes, problems = plan_decision(template, decision, get)
    if problems:
        return [], problems
    date_key = template.role_path("moderation_date")
    changes = [Change(key, get(key), value) for key, value in writes.items()
               if not _same(get(key), value)]
    if all(c.key == date_key for c in changes):
        return [], []
    return changes, []


def _same(old: Any, new: Any) -> bool:
    if is_blank(old) and is_blank(new):
        return True
    return bool(old == new and type(old) is type(new))
