"""The Charts sheet: a legend of the grade colours, the data tables, and native bar charts.

The tables come first (columns A-F), the charts below them, each on a page of its own when
printed, so no chart covers a table. The grade distribution table counts the Audits sheets
with COUNTIF formulas qaudit writes itself (fixed column references and the grade numbers;
no text from an audit), so the chart follows the moderator grades as the panel types them.
The by-team table holds plain numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.pagebreak import Break

from qaudit.export.cells import GRADE_COLOURS, HEADER, clean_text, style_cell
from qaudit.export.sheets import print_setup, wrapped_lines

DISTRIBUTION_ROW = 8  # header row of the grade distribution table
ROW_CM = 0.53  # a default row (15 pt)
CHART_ROWS = 18  # rows a chart and its gap take


@dataclass(frozen=True)
class GradeColumns:
    """Where one Audits sheet keeps the auditor's and the panel's overall grades."""

    sheet: str
    auditor: str  # column letter
    moderator: str
    last_row: int


def _text(ws: Any, value: str, *, bold: bool = False) -> Any:
    cell = WriteOnlyCell(ws, clean_text(value))
    cell.data_type = "s"
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if bold:
        cell.font = Font(bold=True)
    return cell


def _legend_cell(ws: Any, grade: int, label: str) -> Any:
    fill, font = GRADE_COLOURS[grade]
    cell = _text(ws, label)
    cell.fill = PatternFill("solid", fgColor=fill)
    cell.font = Font(color=font, bold=True)
    return cell


def _header(ws: Any, titles: Sequence[str]) -> list[Any]:
    cells = []
    for title in titles:
        cell = _text(ws, title)
        style_cell(cell, HEADER)
        cells.append(cell)
    return cells


def _count(grade: int, sheets: Sequence[GradeColumns], which: str) -> str:
    if not sheets:
        return "=0"
    parts = [f"COUNTIF('{s.sheet}'!${getattr(s, which)}$2:${getattr(s, which)}$"
             f"{max(s.last_row, 2)},{grade})" for s in sheets]
    return "=" + "+".join(parts)


def write_charts(ws: Any, sheets: Sequence[GradeColumns], teams: dict[str, Counter[Any]],
                 names: dict[int, str], marking: str) -> int:
    """Write the sheet; returns the first row below every table (where the charts start)."""
    grades = sorted(GRADE_COLOURS)
    labels = {g: f"{g} {names.get(g, '')}".strip() for g in grades}
    team_names = sorted(teams)
    first = max([34, *(len(t) + 2 for t in team_names)])
    ws.column_dimensions["A"].width = min(first, 48)
    for col in "BCDEF":
        ws.column_dimensions[col].width = 14
    print_setup(ws, marking, title_rows=None)
    ws.append([_text(ws, "Grade colours (Audits and Answers sheets)", bold=True)])
    for grade in grades:
        ws.append([_legend_cell(ws, grade, labels[grade])])
    ws.append([])
    ws.append([])
    # Table 1 (row DISTRIBUTION_ROW): overall grades, auditor vs moderator.
    ws.append(_header(ws, ["Overall grade", "Auditor", "Moderator"]))
    for grade in grades:
        ws.append([_legend_cell(ws, grade, labels[grade]), _count(grade, sheets, "auditor"),
                   _count(grade, sheets, "moderator")])
    ws.append([])
    ws.append([])
    team_header = DISTRIBUTION_ROW + len(grades) + 3
    team_titles = ["Team (auditor's overall grade)", *[labels[g] for g in grades], "Not graded"]
    ws.row_dimensions[team_header].height = 6 + 12.5 * max(wrapped_lines(t, 14)
                                                          for t in team_titles[1:])
    ws.append(_header(ws, team_titles))
    for team in team_names:
        row = teams[team]
        graded = [row.get(g, 0) for g in grades]
        ws.append([_text(ws, team), *graded, sum(row.values()) - sum(graded)])
    below = team_header + max(len(team_names), 1) + 3
    _add_charts(ws, grades, team_header, len(team_names), below)
    return below


def _add_charts(ws: Any, grades: list[int], team_header: int, teams: int, below: int) -> None:
    chart = BarChart()
    chart.type = "col"
    chart.title = "Overall grades: auditor and moderator"
    chart.y_axis.title = "Audits"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=DISTRIBUTION_ROW,
                             max_row=DISTRIBUTION_ROW + len(grades)), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=DISTRIBUTION_ROW + 1,
                                   max_row=DISTRIBUTION_ROW + len(grades)))
    for series, colour in zip(chart.series, ("1F4E78", "C55A11"), strict=True):
        series.graphicalProperties.solidFill = colour
    chart.width, chart.height = 18, 8
    ws.add_chart(chart, f"A{below}")

    by_team = BarChart()
    by_team.type = "bar"
    by_team.grouping = "stacked"
    by_team.overlap = 100
    by_team.title = "Auditor's overall grade by team"
    by_team.x_axis.delete = False
    by_team.y_axis.delete = False
    rows = max(teams, 1)
    by_team.add_data(Reference(ws, min_col=2, max_col=1 + len(grades), min_row=team_header,
                               max_row=team_header + rows), titles_from_data=True)
    by_team.set_categories(Reference(ws, min_col=1, min_row=team_header + 1,
                                     max_row=team_header + rows))
    for series, grade in zip(by_team.series, grades, strict=True):
        series.graphicalProperties.solidFill = GRADE_COLOURS[grade][0]
    by_team.width, by_team.height = 18, min(max(8.0, 2 + rows * 0.8), 16)
    second = below + CHART_ROWS
    ws.add_chart(by_team, f"A{second}")
    # Each chart starts a printed page, so none is cut across two.
    ws.row_breaks.append(Break(id=below - 1))
    ws.row_breaks.append(Break(id=second - 1))


def chart_rows(height_cm: float) -> int:
    """How many default rows a chart of this height covers (for tests)."""
    return int(height_cm / ROW_CM) + 1
