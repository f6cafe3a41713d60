"""Issue 13 item 4: the folder's memory. `new` fills "Audited previously?" and "When?" from the
folder's earlier audits of the case, and says so; validate warns when the same case was
audited with the same template within the folder's reaudit_months (default 12)."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from qaudit.audit.memory import audits_of_case, earlier_audits
from qaudit.templates.catalogue import Catalogue


def _new(cli, folder: Path, template_id: str, case: str, day: str):  # type: ignore[no-untyped-def]
    result = cli("new", "-t", template_id, "-c", case, "--dir", folder, "--audit-date", day)
    assert result.exit_code == 0, result.output
    return result


def test_new_fills_audited_previously_from_the_folder(cli, tmp_path: Path) -> None:
    (tmp_path / "qaudit.toml").write_text("[qaudit]\n", encoding="utf-8")
    (tmp_path / "2025").mkdir()
    _new(cli, tmp_path / "2025", "core", "FICT-700", "2025-06-02")
    _new(cli, tmp_path, "team-manager", "FICT-700", "2026-01-12")
    _new(cli, tmp_path, "core", "FICT-701", "2026-02-02")  # another case: not counted
    result = _new(cli, tmp_path, "team-manager", "FICT-700", "2026-11-02")
    assert ("Case FICT-700 was audited before in this folder: 2026-01-12 (team-manager), "
            "2025-06-02 (core); filled in \"Audited previously?\" and \"When?\"") in result.stderr
    data = tomllib.loads(Path(result.stdout.strip()).read_text("utf-8"))
    assert data["case"]["audited_previously"] == "YES"
    assert data["case"]["audited_previously_when"] == "2026-01-12 (team-manager), 2025-06-02 (core)"
    # The first audit of a case: nothing is claimed, nothing said.
    first = _new(cli, tmp_path, "team-manager", "FICT-702", "2026-11-02")
    assert first.stderr == ""
    assert tomllib.loads(Path(first.stdout.strip()).read_text("utf-8"))["case"][
        "audited_previously"] == ""


def test_core_has_no_such_field_but_new_still_says_so(cli, tmp_path: Path) -> None:
    _new(cli, tmp_path, "core", "FICT-710", "2026-01-12")
    result = _new(cli, tmp_path, "core", "FICT-710", "2026-11-02")
    assert "audited before in this folder: 2026-01-12 (core)" in result.stderr
    assert "filled in" not in result.stderr


def test_the_case_number_inside_the_file_decides(cli, tmp_path: Path) -> None:
    made = _new(cli, tmp_path, "core", "FICT-720", "2026-01-12")
    path = Path(made.stdout.strip())
    path.write_text(path.read_text("utf-8").replace('case_number = "FICT-720"',
                                                    'case_number = "FICT-999"'), "utf-8")
    catalogue = Catalogue()
    assert audits_of_case(tmp_path, "FICT-720", catalogue) == []
    assert earlier_audits(tmp_path, "FICT-720", dt.date(2026, 11, 2), catalogue) == []


def test_validate_warns_on_a_repeat_within_the_period(cli, tmp_path: Path) -> None:
    settings = tmp_path / "qaudit.toml"
    settings.write_text("[qaudit]\n", encoding="utf-8")
    _new(cli, tmp_path, "team-manager", "FICT-730", "2026-01-12")
    _new(cli, tmp_path, "core", "FICT-730", "2026-06-01")  # another template: no warning
    later = Path(_new(cli, tmp_path, "team-manager", "FICT-730", "2026-11-02").stdout.strip())
    result = cli("validate", tmp_path)
    assert result.exit_code == 0  # a warning
    assert result.output.count("case-audited-recently") == 1
    assert (f"{later.name}:") in result.output
    assert ("case FICT-730 was already audited with team-manager on 2026-01-12 "
            "(2026-01-12_FICT-730_team-manager.toml), within the folder's 12 months") \
        in result.output
    assert cli("validate", "--strict", tmp_path).exit_code == 1


def test_the_folder_sets_the_period(cli, tmp_path: Path) -> None:
    folder = tmp_path / "six"
    folder.mkdir()
    (folder / "qaudit.toml").write_text("[qaudit]\nreaudit_months = 6\n", encoding="utf-8")
    _new(cli, folder, "team-manager", "FICT-740", "2026-01-12")
    _new(cli, folder, "team-manager", "FICT-740", "2026-11-02")
    assert "case-audited-recently" not in cli("validate", folder).output
    off = tmp_path / "off"
    off.mkdir()
    (off / "qaudit.toml").write_text("[qaudit]\nreaudit_months = 0\n", encoding="utf-8")
    _new(cli, off, "team-manager", "FICT-741", "2026-10-12")
    _new(cli, off, "team-manager", "FICT-741", "2026-11-02")
    assert "case-audited-recently" not in cli("validate", off).output
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "qaudit.toml").write_text('[qaudit]\nreaudit_months = "a year"\n', encoding="utf-8")
    _new(cli, bad, "team-manager", "FICT-742", "2026-11-02")
    shown = cli("validate", bad).output
    assert "reaudit_months = “a year”" in shown and "give a whole number of months" in shown
