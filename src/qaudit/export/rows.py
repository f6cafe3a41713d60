"""What the workbook shows of one audit, found by template roles so any template works.

``summarise`` gives the Audits row of one audit; ``answer_rows`` the Answers rows. Values are
returned as they are in the file (grades as numbers, dates as dates); the workbook writer
decides how each is stored. Redaction is applied here, so no later step sees a child's name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from qaudit.audit.kinds import NA, display, is_blank
from qaudit.audit.reader import AuditDocument
from qaudit.export.decision import PanelDecision, current_decision, section_title
from qaudit.templates.catalogue import Item, Section, Template

Scrub = Callable[[str], str]


def _keep(text: str) -> str:
    return text


@dataclass(frozen=True)
class SectionColumn:
    """One graded section or area: a column of the Audits sheet, shared by every template
    with a section of the same number and title. ``moderated``: it has a moderator's grade."""

    title: str  # "4 Assessment and Analysis"
    moderated: bool = False


@dataclass
class AuditSummary:
    """One row of the Audits sheet."""

    link: str  # where import-xlsx finds the file: relative to the workbook's folder, or absolute
    sha256: str
    file_name: str
    template_id: str
    template: str
    status: str
    case_number: str
    child: str
    team: str
    practitioner: str
    auditor: str
    audit_date: Any
    case_status: str
    practitioner_grade: Any
    overall_grade: Any
    section_grades: dict[str, Any] = field(default_factory=dict)  # by column title
    open_actions: int | None = None
    kpis_missed: int | None = None
    panel: PanelDecision = field(default_factory=PanelDecision)


def grade_value(value: Any) -> Any:
    """A grade for a cell: a whole number, ``N/A``, None when blank, or the odd value as text."""
    if is_blank(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return NA if value == NA else str(value)


def plain(value: Any, scrub: Scrub = _keep) -> str:
    """A text field's value for a cell; lists joined; names scrubbed when redacting."""
    if is_blank(value):
        return ""
    if isinstance(value, list):
        return scrub("; ".join(str(v) for v in value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return scrub(str(value))


def section_columns(template: Template) -> list[SectionColumn]:
    """The sections or areas of a template that carry their own grade (role section_grade)."""
    columns = []
    for section in template.sections:
        roles = {f.role for f in section.fields}
        if "section_grade" in roles:
            columns.append(SectionColumn(section_title(section),
                                         "section_moderator_grade" in roles))
    return columns


def _section_grades(doc: AuditDocument, template: Template) -> dict[str, Any]:
    grades = {}
    for section in template.sections:
        for item in section.fields:
            if item.role == "section_grade":
                grades[section_title(section)] = grade_value(
                    doc.get(f"{section.table}.{item.id}"))
    return grades


def open_actions(doc: AuditDocument, template: Template) -> int | None:
    """Actions (role ``actions``) not marked done, or None when the template has no register."""
    group = template.group_by_role("actions")
    if group is None:
        return None
    records = doc.get(group.table)
    if not isinstance(records, list):
        return 0
    status_field = group.field("status")
    count = 0
    for record in records:
        if not isinstance(record, dict) or is_blank(record.get("action")):
            continue
        if status_field is None or record.get(status_field.id) != "done":
            count += 1
    return count


def summarise(doc: AuditDocument, template: Template, *, link: str, sha256: str,
              file_name: str, redact: bool = False, scrub: Scrub = _keep) -> AuditSummary:
    """The Audits row of one audit."""
    def role(name: str) -> Any:
        path = template.role_path(name)
        return doc.get(path) if path else None

    case_number = plain(role("case_number"))
    child = plain(role("child_name"))
    if redact:
        from qaudit.export.redact import case_pseudonym, pseudonym

        child = pseudonym(case_number) if child or case_number else ""
        case_number = case_pseudonym(case_number)
    panel = current_decision(doc.get, template, doc.status)
    panel = PanelDecision(grade_value(panel.grade), panel.agree, scrub(panel.comment),
                          scrub(panel.moderator), grade_value(panel.scaling),
                          {k: grade_value(v) for k, v in panel.area_grades.items()})
    audit_date = role("audit_date")
    return AuditSummary(
        link=link,
        sha256=sha256,
        file_name=scrub(file_name),
        template_id=template.id,
        template=f"{template.id} {template.version}",
        status=plain(doc.status),
        case_number=case_number,
        child=child,
        team=plain(role("team"), scrub),
        practitioner=plain(role("practitioner"), scrub),
        auditor=plain(role("auditor"), scrub),
        audit_date=audit_date if isinstance(audit_date, dt.date) else plain(audit_date, scrub),
        case_status=plain(role("case_status"), scrub),
        practitioner_grade=grade_value(role("practitioner_grade")),
        overall_grade=grade_value(role("overall_grade")),
        section_grades=_section_grades(doc, template),
        open_actions=open_actions(doc, template),
        panel=panel,
    )


ANSWER_HEADERS = ["Case number", "Audit date", "Template", "Section", "No.", "Question", "Grade",
                  "Answer", "Evidence"]
ANSWER_WIDTHS = (13.0, 11.5, 16.0, 28.0, 5.0, 40.0, 7.0, 24.0, 60.0)


def _answer(item: Item, value: Any, scrub: Scrub) -> tuple[Any, str]:
    """(grade cell, answer text) of one question."""
    if item.kind.base == "grade":
        return grade_value(value), ""
    if isinstance(value, str | list):
        return None, plain(value, scrub)
    return None, "" if is_blank(value) else display(item.kind, value)


def answer_rows(doc: AuditDocument, template: Template, summary: AuditSummary,
                scrub: Scrub = _keep) -> Iterator[list[Any]]:
    """A row per question answered (a grade, an answer or evidence), in template order."""
    section: Section
    for section, item in template.questions():
        table = doc.get(f"answers.{item.id}")
        if not isinstance(table, dict):
            continue
        value = table.get(item.value_key)
        evidence = table.get("evidence")
        if is_blank(value) and is_blank(evidence):
            continue
        grade, answer = _answer(item, value, scrub)
        yield [summary.case_number, summary.audit_date, summary.template,
               f"{section.number} {section.title}".strip(), item.number, item.text, grade,
               answer, plain(evidence, scrub)]
