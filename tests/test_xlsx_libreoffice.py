"""The panel's workbook opened by a real spreadsheet application: LibreOffice, headless,
prints it to PDF (pages counted, a page image made), converts it to CSV (one file per sheet,
formulas computed), and re-saves it as .xlsx for import-xlsx. One export and one conversion
of each kind for the module, to keep LibreOffice's time modest. Skipped only where
LibreOffice is not installed."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from qaudit.export import layout as L
from test_export_xlsx import HOSTILE, audits_in, copy_samples, hostile_audit, role
from test_import_xlsx import edit_panel, pick

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (no soffice on PATH); install it with "
    "`apt-get install -y --no-install-recommends libreoffice-calc`")
# Text CSV filter: comma, double quote, UTF-8, from line 1, cells as shown, every sheet (-1).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def convert(workbook: Path, target: str, outdir: Path) -> None:
    assert SOFFICE is not None
    profile = outdir.parent / "lo-profile"
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         target, "--outdir", str(outdir), str(workbook)],
        capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr


def sheets_as_csv(workbook: Path, outdir: Path) -> dict[str, list[list[str]]]:
    convert(workbook, CSV_FILTER, outdir)
    found = {}
    for sheet in load_workbook(workbook, read_only=True).sheetnames:
        path = outdir / f"{workbook.stem}-{sheet}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            found[sheet] = list(csv.reader(handle))
    return found


def audit_rows(sheets: dict[str, list[list[str]]]) -> list[dict[str, str]]:
    rows = []
    for name, (header, *body) in sheets.items():
        if L.is_audit_sheet(name):
            rows += [dict(zip(header, r, strict=False)) for r in body]
    return rows


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from typer.testing import CliRunner

    from qaudit.cli.app import app

    tmp = tmp_path_factory.mktemp("lo")
    folder = copy_samples(tmp)
    hostile_audit(folder)
    out = tmp / "panel.xlsx"
    result = CliRunner().invoke(app, ["export-xlsx", str(folder), "-o", str(out)],
                                env={"QAUDIT_TODAY": "2026-11-23"})
    assert result.exit_code == 0, result.output
    return folder, out


@pytest.fixture(scope="module")
def sheets(exported: tuple[Path, Path]) -> dict[str, list[list[str]]]:
    _, out = exported
    return sheets_as_csv(out, out.parent / "csv")


@pytest.mark.skipif(shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None,
                    reason="poppler-utils is not installed (no pdfinfo/pdftotext); install it "
                    "with `apt-get install -y poppler-utils`")
def test_libreoffice_prints_each_sheet_one_page_wide(exported: tuple[Path, Path]) -> None:
    """The sample folder (plus one audit) printed: Audits sheets of one page each, landscape,
    the marking and page numbers on every page; the first page kept as the README's image."""
    _, out = exported
    pdf_dir = out.parent / "pdf"
    convert(out, "pdf", pdf_dir)
    pdf = pdf_dir / "panel.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)",
                                         info).groups())  # type: ignore[union-attr]
    assert width > height and round(width) == 842 and round(height) == 595  # A4 landscape
    texts = [subprocess.run(["pdftotext", "-layout", "-f", str(p), "-l", str(p), str(pdf), "-"],
                            capture_output=True, text=True, check=True).stdout
             for p in range(1, pages + 1)]
    assert all("OFFICIAL-SENSITIVE" in t for t in texts)
    last_lines = [next(line for line in t.splitlines() if f"Page {n} of {pages}" in line)
                  for n, t in enumerate(texts, start=1)]
    footers = [next(n for n in ["Audits core 1.1", "Audits team-manager 1.0", L.ANSWERS,
                                L.KPIS, L.ACTIONS, L.CHARTS] if n in line) for line in last_lines]
    counts = Counter(footers)
    assert counts["Audits core 1.1"] == 1 and counts["Audits team-manager 1.0"] == 1
    assert counts[L.CHARTS] == 3  # the tables, then each chart on its own page
    assert 10 <= pages <= 80, pages
    # Section titles and team names are printed whole (not cut at the column's edge).
    first = " ".join(texts[0].split())
    assert "Adolescent Safeguarding Team" in first or "Adolescent" in first
    if shutil.which("pdftoppm"):
        png = out.parent / "page"
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(png)], check=True)
        assert png.with_suffix(".png").stat().st_size > 10_000


def test_libreoffice_reads_values_dates_text_and_computes_the_chart_table(
        exported: tuple[Path, Path], sheets: dict[str, list[list[str]]]) -> None:
    folder, _ = exported
    by_case = {r[L.H_CASE]: r for r in audit_rows(sheets)}
    audits = audits_in(folder)
    assert len(by_case) == len(audits)
    auditor: Counter[int] = Counter()
    moderator: Counter[int] = Counter()
    for _, doc, tmpl in audits:
        row = by_case[role(doc, tmpl, "case_number")]
        if tmpl.id == "core" and role(doc, tmpl, "team") != HOSTILE[0]:
            assert row[L.H_CHILD] == role(doc, tmpl, "child_name")
        # Dates are dates to LibreOffice: shown in the workbook's date format.
        assert row["Audit date"] == role(doc, tmpl, "audit_date").strftime("%d %b %Y")
        grade = role(doc, tmpl, "overall_grade")
        if isinstance(grade, int):
            auditor[grade] += 1
            assert row[L.H_OVERALL] == str(grade)
        if row[L.H_GRADE]:
            moderator[int(row[L.H_GRADE])] += 1
    assert moderator  # the moderated samples pre-fill the panel's columns
    # The hostile strings are text, shown as typed, never evaluated.
    hostile = next(r for r in by_case.values() if r["Team"] == HOSTILE[0])
    assert hostile["Practitioner"] == HOSTILE[1] and hostile["Auditor"] == HOSTILE[2]
    evidence = [r[-1] for r in sheets[L.ANSWERS]]
    for text in ("=cmd|' /C calc'!A0", "=1+1", "-2+3", "@SUM(A1)", "#N/A"):
        assert text in evidence
    # The COUNTIF table behind the chart, summed over both Audits sheets by LibreOffice.
    table = {r[0]: r[1:3] for r in sheets[L.CHARTS][8:12]}
    for grade in range(1, 5):
        label = next(k for k in table if k.startswith(f"{grade} "))
        assert table[label] == [str(auditor[grade]), str(moderator[grade])]


def test_a_workbook_saved_by_libreoffice_imports(exported: tuple[Path, Path], tmp_path: Path,
                                                 cli: Any) -> None:
    folder, out = exported
    resaved_dir = tmp_path / "resaved"
    convert(out, "xlsx:Calc MS Excel 2007 XML", resaved_dir)
    resaved = out.parent / "panel-resaved.xlsx"
    shutil.move(resaved_dir / "panel.xlsx", resaved)
    case, path, _, _ = pick(folder, "core", "complete")
    before = path.read_bytes()
    edit_panel(resaved, {case: {L.H_AGREE: "Yes", L.H_SCALING: 3}})
    result = cli("import-xlsx", resaved, "--date", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert f"{path}: changed" in result.output
    assert "moderation.scaling: (blank) -> 3" in result.output
    path.write_bytes(before)  # the module's folder as exported, for the other tests
