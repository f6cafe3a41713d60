"""A panel that does not agree but gives the auditor's own grade is refused everywhere
(options, the prompt, the workbook), and an untouched exported workbook imports as unchanged,
even for an older audit that recorded such a "changed" grade: the export shows what is
recorded, so a re-import never blanks the panel's reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from builders import complete_audit
from qaudit.audit.reader import read_audit
from qaudit.audit.writer import AuditEditor
from qaudit.export import layout as L
from qaudit.moderation.record import mark_moderated
from test_import_xlsx import audit_sheets, edit_panel, export, pick

SAME = "the panel's grade equals the auditor's; answer yes to agree, or give a different grade"


def test_moderate_options_refuse_a_changed_grade_equal_to_the_auditors(
        cli: Any, tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "core")  # auditor's overall grade: 3
    before = path.read_bytes()
    result = cli("moderate", path, "--date", "2026-11-21", "--moderator", "X",
                 "--scaling", "3", "--grade", "3", "--reason", "Panel disagrees")
    assert result.exit_code == 2
    assert SAME in " ".join(result.output.split())
    assert path.read_bytes() == before


def test_the_prompt_asks_the_grade_again_when_it_equals_the_auditors(
        cli: Any, tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "core")
    answers = ("21/11/2026\nFictional Panel\n3\nno\n3\n2\nRisk underplayed\n.\n\n"
               "Supervision\n.\n")
    result = cli("moderate", path, input=answers)
    assert result.exit_code == 0, result.output
    assert SAME in " ".join(result.output.split())
    doc = read_audit(path)
    assert doc is not None
    assert doc.get("moderation.changed_grade") == 2
    assert doc.get("moderation.change_reason") == "Risk underplayed"


def test_the_workbook_refuses_no_with_the_auditors_grade(cli: Any, tmp_path: Path) -> None:
    folder, out = export(cli, tmp_path)
    case, path, doc, tmpl = pick(folder, "core", "complete")
    before = path.read_bytes()
    grade = doc.get(tmpl.role_path("overall_grade"))
    edit_panel(out, {case: {L.H_AGREE: "No", L.H_GRADE: grade, L.H_COMMENT: "Why not."}})
    result = cli("import-xlsx", out)
    assert result.exit_code == 1 and "is the auditor's own grade" in result.output
    assert path.read_bytes() == before


def test_an_untouched_export_imports_unchanged_after_moderating(cli: Any,
                                                                tmp_path: Path) -> None:
    folder, _ = export(cli, tmp_path)
    case, path, _, tmpl = pick(folder, "core", "complete")
    result = cli("moderate", path, "--date", "2026-11-21", "--scaling", "3",
                 "--grade", "2", "--reason", "Panel disagrees")
    assert result.exit_code == 0, result.output
    # An audit written before the refusal: a "changed" grade equal to the auditor's.
    older = complete_audit(folder, "core", "2026-10-03_FICT-900002_core.toml")
    editor = AuditEditor(older)
    editor.set("case.case_number", "FICT-900002")
    for key, value in (("moderation.date", dt.date(2026, 11, 21)), ("moderation.scaling", 3),
                       ("moderation.changed_grade", 3),
                       ("moderation.change_reason", "Panel disagrees")):
        editor.set(key, value)
    mark_moderated(editor, tmpl)
    editor.save()
    out = tmp_path / "again.xlsx"
    exported = cli("export-xlsx", folder, "-o", out)
    assert exported.exit_code == 0, exported.output
    from openpyxl import load_workbook

    rows = [dict(zip([c.value for c in ws[1]], [c.value for c in r], strict=False))
            for ws in audit_sheets(load_workbook(out)) for r in ws.iter_rows(min_row=2)]
    shown = {r[L.H_CASE]: r for r in rows}
    assert shown["FICT-900002"][L.H_AGREE] == "No"
    assert shown["FICT-900002"][L.H_COMMENT] == "Panel disagrees"
    assert shown[case][L.H_AGREE] == "No" and shown[case][L.H_GRADE] == 2
    files = {p: p.read_bytes() for p in folder.glob("*.toml")}
    dry = cli("import-xlsx", out, "--dry-run")
    assert "0 would change" in dry.output and "would change:" not in dry.output, dry.output
    assert "0 refused" in dry.output, dry.output
    real = cli("import-xlsx", out)
    assert "0 changed" in real.output, real.output
    assert {p: p.read_bytes() for p in folder.glob("*.toml")} == files
    assert read_audit(older).get("moderation.change_reason") == "Panel disagrees"  # type: ignore[union-attr]


def test_fill_set_refuses_a_changed_grade_equal_to_the_auditors_as_moderate_does(
        cli: Any, tmp_path: Path) -> None:
    """``--set`` and ``moderate`` check a value with the same core function."""
    path = complete_audit(tmp_path, "core")  # auditor's overall grade: 3
    before = path.read_bytes()
    result = cli("fill", path, "--set", "moderation.changed_grade=3",
                 "--set", "moderation.change_reason=Panel disagrees")
    assert result.exit_code == 1, result.output
    assert SAME in " ".join(result.output.split())
    assert path.read_bytes() == before
    done = cli("fill", path, "--set", "moderation.changed_grade=2",
               "--set", "moderation.change_reason=Panel disagrees")
    assert done.exit_code == 0, done.output
    doc = read_audit(path)
    assert doc is not None and doc.get("moderation.changed_grade") == 2
