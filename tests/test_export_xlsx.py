"""qaudit export-xlsx: the panel's workbook, read back with openpyxl and with python-calamine
(an independent reader), and its XML inspected inside the zip."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape
from python_calamine import CalamineWorkbook

from builders import complete_audit, template
from conftest import SAMPLES
from qaudit.actions.register import agreement_rule, audit_actions
from qaudit.audit.kinds import is_blank
from qaudit.audit.reader import AuditDocument
from qaudit.audit.writer import AuditEditor
from qaudit.config import config_for
from qaudit.export import export_workbook
from qaudit.export import layout as L
from qaudit.export import workbook as workbook_module
from qaudit.export.cells import DATE_FORMAT, GRADE_COLOURS
from qaudit.kpis.check import check_file
from qaudit.templates.catalogue import Template
from qaudit.validate import load

TODAY = dt.date(2026, 11, 23)
HOSTILE = ['=HYPERLINK("http://example.invalid","click")', "+1", "-2+3", "@SUM(A1)",
           "\tx", "\rx", "=cmd|' /C calc'!A0", "#N/A", "=1+1"]


def copy_samples(folder: Path) -> Path:
    target = folder / "audits"
    shutil.copytree(SAMPLES, target, ignore=shutil.ignore_patterns("README.md"))
    return target


def audits_in(folder: Path) -> list[tuple[Path, AuditDocument, Template]]:
    found = []
    for path in sorted(folder.glob("*.toml")):
        if path.name == "qaudit.toml":
            continue
        loaded = load(path)
        assert loaded.document is not None and loaded.template is not None, path
        found.append((path, loaded.document, loaded.template))
    return found


def role(doc: AuditDocument, tmpl: Template, name: str) -> Any:
    key = tmpl.role_path(name)
    return doc.get(key) if key else None


def _sheets(names: list[str], sheet: str) -> list[str]:
    """``L.AUDITS`` stands for every Audits sheet (one per template)."""
    return [n for n in names if L.is_audit_sheet(n)] if sheet == L.AUDITS else [sheet]


def sheet_rows(path: Path, sheet: str) -> list[dict[str, Any]]:
    """A sheet read by openpyxl as dicts keyed by header."""
    wb = load_workbook(path)
    found = []
    for name in _sheets(wb.sheetnames, sheet):
        rows = list(wb[name].iter_rows(values_only=True))
        header = list(rows[0])
        found += [dict(zip(header, row, strict=False)) for row in rows[1:]]
    return found


def calamine_rows(path: Path, sheet: str) -> list[dict[str, Any]]:
    book = CalamineWorkbook.from_path(str(path))
    found = []
    for name in _sheets(book.sheet_names, sheet):
        rows = book.get_sheet_by_name(name).to_python()
        header = list(rows[0])
        found += [dict(zip(header, row, strict=False)) for row in rows[1:]]
    return found


def audits_ws(path: Path, template_id: str = "core") -> Any:
    """The Audits sheet of one template, read by openpyxl."""
    wb = load_workbook(path)
    return next(wb[n] for n in wb.sheetnames if n.startswith(f"{L.AUDITS} {template_id} "))


def column_of(ws: Any, header: str) -> str:
    for cell in ws[1]:
        if cell.value == header:
            return str(cell.column_letter)
    raise AssertionError(f"no column {header!r}")


def sheet_xml(path: Path) -> dict[str, str]:
    """Sheet name -> its worksheet XML, through the workbook's relationships."""
    with zipfile.ZipFile(path) as zf:
        book = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
        targets = dict(re.findall(r'Id="(rId\d+)"[^>]*?Target="/?(?:xl/)?([^"]+)"', rels))
        targets |= {k: v for v, k in re.findall(r'Target="/?(?:xl/)?([^"]+)"[^>]*?Id="(rId\d+)"',
                                                  rels)}
        out = {}
        for name, rid in re.findall(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="(rId\d+)"', book):
            out[name] = zf.read(f"xl/{targets[rid]}").decode()
        return out


@pytest.fixture
def exported(tmp_path: Path, cli: Any) -> tuple[Path, Path]:
    folder = copy_samples(tmp_path)
    out = tmp_path / "panel.xlsx"
    result = cli("export-xlsx", folder, "-o", out)
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    return folder, out


def test_audits_sheet_has_a_row_per_audit_with_values_from_the_files(
        exported: tuple[Path, Path]) -> None:
    folder, out = exported
    audits = audits_in(folder)
    by_openpyxl = {r[L.H_CASE]: r for r in sheet_rows(out, L.AUDITS)}
    by_calamine = {r[L.H_CASE]: r for r in calamine_rows(out, L.AUDITS)}
    assert len(by_openpyxl) == len(audits) == len(by_calamine)
    sheets = load_workbook(out).sheetnames
    assert {f"Audits {t.id} {t.version}" for _, _, t in audits} == \
        {n for n in sheets if L.is_audit_sheet(n)}
    for _path, doc, tmpl in audits:
        case = role(doc, tmpl, "case_number")
        for row in (by_openpyxl[case], by_calamine[case]):
            assert row[L.H_CHILD] == role(doc, tmpl, "child_name")
            assert row["Team"] == role(doc, tmpl, "team")
            assert row["Auditor"] == role(doc, tmpl, "auditor")
            assert row["Audit status"] == doc.status
            overall = role(doc, tmpl, "overall_grade")
            assert row[L.H_OVERALL] == (overall if not is_blank(overall) else
                                        (None if row is by_openpyxl[case] else ""))
            for section in tmpl.sections:
                grade = next((f for f in section.fields if f.role == "section_grade"), None)
                if grade is not None:
                    value = doc.get(f"{section.table}.{grade.id}")
                    title = f"{section.number} {section.title}"
                    if not is_blank(value):
                        assert row[title] == value
        # Dates are real dates with a date number format, not text.
        audit_date = role(doc, tmpl, "audit_date")
        assert by_openpyxl[case]["Audit date"] == dt.datetime.combine(audit_date, dt.time())
        assert by_calamine[case]["Audit date"] == audit_date


def test_dates_grades_and_panel_columns_are_typed_and_styled(
        exported: tuple[Path, Path]) -> None:
    _, out = exported
    ws = audits_ws(out)
    date_col = column_of(ws, "Audit date")
    assert ws[f"{date_col}2"].number_format == DATE_FORMAT
    assert ws[f"{date_col}2"].is_date
    assert ws.freeze_panes == "C2"
    last = ws.max_row
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{last}"
    assert ws.column_dimensions[column_of(ws, L.H_COMMENT)].width == 36
    assert ws[f"{column_of(ws, L.H_COMMENT)}2"].alignment.wrap_text


def test_drop_downs_on_the_panel_columns(exported: tuple[Path, Path]) -> None:
    _, out = exported
    for template_id, graded in (("core", (L.H_GRADE, L.H_SCALING)),
                                ("team-manager", (L.H_GRADE, "Moderator grade: 2 Quality of "
                                                  "risk/ threshold"))):
        ws = audits_ws(out, template_id)
        last = ws.max_row
        lists: dict[str, list[str]] = {}
        for dv in ws.data_validations.dataValidation:
            lists.setdefault(dv.formula1, []).extend(str(dv.sqref).split())
        for col in (column_of(ws, h) for h in graded):
            assert f"{col}2:{col}{last}" in lists['"1,2,3,4"']
        agree = column_of(ws, L.H_AGREE)
        assert lists['"Yes,No"'] == [f"{agree}2:{agree}{last}"]
        comment = column_of(ws, L.H_COMMENT)
        assert not any(r.startswith(f"{comment}2") for rs in lists.values() for r in rs)
        for dv in ws.data_validations.dataValidation:
            assert dv.type == "list" and dv.showErrorMessage and dv.errorStyle == "stop"


def test_grade_cells_coloured_by_conditional_formatting(exported: tuple[Path, Path]) -> None:
    _, out = exported
    ws = audits_ws(out, "team-manager")
    overall, moderator = column_of(ws, L.H_OVERALL), column_of(ws, L.H_GRADE)
    rules: dict[str, tuple[str, str]] = {}
    for cf in ws.conditional_formatting:
        ranges = str(cf.sqref).split()
        assert f"{overall}2:{overall}{ws.max_row}" in ranges
        assert f"{moderator}2:{moderator}{ws.max_row}" in ranges
        for rule in cf.rules:
            assert rule.type == "cellIs" and rule.operator == "equal"
            rules[rule.formula[0]] = (rule.dxf.fill.fgColor.rgb[-6:],
                                      rule.dxf.font.color.rgb[-6:])
    assert rules == {str(g): colours for g, colours in GRADE_COLOURS.items()}


def test_hidden_columns_carry_path_and_hash(exported: tuple[Path, Path]) -> None:
    folder, out = exported
    for template_id in ("core", "team-manager"):
        ws = audits_ws(out, template_id)
        path_col, hash_col = column_of(ws, L.H_PATH), column_of(ws, L.H_HASH)
        assert ws.column_dimensions[path_col].hidden and ws.column_dimensions[hash_col].hidden
    seen = set()
    for row in sheet_rows(out, L.AUDITS):
        audit = out.parent / row[L.H_PATH]
        assert not Path(row[L.H_PATH]).is_absolute()
        assert row[L.H_HASH] == hashlib.sha256(audit.read_bytes()).hexdigest()
        seen.add(audit.resolve())
    assert seen == {p.resolve() for p, _, _ in audits_in(folder)}


def test_answers_sheet_has_a_row_per_answered_question(exported: tuple[Path, Path]) -> None:
    folder, out = exported
    rows = calamine_rows(out, L.ANSWERS)
    expected = 0
    for path, doc, tmpl in audits_in(folder):
        for _section, q in tmpl.questions():
            table = doc.get(f"answers.{q.id}") or {}
            value, evidence = table.get(q.value_key), table.get("evidence")
            if is_blank(value) and is_blank(evidence):
                continue
            expected += 1
            match = [r for r in rows if r[L.H_CASE] == role(doc, tmpl, "case_number")
                     and r["Question"] == q.text and r["No."] == q.number]
            assert len(match) == 1, (path.name, q.id)
            assert match[0]["Evidence"] == (evidence or "")
            if q.kind.base == "grade" and isinstance(value, int):
                assert match[0]["Grade"] == value
    assert len(rows) == expected > 0
    ws = load_workbook(out)[L.ANSWERS]
    assert ws.auto_filter.ref == f"A1:I{expected + 1}"
    assert ws.freeze_panes == "A2"
    assert [ws["F1"].value, ws["G1"].value] == ["Question", "Grade"]
    coloured = {rule.formula[0]: str(cf.sqref) for cf in ws.conditional_formatting
                for rule in cf.rules}
    assert coloured == {str(g): f"G2:G{expected + 1}" for g in GRADE_COLOURS}


def test_kpi_and_action_sheets_come_from_their_cores(exported: tuple[Path, Path]) -> None:
    folder, out = exported
    kpi_rows = calamine_rows(out, L.KPIS)
    action_rows = calamine_rows(out, L.ACTIONS)
    audits = {r[L.H_CASE]: r for r in sheet_rows(out, L.AUDITS)}
    total_kpis = total_actions = 0
    for path, doc, tmpl in audits_in(folder):
        kpis = check_file(path, TODAY)
        total_kpis += len(kpis.records)
        case = role(doc, tmpl, "case_number")
        assert len([r for r in kpi_rows if r[L.H_CASE] == case]) == len(kpis.records)
        assert audits[case][L.H_KPIS_MISSED] == (kpis.missed if not kpis.findings else None)
        rule, calendar = agreement_rule(config_for(path))
        actions = audit_actions(str(path), tmpl, doc.get, TODAY, rule, calendar)
        total_actions += len(actions)
        mine = [r for r in action_rows if r[L.H_CASE] == case]
        assert [r["Action"] for r in mine] == [a.action for a in actions]
        assert [r["Flags"] for r in mine] == [", ".join(a.flags) for a in actions]
        if tmpl.group_by_role("actions") is None:
            assert L.H_OPEN_ACTIONS not in audits[case]
        else:
            assert audits[case][L.H_OPEN_ACTIONS] == sum(
                1 for a in actions if not a.learning and a.status == "open")
    assert len(kpi_rows) == total_kpis > 0
    assert len(action_rows) == total_actions > 0


def test_charts_are_native_and_read_a_table_on_their_sheet(exported: tuple[Path, Path]) -> None:
    _, out = exported
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert "xl/charts/chart1.xml" in names and "xl/charts/chart2.xml" in names
        chart = zf.read("xl/charts/chart1.xml").decode()
    assert re.search(r"<(c:)?barChart>", chart)
    assert "<f>'Charts'!$B$9:$B$12</f>" in chart and "<f>'Charts'!$C$9:$C$12</f>" in chart
    wb = load_workbook(out)
    charts = wb[L.CHARTS]
    assert len(charts._charts) == 2
    sheets = [wb[n] for n in wb.sheetnames if L.is_audit_sheet(n)]
    assert charts["A8"].value == "Overall grade"
    for grade in range(1, 5):
        for column, header in (("B", L.H_OVERALL), ("C", L.H_GRADE)):
            parts = []
            for ws in sheets:
                letter = column_of(ws, header)
                parts.append(f"COUNTIF('{ws.title}'!${letter}$2:${letter}${ws.max_row},{grade})")
            assert charts[f"{column}{8 + grade}"].value == "=" + "+".join(parts)
    # By team: plain counts of the auditor's overall grade, one row per team.
    teams: dict[str, list[int]] = {}
    for row in sheet_rows(out, L.AUDITS):
        counts = teams.setdefault(row["Team"], [0, 0, 0, 0, 0])
        grade = row[L.H_OVERALL]
        counts[grade - 1 if isinstance(grade, int) else 4] += 1
    table = [[c.value for c in r] for r in charts.iter_rows(min_row=16, max_row=15 + len(teams),
                                                             max_col=6)]
    assert {r[0]: list(r[1:]) for r in table} == teams


def hostile_audit(folder: Path) -> Path:
    path = complete_audit(folder, "core", "hostile.toml")
    editor = AuditEditor(path)
    editor.set("case.team", HOSTILE[0])
    editor.set("case.practitioners", HOSTILE[1])
    editor.set("case.auditor", HOSTILE[2])
    editor.set("case.child_name", HOSTILE[3])
    for index, text in enumerate(HOSTILE):
        editor.set(f"answers.q{4 + index}.evidence", text)
    editor.set("answers.q1.answer", "ok\x01 before a control character")
    editor.save()
    return path


def test_no_user_text_becomes_a_formula(tmp_path: Path, cli: Any) -> None:
    hostile_audit(tmp_path)
    out = tmp_path / "panel.xlsx"
    result = cli("export-xlsx", tmp_path / "hostile.toml", "-o", out)
    assert result.exit_code == 0, result.output
    xml = sheet_xml(out)
    for name in ("Audits core 1.1", L.ANSWERS, L.KPIS, L.ACTIONS):
        assert "<f>" not in xml[name] and "<f " not in xml[name], name
    # The only formulas are qaudit's own COUNTIFs on the Charts sheet.
    formulas = re.findall(r"<f>(.*?)</f>", xml[L.CHARTS])
    assert formulas and all(
        re.fullmatch(r"COUNTIF\('Audits core 1\.1'!\$[A-Z]+\$2:\$[A-Z]+\$\d+,[1-4]\)", f)
        for f in formulas)
    for rows in (sheet_rows(out, L.AUDITS), calamine_rows(out, L.AUDITS)):
        assert rows[0]["Team"] == HOSTILE[0]
        assert rows[0]["Practitioner"] == HOSTILE[1]
        assert rows[0]["Auditor"] == HOSTILE[2]
        assert rows[0][L.H_CHILD] == HOSTILE[3]
    # calamine (like Excel and LibreOffice) decodes OOXML's _x000D_ escape of a carriage
    # return; openpyxl leaves it, and its own unescape gives the exact text back.
    for rows in (calamine_rows(out, L.ANSWERS),
                 [{k: unescape(v) if isinstance(v, str) else v for k, v in r.items()}
                  for r in sheet_rows(out, L.ANSWERS)]):
        evidence = [r["Evidence"] for r in rows]
        for text in HOSTILE:
            assert text in evidence, text
        assert "ok before a control character" in [r["Answer"] for r in rows]
    # The cells are typed as strings, and the ones a spreadsheet would read as a formula if
    # retyped carry the quote prefix.
    ws = load_workbook(out)[L.ANSWERS]
    cells = [c for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and unescape(c.value) in HOSTILE]
    assert len(cells) >= len(HOSTILE)
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_redact_warns_when_a_file_name_holds_the_childs_name(tmp_path: Path, cli: Any) -> None:
    path = complete_audit(tmp_path, "core", "jemima.toml")
    editor = AuditEditor(path)
    editor.set("case.child_name", "Jemima Fictitious")
    editor.save()
    out = tmp_path / "panel.xlsx"
    result = cli("export-xlsx", path, "-o", out, "--redact")
    assert result.exit_code == 0
    assert "export-redacted-path" in result.output
    with zipfile.ZipFile(out) as zf:
        assert all(b"jemima" not in zf.read(n).lower() for n in zf.namelist())


def test_broken_audits_are_reported_and_skipped(tmp_path: Path, cli: Any) -> None:
    folder = copy_samples(tmp_path)
    good = len(audits_in(folder))
    (folder / "broken.toml").write_text('[audit]\ntemplate = "core"\nstatus = \n')
    (folder / "unknown.toml").write_text('[audit]\ntemplate = "nope"\n')
    out = tmp_path / "panel.xlsx"
    result = cli("export-xlsx", folder, "-o", out)
    assert result.exit_code == 1
    assert re.search(r"broken\.toml:3:\d+: error toml-syntax", result.output)
    assert "unknown.toml:2:12: error template-unknown" in result.output
    assert "2 files left out" in result.output
    assert len(calamine_rows(out, L.AUDITS)) == good


def test_usage_errors_exit_2(tmp_path: Path, cli: Any) -> None:
    folder = copy_samples(tmp_path)
    result = cli("export-xlsx", folder, "-o", tmp_path / "panel.csv")
    assert result.exit_code == 2 and "*.xlsx" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("export-xlsx", empty, "-o", tmp_path / "panel.xlsx")
    assert result.exit_code == 2 and "no audit files" in result.output
    result = cli("export-xlsx", folder, "-o", tmp_path / "missing" / "panel.xlsx")
    assert result.exit_code == 2 and "does not exist" in result.output


def test_a_failed_export_leaves_the_old_workbook_and_no_temporary_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = copy_samples(tmp_path)
    out = tmp_path / "panel.xlsx"
    out.write_bytes(b"the old workbook")

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full, say")

    monkeypatch.setattr(workbook_module, "write_charts", broken)
    with pytest.raises(RuntimeError):
        export_workbook([folder], out, today=TODAY)
    assert out.read_bytes() == b"the old workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audits", "panel.xlsx"]


