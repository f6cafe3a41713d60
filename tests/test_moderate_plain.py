"""`qaudit moderate` at the prompt in plain mode (scripted input through the CLI): a refused
field asked again alone, `b` back a field, a disagreeing panel must give its grade, and
stopping writes nothing."""

from __future__ import annotations

from pathlib import Path

from builders import complete_audit
from qaudit.audit.reader import read_audit


def test_disagreeing_needs_a_grade_and_b_goes_back_a_field(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = complete_audit(tmp_path, "core")
    # date, moderator, scaling 2, then b: back to the scaling, 3; disagree; grade blank
    # (refused: required), 2; reason; actions skipped; themes
    answers = ("21/11/2026\nFictional Panel\n2\nb\n3\nno\n\n2\nRisk underplayed\n.\n\n"
               "Supervision\n.\n")
    result = cli("moderate", path, input=answers)
    assert result.exit_code == 0, result.output
    assert "is required" in result.output
    doc = read_audit(path)
    assert doc is not None
    assert doc.get("moderation.scaling") == 3
    assert doc.get("moderation.changed_grade") == 2
    assert doc.get("moderation.change_reason") == "Risk underplayed"
    assert doc.get("audit.status") == "moderated"
    assert "datetime" not in result.output and "{'" not in result.output


def test_stopping_writes_nothing_and_gives_typed_text_back(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = complete_audit(tmp_path, "core")
    before = path.read_bytes()
    result = cli("moderate", path, input="21/11/2026\n\n3\nyes\nHalf a thought\n")
    assert "end of input: stopped; nothing was written" in result.output
    assert "Half a thought" in result.output.split("to copy:")[1]
    assert path.read_bytes() == before
    quit_ = cli("moderate", path, input="q\n")
    assert quit_.exit_code == 0 and "Stopped; nothing was written" in quit_.output
    assert path.read_bytes() == before
