"""`qaudit validate` as a user runs it: output format, exit codes, batches, folders."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from builders import complete_audit
from conftest import SAMPLES

LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<level>error|warning) "
                  r"(?P<rule>[a-z-]+) (?P<message>.+)$")


def test_clean_audit_exits_0(cli, tmp_path: Path) -> None:
    path = complete_audit(tmp_path)
    result = cli("validate", path)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1 file checked: no problems"


def test_one_finding_a_line_and_exit_1(cli, tmp_path: Path) -> None:
    path = complete_audit(tmp_path)
    text = path.read_text(encoding="utf-8")
    text = text.replace("[answers.q9]\ngrade = 3", "[answers.q9]\ngrade = 0")
    path.write_text(text, encoding="utf-8")
    result = cli("validate", path)
    assert result.exit_code == 1
    first, summary = result.output.strip().splitlines()
    match = LINE.match(first)
    assert match, first
    assert match["path"] == str(path) and match["rule"] == "grade-value"
    line_text = text.splitlines()[int(match["line"]) - 1]
    assert line_text == "grade = 0" or line_text.startswith("grade = 0 ")
    assert int(match["col"]) == len("grade = ") + 1
    assert "no half gradings" not in match["message"] or "rating of 0" in match["message"]
    assert "Nor should a rating of 0 be applied" in match["message"]
    assert summary == "1 error, 0 warnings in 1 of 1 file"


def test_json_format_for_machines(cli, tmp_path: Path) -> None:
    good = complete_audit(tmp_path, name="good.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[audit\n", encoding="utf-8")
    result = cli("validate", "--format", "json", good, bad)
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["files"] == 2 and report["errors"] == 1
    (finding,) = report["findings"]
    assert finding["path"] == str(bad) and finding["rule"] == "toml-syntax"
    assert finding["line"] == 1 and finding["level"] == "error"
    assert set(finding) == {"path", "line", "column", "level", "rule", "key", "message"}


def test_one_bad_file_never_stops_the_others(cli, tmp_path: Path) -> None:
    (tmp_path / "a_empty.toml").write_bytes(b"")
    (tmp_path / "b_binary.toml").write_bytes(b"\x00\x00\x01")
    complete_audit(tmp_path, name="c_good.toml")
    (tmp_path / "d_bad.toml").write_text("[audit]\ntemplate = \"nope\"\n", encoding="utf-8")
    result = cli("validate", "--format", "json", tmp_path)
    report = json.loads(result.output)
    assert report["files"] == 4
    assert [(Path(f["path"]).name, f["rule"]) for f in report["findings"]] == [
        ("a_empty.toml", "file-empty"),
        ("b_binary.toml", "file-binary"),
        ("d_bad.toml", "template-unknown"),
    ]
    assert result.exit_code == 1


def test_missing_path_is_reported_and_exit_2_after_checking_the_rest(cli, tmp_path: Path) -> None:
    good = complete_audit(tmp_path)
    result = cli("validate", tmp_path / "nowhere.toml", good)
    assert result.exit_code == 2
    assert "nowhere.toml:1:1: error file-unreadable" in result.output
    assert "1 error, 0 warnings in 1 of 2 files" in result.output


def test_permission_denied_is_reported_not_raised(cli, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    locked = complete_audit(tmp_path, name="locked.toml")
    complete_audit(tmp_path, name="open.toml")
    real = os.open

    def refusing_open(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if os.fspath(path).endswith("locked.toml"):  # root ignores chmod 000, so refuse here
            raise PermissionError(13, "Permission denied")
        return real(path, flags, *args)

    monkeypatch.setattr(os, "open", refusing_open)
    result = cli("validate", tmp_path)
    assert result.exit_code == 2
    assert f"{locked}:1:1: error file-unreadable cannot be read: Permission denied" in result.output
    assert "in 1 of 2 files" in result.output


def test_warnings_pass_unless_strict(cli, tmp_path: Path) -> None:
    path = complete_audit(tmp_path)
    text = path.read_text(encoding="utf-8").replace('status = "complete"', 'status = "draft"')
    text = re.sub(r'(\[answers\.q8\]\ngrade = 3[^\n]*\nevidence = )"[^"]*"', r'\1""', text)
    path.write_text(text, encoding="utf-8")
    result = cli("validate", path)
    assert result.exit_code == 0 and "warning evidence-missing" in result.output
    assert cli("validate", "--strict", path).exit_code == 1


def test_folder_skips_qaudit_toml_and_hidden_folders(cli, tmp_path: Path) -> None:
    complete_audit(tmp_path)
    (tmp_path / "qaudit.toml").write_text("[qaudit]\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.toml").write_text("broken [", encoding="utf-8")
    result = cli("validate", tmp_path)
    assert result.exit_code == 0 and "1 file checked" in result.output


def test_sample_audits_validate(cli) -> None:
    result = cli("validate", SAMPLES)
    assert result.exit_code == 0, result.output
    assert len(list(SAMPLES.glob("*.toml"))) >= 7


def test_no_paths_is_a_usage_error(cli) -> None:
    assert cli("validate").exit_code == 2
