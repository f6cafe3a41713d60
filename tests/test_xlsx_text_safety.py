"""Text XML 1.0 cannot hold (U+FFFE, U+FFFF, lone surrogates, C0 controls other than tab,
newline, carriage return) is removed before it is written, and text that would start with
= + - @ once they are gone still gets the quote prefix. The workbook is opened by openpyxl,
python-calamine and LibreOffice, and the row after a U+FFFF is read whole by each."""

from __future__ import annotations

import csv
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from builders import complete_audit
from qaudit.audit.writer import AuditEditor
from qaudit.export import layout as L
from qaudit.export.cells import cell_value, clean_text, needs_quote

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
EVIDENCE = {
    "q4": "\u0001=cmd|' /C calc'!A0",  # a control character before a formula
    "q5": "\u0007\u0008+SUM(1)",
    "q6": "before\uffffafter",
    "q7": "x\ufffe-y",
    "q8": "\u001f@attack",
    "q9": "\u000b-2+3",
    "q10": "tab\tnew\nline kept",
    "q11": "ordinary text after the odd ones",
}
EXPECTED = {
    "q4": "=cmd|' /C calc'!A0",
    "q5": "+SUM(1)",
    "q6": "beforeafter",
    "q7": "x-y",
    "q8": "@attack",
    "q9": "-2+3",
    "q10": "tab\tnew\nline kept",
    "q11": "ordinary text after the odd ones",
}
QUOTED = {"q4", "q5", "q8", "q9"}


def test_clean_text_removes_what_xml_cannot_hold() -> None:
    for bad in ["\ud800", "\udfff", "\ufffe", "\uffff", "\x00", "\x01", "\x0b", "\x0c",
                "\x1f"]:
        assert clean_text(f"a{bad}b") == "ab"
    assert clean_text("a\tb\nc") == "a\tb\nc"
    assert clean_text("a\rb") == "a_x000D_b"
    assert clean_text("_x0041_") == "_x005F_x0041_"
    value, kind = cell_value("\ud83d=1")  # a lone high surrogate, then a formula
    assert value == "=1" and kind == "q"
    assert needs_quote("_x000D_=1")  # a carriage return first, as the cell holds it
    assert not needs_quote("plain") and needs_quote("#N/A")


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from qaudit.cli.app import app

    folder = tmp_path_factory.mktemp("text")
    path = complete_audit(folder, "core", "odd.toml")
    editor = AuditEditor(path)
    for question, text in EVIDENCE.items():
        editor.set(f"answers.{question}.evidence", text)
    editor.set("case.team", "\u0002=Team\uffff")
    editor.save()
    out = folder / "panel.xlsx"
    result = CliRunner().invoke(app, ["export-xlsx", str(path), "-o", str(out)],
                                env={"QAUDIT_TODAY": "2026-11-23"})
    assert result.exit_code == 0, result.output
    return out


def test_every_part_of_the_zip_is_well_formed_xml(workbook: Path) -> None:
    with zipfile.ZipFile(workbook) as zf:
        for name in zf.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(zf.read(name))  # raises on an invalid character


def _evidence_by_number(rows: list[list[Any]]) -> dict[str, Any]:
    header = rows[0]
    number, evidence = header.index("No."), header.index("Evidence")
    return {f"q{r[number]}": r[evidence] for r in rows[1:]}


def test_openpyxl_reads_the_text_and_the_quote_prefix(workbook: Path) -> None:
    wb = load_workbook(workbook)
    ws = wb[L.ANSWERS]
    header = [c.value for c in ws[1]]
    number, evidence = header.index("No."), header.index("Evidence")
    cells = {f"q{row[number].value}": row[evidence] for row in ws.iter_rows(min_row=2)}
    for question, text in EXPECTED.items():
        cell = cells[question]
        assert cell.value == text and cell.data_type == "s", question
        assert cell.quotePrefix == (question in QUOTED), question
    audits = wb[next(n for n in wb.sheetnames if L.is_audit_sheet(n))]
    team = audits.cell(2, [c.value for c in audits[1]].index("Team") + 1)
    assert team.value == "=Team" and team.quotePrefix and team.data_type == "s"


def test_calamine_reads_the_text(workbook: Path) -> None:
    rows = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name(L.ANSWERS).to_python()
    found = _evidence_by_number(rows)
    for question, text in EXPECTED.items():
        assert found[question] == text, question


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (no soffice)")
def test_libreoffice_reads_the_whole_row_after_each_odd_character(workbook: Path,
                                                                 tmp_path: Path) -> None:
    assert SOFFICE is not None
    outdir = tmp_path / "csv"
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,"
         "false,false,-1", "--outdir", str(outdir), str(workbook)],
        capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    with (outdir / f"{workbook.stem}-{L.ANSWERS}.csv").open(encoding="utf-8",
                                                          newline="") as handle:
        rows = list(csv.reader(handle))
    found = _evidence_by_number(rows)
    for question, text in EXPECTED.items():
        assert found[question] == text, question
    # The cells after the evidence's column are there too: nothing blanked.
    header = rows[0]
    cases = {row[header.index(L.H_CASE)] for row in rows[1:]}
    assert all(len(row) == len(header) for row in rows) and len(cases) == 1 and cases != {""}
