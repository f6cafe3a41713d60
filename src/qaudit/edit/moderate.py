"""Moderate an audit: the panel's decision, checked field by field as it is typed and as a
whole, then written with the digest of what the panel saw. ``qaudit moderate`` (prompts and
options), the form and ``import-xlsx`` all record a decision here.

API::

    moderation_fields(template) -> list[ModerationField]    what to ask, in order
    skip_field(field, given) -> bool        the change reason is not asked when nothing changed
    check_moderation_field(session, field, raw, *, mode=Mode.LENIENT) -> FieldCheck
        one answer as typed: its kind, a date not in the future nor before the audit date
    decision_from_text(session, texts, *, area_grades={}, area_comments={}, agree=False,
                       mode=Mode.LENIENT) -> (ModerationDecision, list[Finding])
        ``texts``: ModerationDecision attribute -> typed text (``--date``, ``--grade``...)
    moderate_audit(session, decision, *, partial=False, save=True) -> ModerationResult
        status check, the decision planned and checked with the validate rules, then
        written; the audit becomes moderated when the record is complete (and the digest
        ``[panel_digest]`` is recorded), otherwise ``missing`` lists what is wanted and
        nothing is written (``partial``: written, status unchanged).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from qaudit.audit.reader import lookup
from qaudit.audit.status import MODERATED, STATUS_KEY
from qaudit.audit.values import Mode, parse_item
from qaudit.edit.check import Plan, check_plan, planned_data
from qaudit.edit.session import AuditSession
from qaudit.edit.values import FieldCheck, check_value
from qaudit.findings import Finding, Level
from qaudit.moderation.record import (
    ROLE_OF,
    ModerationDecision,
    apply_moderation,
    find_area,
    mark_moderated,
    missing_for_moderated,
    plan_decision,
    role_item,
    status_problem,
)
from qaudit.templates.catalogue import Item, Section, Template

AREA_GRADE, AREA_COMMENT = "area_grade", "area_comment"
_ATTRIBUTE = {role: name for name, role in ROLE_OF.items()}


@dataclass(frozen=True)
class ModerationField:
    """One field the panel fills, in the order it is asked."""

    section: Section
    item: Item
    key: str
    attribute: str          # a ModerationDecision attribute, or area_grade / area_comment
    auditor_key: str = ""   # the auditor's grade in the same section, to show beside it


@dataclass
class ModerationResult:
    before: str
    after: str
    refusals: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the decision does not fit the template
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.refusals and not self.problems and self.written


def moderation_fields(template: Template) -> list[ModerationField]:
    found: list[ModerationField] = []
    for section in template.sections:
        grade = next((f for f in section.fields
                      if f.role in ("section_grade", "overall_grade")), None)
        auditor = f"{section.table}.{grade.id}" if grade else ""
        for item in section.fields:
            if not item.moderator_only:
                continue
            if item.role == "section_moderator_grade":
                attribute = AREA_GRADE
            elif item.role == "section_moderator_comment":
                attribute = AREA_COMMENT
            elif item.role in _ATTRIBUTE:
                attribute = _ATTRIBUTE[item.role]
            else:
                continue
            found.append(ModerationField(section, item, f"{section.table}.{item.id}",
                                         attribute, auditor))
    return found


def skip_field(fld: ModerationField, given: Mapping[str, Any]) -> bool:
    """The reason for a changed grade is asked only when the grade was changed."""
    return fld.attribute == "change_reason" and not given.get("changed_grade")


def _refusal(session: AuditSession, key: str, message: str) -> Finding:
    return Finding(session.display, 1, 1, Level.ERROR, "moderation", message, key)


def check_moderation_field(session: AuditSession, fld: ModerationField, raw: object, *,
                           mode: Mode = Mode.LENIENT) -> FieldCheck:
    """One answer as typed, checked as ``--set`` and the form check it (``check_value``):
    its kind, the panel's changed grade not the auditor's own, and the validate rules (a
    date not in the future nor before the audit date); another answer of the record still
    to be given (the reason for a changed grade) is asked next, not held against this one."""
    return check_value(session, fld.key, raw, mode=mode, later=True)


def _item_for(template: Template, attribute: str) -> Item | None:
    role = ROLE_OF.get(attribute, "")
    if attribute == "overall_grade" and role_item(template, role) is None:
        role = "overall_grade"  # core: the moderator's grade is given on the auditor's scale
    hit = role_item(template, role)
    return hit[1] if hit else None


def decision_from_text(session: AuditSession, texts: Mapping[str, object], *,
                       area_grades: Mapping[str, object] | None = None,
                       area_comments: Mapping[str, str] | None = None, agree: bool = False,
                       mode: Mode = Mode.LENIENT) -> tuple[ModerationDecision, list[Finding]]:
    """A decision from typed text (options, workbook cells): each value parsed for its field."""
    template = session.template
    values: dict[str, Any] = {}
    refusals: list[Finding] = []
    for attribute, raw in texts.items():
        if raw is None:
            continue
        item = _item_for(template, attribute)
        if item is None or item.kind.base == "text":
            values[attribute] = raw
            continue
        parsed = parse_item(item, raw, mode)
        if parsed.ok:
            values[attribute] = "" if parsed.value is None else parsed.value
        else:
            refusals.append(_refusal(session, attribute, f"{item.text}: {parsed.error}"))
    grades: dict[str, Any] = {}
    for name, raw in (area_grades or {}).items():
        area = find_area(template, name)
        if area is None:
            grades[name] = raw  # plan_decision names the areas there are
            continue
        parsed = parse_item(area.moderator_grade, raw, mode)
        if parsed.ok:
            grades[name] = "" if parsed.value is None else parsed.value
        else:
            refusals.append(_refusal(session, area.moderator_grade_key,
                                     f"{area.section.heading}: {parsed.error}"))
    decision = ModerationDecision(**values, agree=agree, area_grades=grades,
                                  area_comments=dict(area_comments or {}))
    return decision, refusals


def moderate_audit(session: AuditSession, decision: ModerationDecision, *, partial: bool = False,
             save: bool = True) -> ModerationResult:
    before = session.status
    result = ModerationResult(before, before)
    wrong_status = status_problem(before)
    if wrong_status:
        result.problems.append(wrong_status)
        return result
    writes, problems = plan_decision(session.template, decision, session.get)
    if problems:
        result.problems = problems
        return result
    data = planned_data(session.baseline().data, Plan(writes))
    result.missing = missing_for_moderated(session.template, lambda k: lookup(data, k))
    if result.missing and not partial:
        return result
    planned = dict(writes)
    if not result.missing:
        planned[STATUS_KEY] = MODERATED
    verdict = check_plan(session, Plan(planned))
    result.refusals, result.warnings = verdict.refusals, verdict.warnings
    if not verdict.ok:
        return result
    apply_moderation(session, session.template, decision)
    if not result.missing:
        mark_moderated(session, session.template, session.today)
        result.after = MODERATED
    if save:
        session.save()
    result.written = True
    return result