def test_progress_is_reported_per_audit(tmp_path: Path) -> None:
    folder = copy_samples(tmp_path)
    seen: list[tuple[int, int]] = []
    result = export_workbook([folder], tmp_path / "p.xlsx", today=TODAY,
                             progress=lambda done, total: seen.append((done, total)))
    total = len(audits_in(folder))
    assert seen == [(n, total) for n in range(1, total + 1)]
    assert result.audits == total and result.sheets == [
        "Audits core 1.1", "Audits team-manager 1.0", L.ANSWERS, L.KPIS, L.ACTIONS, L.CHARTS]


def test_a_council_template_with_its_own_ids_exports_by_role(tmp_path: Path, cli: Any) -> None:
    """Only roles are used: renaming every id of the core template changes nothing."""
    source = template("core").source
    assert source  # shipped template text, re-tagged as a council's own
    from importlib import resources

    text = resources.files("qaudit").joinpath("templates/core.toml").read_text()
    text = text.replace('id = "core"', 'id = "council"', 1)
    text = re.sub(r'^id = "case_number"', 'id = "ref_no"', text, flags=re.M)
    text = re.sub(r'^id = "team"', 'id = "unit"', text, flags=re.M)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "council.toml").write_text(text)
    (tmp_path / "qaudit.toml").write_text('[qaudit]\ntemplate_dirs = ["templates"]\n')
    path = complete_audit(tmp_path, "core", "a.toml")
    case_number = AuditEditor(path).get("case.case_number")
    body = path.read_text().replace('template = "core"', 'template = "council"', 1)
    body = re.sub(r"^case_number = ", "ref_no = ", body, flags=re.M)
    body = re.sub(r"^team = .*$", 'unit = "Fictional Unit"', body, flags=re.M)
    path.write_text(body)
    out = tmp_path / "panel.xlsx"
    result = cli("export-xlsx", path, "-o", out)
    assert result.exit_code == 0, result.output
    row = calamine_rows(out, L.AUDITS)[0]
    assert row[L.H_CASE] == case_number and row["Team"] == "Fictional Unit"
    assert load_workbook(out).sheetnames[0] == "Audits council 1.1"


