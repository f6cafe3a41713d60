"""The panel's workbook opened by a real spreadsheet application: LibreOffice, headless,
converts it to PDF and to CSV (one file per sheet, formulas computed), and re-saves it as
.xlsx for import-xlsx. Skipped only where LibreOffice is not installed."""

from __future__ import annotations

import csv
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

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
    for sheet in (L.AUDITS, L.ANSWERS, L.KPIS, L.ACTIONS, L.CHARTS):
        path = outdir / f"{workbook.stem}-{sheet}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            found[sheet] = list(csv.reader(handle))
    return found


@pytest.fixture
def exported(tmp_path: Path, cli: Any) -> tuple[Path, Path]:
    folder = copy_samples(tmp_path)
    hostile_audit(folder)
    out = tmp_path / "panel.xlsx"
    result = cli("export-xlsx", folder, "-o", out)
    assert result.exit_code == 0, result.output
    return folder, out


def test_libreoffice_prints_the_workbook_to_pdf(exported: tuple[Path, Path],
                                                tmp_path: Path) -> None:
    _, out = exported
    convert(out, "pdf", tmp_path / "pdf")
    pdf = (tmp_path / "pdf" / "panel.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_libreoffice_reads_values_dates_text_and_computes_the_chart_table(
        exported: tuple[Path, Path], tmp_path: Path) -> None:
    folder, out = exported
    sheets = sheets_as_csv(out, tmp_path / "csv")
    header, *rows = sheets[L.AUDITS]
    by_case = {r[header.index(L.H_CASE)]: dict(zip(header, r, strict=False)) for r in rows}
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
    # The COUNTIF table behind the chart, as LibreOffice computes it.
    table = {r[0]: r[1:3] for r in sheets[L.CHARTS][8:12]}
    for grade in range(1, 5):
        label = next(k for k in table if k.startswith(f"{grade} "))
        assert table[label] == [str(auditor[grade]), str(moderator[grade])]


def test_a_workbook_saved_by_libreoffice_imports(exported: tuple[Path, Path], tmp_path: Path,
                                                 cli: Any) -> None:
    folder, out = exported
    resaved_dir = tmp_path / "resaved"
    convert(out, "xlsx:Calc MS Excel 2007 XML", resaved_dir)
    resaved = tmp_path / "panel-resaved.xlsx"
    shutil.move(resaved_dir / "panel.xlsx", resaved)
    case, path, _, _ = pick(folder, "core", "complete")
    edit_panel(resaved, {case: {L.H_AGREE: "Yes", L.H_SCALING: 3}})
    result = cli("import-xlsx", resaved, "--date", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert f"{path}: changed" in result.output
    assert "moderation.scaling: (blank) -> 3" in result.output
