"""The Audits sheet: a row per audit, the panel's columns with drop-downs, grades coloured."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from qaudit.export import layout as L
from qaudit.export.cells import GRADE_COLOURS, INPUT_FILL, TOP, header_row, value_cell
from qaudit.export.rows import AuditSummary, SectionColumn

AREA_PREFIX = "Moderator grade: "


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    value: Callable[[AuditSummary], Any]
    style: str = "text"  # text, wrap, grade, date, number, input-grade, input-agree, input-text
    hidden: bool = False


def _panel(attr: str) -> Callable[[AuditSummary], Any]:
    return lambda s: getattr(s.panel, attr)


def _section_grade(title: str) -> Callable[[AuditSummary], Any]:
    return lambda s: s.section_grades.get(title)


def _area_grade(title: str) -> Callable[[AuditSummary], Any]:
    return lambda s: s.panel.area_grades.get(title)


def audit_columns(sections: Sequence[SectionColumn], *, redact: bool, scaling: bool,
                  kpis: bool) -> list[Column]:
    columns = [
        Column(L.H_CASE, 13, lambda s: s.case_number),
        Column(L.H_CHILD_REDACTED if redact else L.H_CHILD, 20, lambda s: s.child),
        Column("Team", 18, lambda s: s.team),
        Column("Practitioner", 18, lambda s: s.practitioner),
        Column("Auditor", 18, lambda s: s.auditor),
        Column("Audit date", 12, lambda s: s.audit_date, "date"),
        Column("Case status", 9, lambda s: s.case_status),
        Column("Template", 16, lambda s: s.template),
        Column("Audit status", 11, lambda s: s.status),
        Column(L.H_PRACTITIONER_GRADE, 12, lambda s: s.practitioner_grade, "grade"),
        Column(L.H_OVERALL, 12, lambda s: s.overall_grade, "grade"),
    ]
    for section in sections:
        columns.append(Column(section.title, 14, _section_grade(section.title), "grade"))
    if kpis:
        columns.append(Column(L.H_KPIS_MISSED, 11, lambda s: s.kpis_missed, "number"))
    columns += [
        Column(L.H_OPEN_ACTIONS, 9, lambda s: s.open_actions, "number"),
        Column(L.H_GRADE, 12, _panel("grade"), "input-grade"),
        Column(L.H_AGREE, 9, _panel("agree"), "input-agree"),
        Column(L.H_COMMENT, 50, _panel("comment"), "input-text"),
        Column(L.H_MODERATOR, 18, _panel("moderator"), "input-text"),
    ]
    if scaling:
        columns.append(Column(L.H_SCALING, 12, _panel("scaling"), "input-grade"))
    for section in sections:
        if section.moderated:
            columns.append(Column(AREA_PREFIX + section.title, 14,
                                  _area_grade(section.title), "input-grade"))
    columns += [
        Column(L.H_PATH, 30, lambda s: s.link, hidden=True),
        Column(L.H_HASH, 30, lambda s: s.sha256, hidden=True),
    ]
    return columns


def _cell(ws: Any, value: Any, style: str) -> Any:
    if style.startswith("input"):
        cell = value_cell(ws, value, wrap=style == "input-text")
        if not isinstance(cell, Cell):
            cell = WriteOnlyCell(ws, cell)
        cell.fill = INPUT_FILL
        return cell
    if style == "wrap":
        return value_cell(ws, value, wrap=True)
    cell = value_cell(ws, value)
    if style == "date" and isinstance(cell, Cell):
        cell.alignment = TOP
    return cell


def colour_grades(ws: Any, ranges: str) -> None:
    """Conditional formatting: a cell holding 1-4 takes its grade's colours."""
    if not ranges:
        return
    for grade, (fill, font) in GRADE_COLOURS.items():
        ws.conditional_formatting.add(ranges, CellIsRule(
            operator="equal", formula=[str(grade)], font=Font(color=font),
            fill=PatternFill(start_color=fill, end_color=fill, fill_type="solid")))


def grade_names(names: dict[str, str]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(names.items()))


def write_audits(ws: Any, summaries: Sequence[AuditSummary], columns: Sequence[Column], *,
                 grade_values: Sequence[int], scaling_values: Sequence[int],
                 names: dict[str, str]) -> dict[str, str]:
    """Write the sheet; returns header -> column letter for the Charts sheet's formulas."""
    letters = {c.header: get_column_letter(i) for i, c in enumerate(columns, start=1)}
    for column in columns:
        dim = ws.column_dimensions[letters[column.header]]
        dim.width = column.width
        if column.hidden:
            dim.hidden = True
    ws.freeze_panes = "C2"
    ws.row_dimensions[1].height = 90  # room for the wrapped section titles
    ws.append(header_row(ws, [c.header for c in columns]))
    for summary in summaries:
        ws.append([_cell(ws, c.value(summary), c.style) for c in columns])
    last = max(len(summaries) + 1, 2)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"

    def span(styles: tuple[str, ...], header_filter: Callable[[str], bool] = lambda h: True
             ) -> str:
        return " ".join(f"{letters[c.header]}2:{letters[c.header]}{last}" for c in columns
                        if c.style in styles and header_filter(c.header))

    colour_grades(ws, span(("grade", "input-grade"), lambda h: h != L.H_SCALING))
    listed = ", ".join(str(v) for v in grade_values)
    moderator_grades = span(("input-grade",), lambda h: h != L.H_SCALING)
    _validation(ws, moderator_grades, grade_values, "Moderator grade",
                f"Choose {listed}: {grade_names(names)}. Leave blank when the panel agrees "
                "and the grade is the auditor's.")
    if L.H_SCALING in letters:
        _validation(ws, span(("input-grade",), lambda h: h == L.H_SCALING), scaling_values,
                    "Scaling of the audit", "1: incomplete, lacks evidence ... 4: evidence "
                    "based, consistent, covers safeguarding and every key component.")
    _validation(ws, span(("input-agree",)), L.AGREE_VALUES, "Agree?",
                "Yes: the panel agrees with the auditor's overall grade. No: give the panel's "
                "grade and the reason in the comments.")
    return letters


def _validation(ws: Any, ranges: str, values: Sequence[object], title: str,
                prompt: str) -> None:
    if not ranges:
        return
    allowed = ",".join(str(v) for v in values)
    check = DataValidation(type="list", formula1=f'"{allowed}"', allow_blank=True,
                           showErrorMessage=True, showInputMessage=True, errorStyle="stop",
                           errorTitle=f"{title}: not on the list",
                           error=f"Choose one of: {allowed.replace(',', ', ')}",
                           promptTitle=title[:32], prompt=prompt[:255])
    for part in ranges.split():
        check.add(part)
    ws.data_validations.append(check)
