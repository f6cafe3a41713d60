"""qaudit import-xlsx: the panel edits the exported workbook (with openpyxl, as a spreadsheet
application would save it) and its decisions land in the audit files, or are refused."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from builders import complete_audit
from qaudit.audit.writer import AuditEditor
from qaudit.export import layout as L
from qaudit.moderation.record import areas
from qaudit.validate import load
from test_export_xlsx import audits_in, copy_samples, role

PANEL_DATE = "2026-11-20"
CHAIR = "Dana Okafor (fictional chair)"


def extra_core_audit(folder: Path) -> Path:
    """A complete core audit besides the samples, so two can be moderated differently."""
    path = complete_audit(folder, "core", "2026-10-02_FICT-900001_core.toml")
    editor = AuditEditor(path)
    editor.set("case.case_number", "FICT-900001")
    editor.set("case.child_name", "Wilf Quarrendon")
    editor.set("case.team", "Children in Need Team 1")
    editor.save()
    return path


def export(cli: Any, tmp_path: Path) -> tuple[Path, Path]:
    folder = copy_samples(tmp_path)
    extra_core_audit(folder)
    out = tmp_path / "panel.xlsx"
    result = cli("export-xlsx", folder, "-o", out)
    assert result.exit_code == 0, result.output
    return folder, out


def edit_panel(out: Path, edits: dict[str, dict[str, Any]]) -> None:
    """Type values into the Audits sheet, by case number and header, and save."""
    wb = load_workbook(out)
    for ws in audit_sheets(wb):
        header = {cell.value: cell.column for cell in ws[1]}
        for row in range(2, ws.max_row + 1):
            case = ws.cell(row, header[L.H_CASE]).value
            for name, value in edits.get(case, {}).items():
                ws.cell(row, header[name]).value = value
    wb.save(out)


def audit_sheets(wb: Any) -> list[Any]:
    """The Audits sheets (one per template)."""
    return [wb[n] for n in wb.sheetnames if L.is_audit_sheet(n)]


CORE_SHEET = "Audits core 1.1"


def audit_by_case(folder: Path) -> dict[str, tuple[Path, Any, Any]]:
    return {role(doc, tmpl, "case_number"): (path, doc, tmpl)
            for path, doc, tmpl in audits_in(folder)}


def pick(folder: Path, template_id: str, status: str) -> tuple[str, Path, Any, Any]:
    for case, (path, doc, tmpl) in sorted(audit_by_case(folder).items()):
        if tmpl.id == template_id and doc.status == status:
            return case, path, doc, tmpl
    raise AssertionError(f"no {status} {template_id} sample audit")


def other_grade(grade: int) -> int:
    return 2 if grade != 2 else 3


def test_round_trip_panel_decisions_land_in_the_audits(tmp_path: Path, cli: Any) -> None:
    folder, out = export(cli, tmp_path)
    by_case = audit_by_case(folder)
    core_cases = sorted(c for c, (_, d, t) in by_case.items()
                        if t.id == "core" and d.status == "complete")
    assert len(core_cases) >= 2
    disagree, agree = core_cases[:2]
    tm_case, tm_path, tm_doc, tm_tmpl = pick(folder, "team-manager", "complete")
    auditor = role(by_case[disagree][1], by_case[disagree][2], "overall_grade")
    reason = '=HYPERLINK("http://example.invalid") the analysis\r\nis thin'
    area_titles = [f"{a.section.number} {a.section.title}" for a in areas(tm_tmpl)]
    before = {case: by_case[case][0].read_text() for case in (disagree, agree, tm_case)}
    edit_panel(out, {
        disagree: {L.H_AGREE: "No", L.H_GRADE: other_grade(auditor), L.H_COMMENT: reason,
                   L.H_SCALING: 3, L.H_MODERATOR: CHAIR},
        agree: {L.H_AGREE: "Yes", L.H_SCALING: 4, L.H_COMMENT: "Strong chronology."},
        tm_case: {L.H_AGREE: "Yes", L.H_MODERATOR: CHAIR,
                  **{"Moderator grade: " + t: 3 for t in area_titles}},
    })
    result = cli("import-xlsx", out, "--date", PANEL_DATE)
    assert result.exit_code == 0, result.output
    assert "3 changed" in result.output and "0 refused" in result.output
    assert "moderation.changed_grade: (blank) -> " + str(other_grade(auditor)) in result.output
    assert "audit.status: “complete” -> “moderated”" in result.output

    day = dt.date.fromisoformat(PANEL_DATE)
    now = audit_by_case(folder)
    _, doc, tmpl = now[disagree]
    assert doc.status == "moderated"
    assert doc.get("moderation.changed_grade") == other_grade(auditor)
    assert doc.get("moderation.change_reason") == reason.replace("\r\n", "\n")
    assert doc.get("moderation.scaling") == 3 and doc.get("moderation.date") == day
    assert doc.get("moderation.moderator") == CHAIR
    _, doc, tmpl = now[agree]
    assert doc.status == "moderated"
    assert doc.get("moderation.changed_grade") == ""
    assert doc.get("moderation.themes") == "Strong chronology."
    _, doc, tmpl = now[tm_case]
    assert doc.status == "moderated"
    assert role(doc, tmpl, "overall_moderator_grade") == role(doc, tmpl, "overall_grade")
    assert all(doc.get(a.moderator_grade_key) == 3 for a in areas(tmpl))
    assert role(doc, tmpl, "moderation_date") == day
    # Only the lines of the changed values differ: comments and layout are kept.
    for case, text in before.items():
        after = now[case][0].read_text()
        changed = [d for d in difflib.ndiff(text.splitlines(), after.splitlines())
                   if d.startswith("- ")]
        assert 0 < len(changed) <= 16, case
    checked = cli("validate", folder)
    errors = [line for line in checked.output.splitlines() if ": error " in line]
    assert not [e for e in errors if any(c in e for c in (disagree, agree, tm_case))], errors

    # Export again: the panel columns show what was recorded; importing it changes nothing.
    again = tmp_path / "again.xlsx"
    assert cli("export-xlsx", folder, "-o", again).exit_code == 0
    rows = {r[L.H_CASE]: r for r in _rows(again)}
    assert rows[disagree][L.H_AGREE] == "No" and rows[agree][L.H_AGREE] == "Yes"
    assert rows[disagree][L.H_GRADE] == other_grade(auditor)
    snapshot = {p: p.read_bytes() for p in folder.glob("*.toml")}
    result = cli("import-xlsx", again, "--date", "2026-11-22")
    assert result.exit_code == 0 and "0 changed" in result.output, result.output
    assert snapshot == {p: p.read_bytes() for p in folder.glob("*.toml")}


def _rows(out: Path) -> list[dict[str, Any]]:
    found = []
    for ws in audit_sheets(load_workbook(out)):
        rows = list(ws.iter_rows(values_only=True))
        found += [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]
    return found


def test_an_audit_changed_since_the_export_is_refused(tmp_path: Path, cli: Any) -> None:
    folder, out = export(cli, tmp_path)
    case, path, _, _ = pick(folder, "core", "complete")
    path.write_text(path.read_text() + "# a later edit by the auditor\n")
    changed = path.read_bytes()
    edit_panel(out, {case: {L.H_AGREE: "Yes", L.H_SCALING: 3}})
    result = cli("import-xlsx", out, "--date", PANEL_DATE)
    assert result.exit_code == 1
    assert f"{out}:{CORE_SHEET}!row " in result.output
    assert "changed since the workbook was exported" in result.output
    assert path.read_bytes() == changed


@pytest.mark.parametrize(("header", "value", "says"), [
    (L.H_GRADE, 5, "Moderator grade 5 is not on the drop-down; allowed: 1, 2, 3, 4"),
    (L.H_GRADE, "Good", "“Good” is not on the drop-down"),
    (L.H_GRADE, 2.5, "2.5 is not on the drop-down"),
    (L.H_GRADE, 0, "Moderator grade 0 is not on the drop-down"),
    (L.H_AGREE, "yes", "Agree? “yes” is not on the drop-down; allowed: Yes, No"),
    (L.H_AGREE, "Y", "Agree? “Y” is not on the drop-down"),
    (L.H_SCALING, 7, "Scaling of audit (A) 7 is not on the drop-down"),
])
def test_values_off_the_drop_down_are_refused(tmp_path: Path, cli: Any, header: str,
                                              value: Any, says: str) -> None:
    folder, out = export(cli, tmp_path)
    case, path, _, _ = pick(folder, "core", "complete")
    edits = {L.H_AGREE: "No", L.H_GRADE: 1, L.H_COMMENT: "Reason."}
    edits[header] = value
    before = path.read_bytes()
    edit_panel(out, {case: edits})
    result = cli("import-xlsx", out)
    assert result.exit_code == 1
    assert says in result.output
    assert "1 refused" in result.output
    assert path.read_bytes() == before


@pytest.mark.parametrize(("edits", "says"), [
    ({L.H_AGREE: "No", L.H_GRADE: 1}, "give the reason in the comments"),
    ({L.H_AGREE: "No", L.H_COMMENT: "x"}, "there is no moderator grade"),
    ({L.H_GRADE: 1}, "Agree? is blank; choose Yes or No"),
])
def test_a_row_that_contradicts_itself_is_refused(tmp_path: Path, cli: Any,
                                                  edits: dict[str, Any], says: str) -> None:
    folder, out = export(cli, tmp_path)
    case, path, _, _ = pick(folder, "core", "complete")
    before = path.read_bytes()
    edit_panel(out, {case: edits})
    result = cli("import-xlsx", out)
    assert result.exit_code == 1 and says in result.output
    assert path.read_bytes() == before


def test_agree_with_a_different_grade_is_refused(tmp_path: Path, cli: Any) -> None:
    folder, out = export(cli, tmp_path)
    case, _, doc, tmpl = pick(folder, "core", "complete")
    grade = other_grade(role(doc, tmpl, "overall_grade"))
    edit_panel(out, {case: {L.H_AGREE: "Yes", L.H_GRADE: grade}})
    result = cli("import-xlsx", out)
    assert result.exit_code == 1
    assert f"Agree? is Yes but the moderator grade {grade} differs" in result.output


def test_a_draft_audit_is_refused_and_other_rows_still_recorded(tmp_path: Path,
                                                                cli: Any) -> None:
    folder, out = export(cli, tmp_path)
    draft, draft_path, _, _ = pick(folder, "team-manager", "draft")
    case, path, _, _ = pick(folder, "core", "complete")
    before = draft_path.read_bytes()
    edit_panel(out, {draft: {L.H_AGREE: "No", L.H_GRADE: 1, L.H_COMMENT: "Weak."},
                     case: {L.H_AGREE: "Yes", L.H_SCALING: 2}})
    result = cli("import-xlsx", out)
    assert result.exit_code == 1
    assert "only a complete audit can be moderated" in result.output
    assert draft_path.read_bytes() == before
    loaded = load(path)
    assert loaded.document is not None and loaded.document.status == "moderated"


def test_dry_run_writes_nothing(tmp_path: Path, cli: Any) -> None:
    folder, out = export(cli, tmp_path)
    case, path, _, _ = pick(folder, "core", "complete")
    before = path.read_bytes()
    edit_panel(out, {case: {L.H_AGREE: "Yes", L.H_SCALING: 3}})
    result = cli("import-xlsx", out, "--dry-run")
    assert result.exit_code == 0 and "1 would change" in result.output
    assert "moderation.scaling: (blank) -> 3" in result.output
    assert path.read_bytes() == before


def test_paths_are_relative_to_the_workbook_so_both_can_move(tmp_path: Path,
                                                             cli: Any) -> None:
    first = tmp_path / "first"
    first.mkdir()
    folder, out = export(cli, first)
    case, path, _, _ = pick(folder, "core", "complete")
    edit_panel(out, {case: {L.H_AGREE: "Yes", L.H_SCALING: 3}})
    moved = tmp_path / "moved"
    shutil.copytree(first, moved)
    original = path.read_bytes()
    result = cli("import-xlsx", moved / "panel.xlsx", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["changed"] == 1 and report["refused"] == 0
    changed = [r for r in report["rows"] if r["status"] == "changed"]
    assert [r["path"] for r in changed] == [str(moved / "audits" / path.name)]
    assert path.read_bytes() == original
    assert (moved / "audits" / path.name).read_bytes() != original


def test_the_same_audit_twice_is_refused(tmp_path: Path, cli: Any) -> None:
    folder, out = export(cli, tmp_path)
    case, _, _, _ = pick(folder, "core", "complete")
    edit_panel(out, {case: {L.H_AGREE: "Yes", L.H_SCALING: 3}})
    wb = load_workbook(out)
    ws = wb[CORE_SHEET]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == case)
    ws.append(list(row))
    wb.save(out)
    result = cli("import-xlsx", out)
    assert result.exit_code == 1
    assert "the same audit is on row" in result.output and "1 changed" in result.output


def test_a_workbook_not_written_by_export_is_a_usage_error(tmp_path: Path, cli: Any) -> None:
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook")
    result = cli("import-xlsx", text)
    assert result.exit_code == 2 and "not an .xlsx workbook" in result.output
    other = tmp_path / "other.xlsx"
    wb = Workbook()
    wb.active.title = "Sheet1"
    wb.save(other)
    result = cli("import-xlsx", other)
    assert result.exit_code == 2 and "has no “Audits” sheet" in result.output
    _, out = export(cli, tmp_path)
    wb = load_workbook(out)
    ws = wb[CORE_SHEET]
    for cell in ws[1]:
        if cell.value == L.H_HASH:
            cell.value = "hash"
    wb.save(out)
    result = cli("import-xlsx", out)
    assert result.exit_code == 2 and f"“{L.H_HASH}”" in result.output
    assert cli("import-xlsx", tmp_path / "missing.xlsx").exit_code == 2


def test_panel_dates_in_the_future_or_before_the_audit_are_refused(tmp_path: Path,
                                                                   cli: Any) -> None:
    folder, out = export(cli, tmp_path)
    case, path, doc, tmpl = pick(folder, "core", "complete")
    before = path.read_bytes()
    edit_panel(out, {case: {L.H_AGREE: "Yes", L.H_SCALING: 3}})
    result = cli("import-xlsx", out, "--date", "2026-11-24")
    assert result.exit_code == 2 and "is in the future" in result.output
    early = role(doc, tmpl, "audit_date") - dt.timedelta(days=1)
    result = cli("import-xlsx", out, "--date", early.isoformat())
    assert result.exit_code == 1 and "is before the audit date" in result.output
    assert path.read_bytes() == before


def test_rows_without_a_decision_are_counted_not_touched(tmp_path: Path, cli: Any) -> None:
    folder, out = export(cli, tmp_path)
    snapshot = {p: p.read_bytes() for p in folder.glob("*.toml")}
    result = cli("import-xlsx", out)
    assert result.exit_code == 0
    prefilled = sum(1 for r in _rows(out) if r[L.H_AGREE])
    blank = len(_rows(out)) - prefilled
    assert f"0 changed, {prefilled} unchanged, 0 refused, {blank} without a decision" \
        in result.output
    assert snapshot == {p: p.read_bytes() for p in folder.glob("*.toml")}


def test_a_redacted_workbook_never_writes_a_pseudonym_into_an_audit(tmp_path: Path,
                                                                    cli: Any) -> None:
    folder = copy_samples(tmp_path)
    before = {p.name: p.read_bytes() for p in folder.glob("*.toml")}
    out = tmp_path / "panel.xlsx"
    assert cli("export-xlsx", folder, "-o", out, "--redact").exit_code == 0
    # The moderated core sample names the child in the panel's reason; the workbook holds
    # the pseudonym instead. Importing it untouched must change nothing at all.
    untouched = cli("import-xlsx", out, "--date", PANEL_DATE)
    assert untouched.exit_code == 0, untouched.output
    assert {p.name: p.read_bytes() for p in folder.glob("*.toml")} == before
    assert not any("Child " in line and "->" in line for line in untouched.output.splitlines())

    # A panel that types new text around a pseudonym is refused, and nothing is written.
    wb = load_workbook(out)
    ws = wb[CORE_SHEET]
    header = {cell.value: cell.column for cell in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1)
               if "Child " in str(ws.cell(r, header[L.H_COMMENT]).value or ""))
    alias = str(ws.cell(row, header[L.H_CHILD_REDACTED]).value)
    ws.cell(row, header[L.H_COMMENT]).value = f"Panel discussed {alias} again: grade stands."
    wb.save(out)
    refused = cli("import-xlsx", out, "--date", PANEL_DATE)
    assert refused.exit_code == 1
    assert f"holds a pseudonym ({alias})" in refused.output
    assert {p.name: p.read_bytes() for p in folder.glob("*.toml")} == before
