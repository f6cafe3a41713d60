"""import-xlsx records a decision with the moderation use case ``qaudit moderate`` calls
(``edit.moderate.moderate_audit``): the same decision typed into the workbook or given to
``qaudit moderate`` leaves the same bytes on disk, and "in the future" is judged against the
day the import is told is today. Real files, through the CLI and the core."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from qaudit.errors import UsageError
from qaudit.export import layout as L
from qaudit.export.panel_import import import_panel
from qaudit.validate import validate_file
from test_export_xlsx import role
from test_import_xlsx import PANEL_DATE, audit_by_case, edit_panel, export, other_grade, pick

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize("agrees", [True, False], ids=["agrees", "changes-the-grade"])
def test_the_workbook_and_qaudit_moderate_write_the_same_bytes(tmp_path: Path, cli: Any,
                                                               agrees: bool) -> None:
    folder, out = export(cli, tmp_path)
    case, path, doc, tmpl = pick(folder, "core", "complete")
    twin = tmp_path / "twin" / path.name
    twin.parent.mkdir()
    shutil.copyfile(path, twin)
    grade = other_grade(role(doc, tmpl, "overall_grade"))
    said = "Strong chronology; the plan is clear." if agrees else "The analysis is thin."
    if agrees:
        cells = {L.H_AGREE: "Yes", L.H_SCALING: 3, L.H_COMMENT: said}
        options = ["--agree", "--scaling", "3", "--themes", said]
    else:
        cells = {L.H_AGREE: "No", L.H_GRADE: grade, L.H_SCALING: 2, L.H_COMMENT: said}
        options = ["--grade", str(grade), "--reason", said, "--scaling", "2"]
    edit_panel(out, {case: cells})

    imported = cli("import-xlsx", out, "--date", PANEL_DATE)
    assert imported.exit_code == 0 and "1 changed" in imported.output, imported.output
    moderated = cli("moderate", twin, "--date", PANEL_DATE, *options)
    assert moderated.exit_code == 0, moderated.output
    assert "moderated" in moderated.output
    assert path.read_bytes() == twin.read_bytes()  # one use case, one write path
    assert "[panel_digest]" in path.read_text(encoding="utf-8")
    assert validate_file(path, TODAY).findings == []


def test_the_panel_date_is_judged_against_the_day_given_as_today(tmp_path: Path,
                                                                 cli: Any) -> None:
    folder, out = export(cli, tmp_path)
    case, path, _, _ = pick(folder, "core", "complete")
    edit_panel(out, {case: {L.H_AGREE: "Yes", L.H_SCALING: 3}})
    before = path.read_bytes()
    panel = dt.date.fromisoformat(PANEL_DATE)
    with pytest.raises(UsageError) as future:
        import_panel(out, panel, today=panel - dt.timedelta(days=1))
    assert "is in the future" in future.value.message
    assert path.read_bytes() == before
    result = import_panel(out, panel, today=panel)
    assert result.count("changed") == 1 and result.count("refused") == 0
    assert path.read_bytes() != before


def test_a_row_the_validate_rules_refuse_is_not_written_and_the_rest_are(
        tmp_path: Path, cli: Any) -> None:
    """The panel met between two audits' dates: the later audit's row is refused with the
    date-order reason (moderation comes after the audit) and the earlier one recorded."""
    folder, out = export(cli, tmp_path)
    audits = audit_by_case(folder).items()
    dated = sorted((role(d, t, "audit_date"), c, p) for c, (p, d, t) in audits
                   if t.id == "core" and d.status == "complete")
    (first_day, first, first_path), (last_day, last, last_path) = dated[0], dated[-1]
    assert first_day < last_day
    edit_panel(out, {first: {L.H_AGREE: "Yes", L.H_SCALING: 3},
                     last: {L.H_AGREE: "Yes", L.H_SCALING: 3}})
    before = last_path.read_bytes()
    result = import_panel(out, last_day - dt.timedelta(days=1), today=TODAY)
    refused = [o for o in result.outcomes if o.refused]
    assert [o.path for o in refused] == [str(last_path)]
    assert "is before the audit date" in refused[0].refused
    assert last_path.read_bytes() == before
    assert [o.path for o in result.outcomes if o.changes] == [str(first_path)]
    assert "status = \"moderated\"" in first_path.read_text(encoding="utf-8")