def test_progress_bar_on_a_terminal_only(tmp_path: Path, cli: Any,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from rich.console import Console

    from qaudit.cli import export_cmd

    folder = copy_samples(tmp_path)
    screen = io.StringIO()
    monkeypatch.setattr(export_cmd, "stderr",
                        lambda: Console(file=screen, force_terminal=True, width=80))
    result = cli("export-xlsx", folder, "-o", tmp_path / "p.xlsx")
    assert result.exit_code == 0
    total = len(audits_in(folder))
    assert "exporting" in screen.getvalue() and f"{total}/{total}" in screen.getvalue()
    piped = io.StringIO()
    monkeypatch.setattr(export_cmd, "stderr", lambda: Console(file=piped, width=80))
    assert cli("export-xlsx", folder, "-o", tmp_path / "p.xlsx").exit_code == 0
    assert piped.getvalue() == ""


def test_a_missing_folder_never_replaces_the_workbook(tmp_path: Path, cli: Any) -> None:
    folder = copy_samples(tmp_path)
    out = tmp_path / "panel.xlsx"
    assert cli("export-xlsx", folder, "-o", out).exit_code == 0
    before = out.read_bytes()
    result = cli("export-xlsx", tmp_path / "no-such-folder", "-o", out)
    assert result.exit_code == 2
    assert "no-such-folder" in result.output
    assert out.read_bytes() == before
    # A folder whose audits are all broken writes nothing either.
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "a.toml").write_text('[audit]\ntemplate = "nope"\n')
    result = cli("export-xlsx", broken, "-o", out)
    assert result.exit_code == 2 and "none of the audits could be exported" in result.output
    assert "template-unknown" in result.output
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audits", "broken", "panel.xlsx"]


