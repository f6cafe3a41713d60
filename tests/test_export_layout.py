"""The panel workbook's layout and print setup, read back with openpyxl from a real export
of the sample folder: column order, one Audits sheet per template, print settings on every
sheet, charts clear of every table, header rows tall enough for their titles."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from qaudit.export import layout as L
from qaudit.export.audits_sheet import AREA_PREFIX, section_headers
from qaudit.export.charts import ROW_CM
from qaudit.export.sheets import wrapped_lines
from qaudit.templates.catalogue import Catalogue
from test_export_xlsx import copy_samples, sheet_xml

IDENTITY = [L.H_CASE, L.H_CHILD, "Team", "Auditor", "Audit date", "Audit status"]
DECISION = [L.H_OVERALL, L.H_GRADE, L.H_AGREE, L.H_COMMENT, L.H_MODERATOR]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from qaudit.cli.app import app

    tmp = tmp_path_factory.mktemp("layout")
    folder = copy_samples(tmp)
    (folder / "qaudit.toml").write_text('[qaudit]\nruleset = "core-v1.1"\n'
                                        'protective_marking = "OFFICIAL-SENSITIVE & PERSONAL"\n')
    out = tmp / "panel.xlsx"
    result = CliRunner().invoke(app, ["export-xlsx", str(folder), "-o", str(out)],
                                env={"QAUDIT_TODAY": "2026-11-23"})
    assert result.exit_code == 0, result.output
    return out


def headers(ws: Any) -> list[str]:
    return [c.value for c in ws[1]]


def test_audits_sheets_open_on_identity_grade_and_the_panels_columns(workbook: Path) -> None:
    wb = load_workbook(workbook)
    catalogue = Catalogue()
    sheets = [n for n in wb.sheetnames if L.is_audit_sheet(n)]
    assert sheets == ["Audits core 1.1", "Audits team-manager 1.0"]
    assert wb.sheetnames[:2] == sheets  # the panel's sheets come first
    for name in sheets:
        template = catalogue.require(*name.split()[1:])
        found = headers(wb[name])
        assert found[:6] == IDENTITY
        assert found[6:11] == DECISION
        sections = section_headers(template)
        assert sections and all(s in found for s in sections)
        first_section = found.index(sections[0])
        assert first_section > found.index(L.H_MODERATOR)
        if template.id == "core":
            assert found[11] == L.H_SCALING and first_section == 12
        else:  # each area's moderator grade sits beside the auditor's grade for it
            for title in sections:
                assert found[found.index(title) + 1] == AREA_PREFIX + title
        assert found[-2:] == [L.H_PATH, L.H_HASH]
        assert wb[name].freeze_panes == "C2"


def test_no_two_templates_share_a_section_column(workbook: Path) -> None:
    wb = load_workbook(workbook)
    catalogue = Catalogue()
    for name in (n for n in wb.sheetnames if L.is_audit_sheet(n)):
        template = catalogue.require(*name.split()[1:])
        own = set(section_headers(template))
        others = {h for t in catalogue.all() if t.id != template.id
                  for h in section_headers(t)} - own
        found = set(headers(wb[name]))
        assert own <= found and not (others & found), name
        # Every row of the sheet is an audit of this template.
        for row in wb[name].iter_rows(min_row=2, values_only=True):
            path = row[headers(wb[name]).index(L.H_PATH)]
            assert path.endswith(f"_{template.id}.toml")


def test_every_sheet_prints_landscape_a4_one_page_wide_with_marking(workbook: Path) -> None:
    wb = load_workbook(workbook)
    assert wb.sheetnames[2:] == [L.ANSWERS, L.KPIS, L.ACTIONS, L.CHARTS]
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape", ws.title
        assert int(setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0
        if ws.title != L.CHARTS:
            assert ws.print_title_rows == "$1:$1", ws.title
        # The marking from qaudit.toml ('&' doubled: a code character in headers).
        assert ws.oddHeader.center.text == "&BOFFICIAL-SENSITIVE && PERSONAL"
        assert ws.oddFooter.left.text == "&A"
        assert ws.oddFooter.right.text == "Page &P of &N"


def test_marking_defaults_to_official_sensitive(tmp_path: Path, cli: Any) -> None:
    folder = copy_samples(tmp_path)
    out = tmp_path / "p.xlsx"
    assert cli("export-xlsx", folder, "-o", out).exit_code == 0
    for ws in load_workbook(out).worksheets:
        assert ws.oddHeader.center.text == "&BOFFICIAL-SENSITIVE"
    other = tmp_path / "other"
    other.mkdir()
    (other / "qaudit.toml").write_text('[qaudit]\nprotective_marking = ""\n')
    (other / "a.toml").write_bytes(next(folder.glob("*_core.toml")).read_bytes())
    result = cli("export-xlsx", other, "-o", out)
    assert result.exit_code == 2 and "protective_marking" in result.output


def _used(ws: Any) -> list[tuple[int, int, int, int]]:
    """The tables of the Charts sheet: (first row, last row, first col, last col) of each
    block of filled rows."""
    blocks: list[list[int]] = []
    for row in ws.iter_rows():
        filled = [c.column for c in row if c.value is not None]
        if not filled:
            continue
        r = row[0].row
        if blocks and blocks[-1][1] == r - 1:
            blocks[-1][1] = r
            blocks[-1][3] = max(blocks[-1][3], max(filled))
        else:
            blocks.append([r, r, min(filled), max(filled)])
    return [tuple(b) for b in blocks]  # type: ignore[misc]


def test_no_chart_overlaps_a_table(workbook: Path) -> None:
    ws = load_workbook(workbook)[L.CHARTS]
    tables = _used(ws)
    assert len(tables) == 3  # legend, grade distribution, teams
    charts = ws._charts
    assert len(charts) == 2
    spans = []
    for chart in charts:
        marker = chart.anchor._from
        top, left = marker.row + 1, marker.col + 1
        rows = int(chart.height / ROW_CM) + 1
        width_chars = chart.width / 0.2  # about 0.2 cm a character of column width
        cols, used = 0, 0.0
        while used < width_chars:
            cols += 1
            used += ws.column_dimensions[chr(64 + min(cols, 26))].width or 8.43
        spans.append((top, top + rows, left, left + cols - 1))
    for top, bottom, left, right in spans:
        for first, last, c1, c2 in tables:
            assert bottom < first or top > last or right < c1 or left > c2, (spans, tables)
    (a_top, a_bottom, _, _), (b_top, _, _, _) = spans
    assert a_bottom < b_top  # nor one another
    # Each chart starts a printed page.
    assert sorted(b.id for b in ws.row_breaks.brk) == [a_top - 1, b_top - 1]


def test_headers_and_team_names_are_not_cut(workbook: Path) -> None:
    wb = load_workbook(workbook)
    for ws in wb.worksheets:
        if ws.title == L.CHARTS:
            continue
        height = ws.row_dimensions[1].height
        for cell in ws[1]:
            width = ws.column_dimensions[cell.column_letter].width
            lines = wrapped_lines(cell.value, width)
            assert height >= lines * 12, (ws.title, cell.value)
            assert cell.alignment.wrap_text
    charts = wb[L.CHARTS]
    teams = [c.value for c in charts["A"][15:] if c.value]
    assert "Adolescent Safeguarding Team" in teams
    assert charts.column_dimensions["A"].width >= max(len(t) for t in teams)
    # Text cells wrap, and a row holding long text is given the height to show it.
    answers = wb[L.ANSWERS]
    long_rows = [c.row for c in answers["I"][1:] if c.value and len(c.value) > 200]
    assert long_rows
    for row in long_rows:
        assert answers[f"I{row}"].alignment.wrap_text
        assert answers.row_dimensions[row].height >= 4 * 13


def test_hidden_columns_and_widths_in_the_xml(workbook: Path) -> None:
    xml = sheet_xml(workbook)["Audits core 1.1"]
    hidden = re.findall(r'<col [^>]*hidden="1"[^>]*min="(\d+)" max="(\d+)"', xml)
    found = load_workbook(workbook)["Audits core 1.1"]
    letters = [c.column_letter for c in found[1] if c.value in (L.H_PATH, L.H_HASH)]
    assert {int(a) for a, _ in hidden} == {column_index_from_string(x) for x in letters}
    with zipfile.ZipFile(workbook) as zf:
        book = zf.read("xl/workbook.xml").decode()
    assert "_xlnm.Print_Titles" in book
