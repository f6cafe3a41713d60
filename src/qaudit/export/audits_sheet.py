"""An Audits sheet: a row per audit of one template, laid out for the panel's decision.

Columns, left to right: who and what (case number, child, team, auditor, audit date, audit
status), the auditor's overall grade and the panel's columns (yellow: moderator grade,
agree?, comments, moderator, scaling), then each graded section (with the panel's grade for
that area beside it where the template grades areas), then context (practitioner and their
grade, case status, KPI timescales missed, open actions) and the two hidden columns import-xlsx
uses. The columns depend on the template alone, so a row can be built as soon as its audit is
read (in a worker process) and streamed to the sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from qaudit.export import layout as L
from qaudit.export.cells import GRADE_COLOURS
from qaudit.export.decision import grade_kind, scaling_kind, section_title
from qaudit.export.rows import AuditSummary, section_columns
from qaudit.export.sheets import word_width
from qaudit.templates.catalogue import Template

AREA_PREFIX = "Moderator grade: "
Value = Callable[[AuditSummary], Any]


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    value: Value
    kind: str = "text"  # text, grade, date, number
    input: bool = False  # one of the panel's columns (yellow, with a drop-down for grades)
    hidden: bool = False


def _panel(attr: str) -> Value:
    return lambda s: getattr(s.panel, attr)


def _section_grade(title: str) -> Value:
    return lambda s: s.section_grades.get(title)


def _area_grade(title: str) -> Value:
    return lambda s: s.panel.area_grades.get(title)


def audit_columns(template: Template, *, redact: bool, kpis: bool) -> list[Column]:
    """The columns of ``template``'s Audits sheet, in order."""
    columns = [
        Column(L.H_CASE, 13, lambda s: s.case_number),
        Column(L.H_CHILD_REDACTED if redact else L.H_CHILD, 16, lambda s: s.child),
        Column("Team", 16, lambda s: s.team),
        Column("Auditor", 15, lambda s: s.auditor),
        Column("Audit date", 11.5, lambda s: s.audit_date, "date"),
        Column("Audit status", 10.5, lambda s: s.status),
        Column(L.H_OVERALL, 9, lambda s: s.overall_grade, "grade"),
        Column(L.H_GRADE, 9, _panel("grade"), "grade", input=True),
        Column(L.H_AGREE, 7, _panel("agree"), input=True),
        Column(L.H_COMMENT, 36, _panel("comment"), input=True),
        Column(L.H_MODERATOR, 14, _panel("moderator"), input=True),
    ]
    if scaling_kind(template) is not None:
        columns.append(Column(L.H_SCALING, 9, _panel("scaling"), "grade", input=True))
    for section in section_columns(template):
        columns.append(Column(section.title, 12, _section_grade(section.title), "grade"))
        if section.moderated:
            columns.append(Column(AREA_PREFIX + section.title, 12, _area_grade(section.title),
                                  "grade", input=True))
    columns += [
        Column("Practitioner", 15, lambda s: s.practitioner),
        Column(L.H_PRACTITIONER_GRADE, 9, lambda s: s.practitioner_grade, "grade"),
        Column("Case status", 8, lambda s: s.case_status),
    ]
    if kpis:
        columns.append(Column(L.H_KPIS_MISSED, 9, lambda s: s.kpis_missed, "number"))
    if template.group_by_role("actions") is not None:
        columns.append(Column(L.H_OPEN_ACTIONS, 8, lambda s: s.open_actions, "number"))
    columns += [
        Column(L.H_PATH, 30, lambda s: s.link, hidden=True),
        Column(L.H_HASH, 30, lambda s: s.sha256, hidden=True),
    ]
    return [replace(c, width=word_width(c.header, c.width)) for c in columns]



def audit_row(summary: AuditSummary, columns: Sequence[Column]) -> list[Any]:
    return [c.value(summary) for c in columns]


def colour_grades(ws: Any, ranges: str) -> None:
    """Conditional formatting: a cell holding 1-4 takes its grade's colours."""
    if not ranges:
        return
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font, PatternFill

    for grade, (fill, font) in GRADE_COLOURS.items():
        ws.conditional_formatting.add(ranges, CellIsRule(
            operator="equal", formula=[str(grade)], font=Font(color=font),
            fill=PatternFill(start_color=fill, end_color=fill, fill_type="solid")))


def grade_names(names: dict[str, str]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(names.items()))


def finish_audits(ws: Any, template: Template, columns: Sequence[Column], rows: int) -> None:
    """Filters, grade colours and the panel's drop-downs, once the ``rows`` are written."""
    from openpyxl.utils import get_column_letter

    letters = {c.header: get_column_letter(i) for i, c in enumerate(columns, start=1)}
    last = max(rows + 1, 2)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"

    def span(keep: Callable[[Column], bool]) -> str:
        return " ".join(f"{letters[c.header]}2:{letters[c.header]}{last}" for c in columns
                        if keep(c))

    colour_grades(ws, span(lambda c: c.kind == "grade" and c.header != L.H_SCALING))
    kind = grade_kind(template)
    values = [v for v in kind.values if isinstance(v, int)] if kind else []
    names = dict(kind.names) if kind else {}
    listed = ", ".join(str(v) for v in values or GRADE_COLOURS)
    _validation(ws, span(lambda c: c.input and c.kind == "grade" and c.header != L.H_SCALING),
                values or list(GRADE_COLOURS), "Moderator grade",
                f"Choose {listed}: {grade_names(names)}. Leave blank when the panel agrees "
                "and the grade is the auditor's.")
    scaling = scaling_kind(template)
    if scaling is not None:
        _validation(ws, span(lambda c: c.header == L.H_SCALING),
                    [v for v in scaling.values if isinstance(v, int)], "Scaling of the audit",
                    "1: incomplete, lacks evidence ... 4: evidence based, consistent, covers "
                    "safeguarding and every key component.")
    _validation(ws, span(lambda c: c.header == L.H_AGREE), L.AGREE_VALUES, "Agree?",
                "Yes: the panel agrees with the auditor's overall grade. No: give the panel's "
                "grade and the reason in the comments.")


def _validation(ws: Any, ranges: str, values: Sequence[object], title: str,
                prompt: str) -> None:
    if not ranges:
        return
    from openpyxl.worksheet.datavalidation import DataValidation

    allowed = ",".join(str(v) for v in values)
    check = DataValidation(type="list", formula1=f'"{allowed}"', allow_blank=True,
                           showErrorMessage=True, showInputMessage=True, errorStyle="stop",
                           errorTitle=f"{title}: not on the list",
                           error=f"Choose one of: {allowed.replace(',', ', ')}",
                           promptTitle=title[:32], prompt=prompt[:255])
    for part in ranges.split():
        check.add(part)
    ws.data_validations.append(check)


def section_headers(template: Template) -> list[str]:
    """The section grade headers of a template (for tests and the README)."""
    return [section_title(s) for s in template.sections
            if any(f.role == "section_grade" for f in s.fields)]