def test_values_validate_refuses_are_named_not_passed_on_silently(tmp_path: Path,
                                                                  cli: Any) -> None:
    path = complete_audit(tmp_path, "core", "odd.toml")
    text = path.read_text()
    text = re.sub(r"(\[answers\.q4\]\ngrade = )3", r"\g<1>2.5", text, count=1)
    assert "grade = 2.5" in text
    path.write_text(text)
    good = complete_audit(tmp_path, "core", "good.toml")
    out = tmp_path / "panel.xlsx"
    result = cli("export-xlsx", path, good, "-o", out)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if "export-invalid" in line]
    assert len(lines) == 1 and lines[0].startswith(f"{path}:")
    assert "validate refuses this audit" in lines[0]
    assert "1 with values validate refuses" in result.output
    assert len(calamine_rows(out, L.AUDITS)) == 2  # still exported, and named


def test_the_workbook_is_written_with_the_umask_mode(tmp_path: Path, cli: Any) -> None:
    import os

    folder = copy_samples(tmp_path)
    out = tmp_path / "panel.xlsx"
    old = os.umask(0o027)
    try:
        assert cli("export-xlsx", folder, "-o", out).exit_code == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o640
    out.chmod(0o600)  # a mode the owner chose is kept when the workbook is replaced
    assert cli("export-xlsx", folder, "-o", out).exit_code == 0
    assert out.stat().st_mode & 0o777 == 0o600
