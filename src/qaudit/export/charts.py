"""The Charts sheet: a legend of the grade colours, the data tables, and native bar charts.

The grade distribution table counts the Audits sheet with COUNTIF formulas qaudit writes
itself (fixed column references and the grade numbers; no text from an audit), so the chart
follows the moderator grades as the panel types them. The by-team table holds plain numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill

from qaudit.export import layout as L
from qaudit.export.cells import GRADE_COLOURS, header_row, text_cell
from qaudit.export.rows import AuditSummary

DISTRIBUTION_ROW = 8  # header row of the grade distribution table


def _legend_cell(ws: Any, grade: int, label: str) -> Any:
    fill, font = GRADE_COLOURS[grade]
    cell = text_cell(ws, label)
    cell.fill = PatternFill("solid", fgColor=fill)
    cell.font = Font(color=font, bold=True)
    return cell


def write_charts(ws: Any, summaries: Sequence[AuditSummary], letters: dict[str, str],
                 names: dict[int, str]) -> None:
    grades = sorted(GRADE_COLOURS)
    labels = {g: f"{g} {names.get(g, '')}".strip() for g in grades}
    ws.column_dimensions["A"].width = 34
    for col in "BCDEFG":
        ws.column_dimensions[col].width = 13
    title = WriteOnlyCell(ws, "Grade colours (Audits and Answers sheets)")
    title.font = Font(bold=True)
    ws.append([title])
    for grade in grades:
        ws.append([_legend_cell(ws, grade, labels[grade])])
    ws.append([])
    ws.append([])
    # Table 1 (row DISTRIBUTION_ROW): overall grades, auditor vs moderator.
    ws.append(header_row(ws, ["Overall grade", "Auditor", "Moderator"]))
    last = max(len(summaries) + 1, 2)
    auditor = letters[L.H_OVERALL]
    moderator = letters[L.H_GRADE]
    for grade in grades:
        ws.append([_legend_cell(ws, grade, labels[grade]),
                   f"=COUNTIF({L.AUDITS}!${auditor}$2:${auditor}${last},{grade})",
                   f"=COUNTIF({L.AUDITS}!${moderator}$2:${moderator}${last},{grade})"])
    first_data = DISTRIBUTION_ROW + 1
    chart = BarChart()
    chart.type = "col"
    chart.title = "Overall grades: auditor and moderator"
    chart.y_axis.title = "Audits"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=DISTRIBUTION_ROW,
                             max_row=DISTRIBUTION_ROW + len(grades)), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first_data,
                                   max_row=DISTRIBUTION_ROW + len(grades)))
    chart.width, chart.height = 16, 8
    ws.add_chart(chart, "E1")

    ws.append([])
    ws.append([])
    team_header = DISTRIBUTION_ROW + len(grades) + 3
    ws.append(header_row(ws, ["Team (auditor's overall grade)", *[labels[g] for g in grades],
                              "Not graded"]))
    counts: dict[str, Counter[Any]] = {}
    for summary in summaries:
        counts.setdefault(summary.team or "(no team)", Counter())[summary.overall_grade] += 1
    for team in sorted(counts):
        row = counts[team]
        graded = [row.get(g, 0) for g in grades]
        ws.append([text_cell(ws, team), *graded, sum(row.values()) - sum(graded)])
    by_team = BarChart()
    by_team.type = "bar"
    by_team.grouping = "stacked"
    by_team.overlap = 100
    by_team.title = "Auditor's overall grade by team"
    by_team.x_axis.delete = False
    by_team.y_axis.delete = False
    rows = max(len(counts), 1)
    by_team.add_data(Reference(ws, min_col=2, max_col=1 + len(grades), min_row=team_header,
                               max_row=team_header + rows), titles_from_data=True)
    by_team.set_categories(Reference(ws, min_col=1, min_row=team_header + 1,
                                     max_row=team_header + rows))
    for series, grade in zip(by_team.series, grades, strict=True):
        series.graphicalProperties.solidFill = GRADE_COLOURS[grade][0]
    for series, colour in zip(chart.series, ("1F4E78", "C55A11"), strict=True):
        series.graphicalProperties.solidFill = colour
    by_team.width, by_team.height = 16, max(6, 1 + rows * 0.8)
    ws.add_chart(by_team, "E18")
