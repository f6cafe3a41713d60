"""A screen a person can read: at an 80-column terminal no line is wider than 80 and no date
is split across lines; piped, `validate` keeps one finding a line (pre-commit, editors).

The terminal is forced the way rich honours it (TTY_COMPATIBLE=1, https://force-color.org);
NO_COLOR keeps colour off, and what bold escapes remain are stripped before measuring.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import CASES, SAMPLES, TODAY
from qaudit.cli.app import app

ANSI = re.compile(r"\x1b\[[0-9;]*m")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A date cut at a line end: "2026-" / "2026-06" at the end of one line, or a day/month
# ("05", "06-05") starting the next one.
CUT_END = re.compile(r"(?:^|\s)\d{4}-(?:\d{2})?-?$")
CUT_START = re.compile(r"^\s*\d{2}(?:-\d{2})?(?:\s|$|[),;.:])")
MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"


def run(*args: str | Path, terminal: bool, columns: int = 80) -> Any:
    env = {"QAUDIT_TODAY": TODAY, "NO_COLOR": "1", "COLUMNS": str(columns),
           "TTY_COMPATIBLE": "1" if terminal else "0"}
    return CliRunner().invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)


def lines_of(text: str) -> list[str]:
    return ANSI.sub("", text).splitlines()


def assert_fits(text: str, width: int = 80) -> list[str]:
    lines = lines_of(text)
    assert lines, "no output"
    too_wide = [line for line in lines if len(line) > width]
    assert too_wide == [], too_wide
    for above, below in zip(lines, lines[1:], strict=False):
        assert not CUT_END.search(above), (above, below)
        assert not re.search(r"\b\d{1,2}$", above) or not re.match(rf"\s*{MONTHS}\b",
                                                                       below), (above, below)
        assert not re.search(rf"\b{MONTHS}$", above) or not re.match(r"\s*\d{4}\b", below), (
            above, below)
    return lines


def test_validate_wraps_at_a_terminal_with_the_head_whole(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES.parent.parent)  # paths as pre-commit passes them: relative
    result = run("validate", "tests/cases", terminal=True)
    lines = assert_fits(result.stdout)
    # The 600-character grade-value message: its head on the first line, the rest indented.
    at = next(i for i, line in enumerate(lines) if "grade_half.toml:" in line)
    assert re.match(r"\S+grade_half\.toml:\d+:\d+: error grade-value", lines[at])
    assert lines[at + 1].startswith("    ") and lines[at + 2].startswith("    ")
    # Every word of the piped finding is there, in order (wrapping only moved spaces).
    piped = run("validate", "tests/cases", terminal=False).stdout.splitlines()
    whole = next(line for line in piped if "grade_half.toml:" in line)
    following = []
    for line in lines[at + 1:]:
        if not line.startswith("    "):
            break
        following.append(line.strip())
    assert " ".join([lines[at], *following]).split() == whole.split()


def test_validate_piped_is_one_finding_a_line() -> None:
    result = run("validate", CASES, terminal=False)
    lines = result.stdout.splitlines()
    findings, summary = lines[:-1], lines[-1]
    assert "error" in summary and "files" in summary
    assert len(findings) > 50
    pattern = re.compile(r"^\S.*:\d+:\d+: (error|warning) [a-z0-9-]+ \S")
    assert [line for line in findings if not pattern.match(line)] == []
    assert any(len(line) > 300 for line in findings), "long findings stay on one line"
    assert "\x1b[" not in result.stdout


def test_templates_fit_without_cutting_titles() -> None:
    result = run("templates", terminal=True)
    lines = assert_fits(result.stdout)
    row = next(i for i, line in enumerate(lines) if line.startswith("team-manager "))
    title = lines[row][23:50].strip() + " " + lines[row + 1].strip()  # the title's column
    assert title == "Understanding Our Practice – Team Managers' Audit"
    assert "…" not in result.stdout
    piped = run("templates", terminal=False).stdout
    assert not set("┏┃━│└┡╇") & set(piped)
    assert "Understanding Our Practice – Team Managers' Audit" in piped


def test_templates_readme_example_is_the_real_output() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    shown = readme.split("$ qaudit templates\n", 1)[1].split("\n\n$ ", 1)[0]
    assert ANSI.sub("", run("templates", terminal=True).stdout).rstrip("\n") == shown


def test_due_explanation_fits() -> None:
    result = run("due", "2026-12-18", "--working-days", "10", terminal=True)
    lines = assert_fits(result.stdout)
    assert len(lines) > 1
    assert "Fri 25 Dec" in result.stdout and "Mon 28 Dec" in result.stdout
    piped = run("due", "2026-12-18", "--working-days", "10", terminal=False).stdout
    assert len(piped.splitlines()) == 1 and len(piped) > 80


def test_moderate_summary_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SAMPLES.parent)  # as the README runs it: paths relative to the project
    result = run("moderate", "--summary", "sample_audits", terminal=True)
    assert result.exit_code == 0, result.output
    assert_fits(result.stdout)
    assert "…" not in result.stdout
    piped = run("moderate", "--summary", "sample_audits", terminal=False).stdout
    assert not set("┏┃━│└┡╇") & set(piped)
    assert any("Contextual safeguarding plans lacking response rules" in line
               for line in piped.splitlines())


def test_actions_list_fits_and_never_cuts_an_action(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SAMPLES.parent)  # as the README runs it: paths relative to the project
    args = ("actions", "list", "sample_audits", "--team", "children in need", "--status",
            "open")
    result = run(*args, terminal=True)
    assert result.exit_code == 0, result.output
    lines = assert_fits(result.stdout)
    assert "…" not in result.stdout
    joined = " ".join(line.strip() for line in lines)
    assert ("Add bottom lines and response rules (what happens on days Kerry cannot get up) "
            "to the CIN plan and share with the network.") in joined
    piped = run(*args, terminal=False).stdout.splitlines()
    assert ("1. Add bottom lines and response rules (what happens on days Kerry cannot get "
            "up) to the CIN plan and share with the network.") in piped


def test_actions_readme_example_is_the_real_output(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SAMPLES.parent)  # the README runs it from the project's folder
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    command = '$ qaudit actions sample_audits --team "children in need" --status open\n'
    shown = readme.split(command, 1)[1].split("```", 1)[0]
    real = run("actions", "sample_audits", "--team", "children in need", "--status", "open",
               terminal=True)
    assert ANSI.sub("", real.stdout) == shown


@pytest.mark.parametrize("terminal", [True, False])
def test_error_line_wraps_only_at_a_terminal(tmp_path: Path, terminal: bool) -> None:
    result = run("new", "-t", "core", "-c", "FICT-1", "--team", "A Team", "--auditor", "R. A",
                 "--dir", tmp_path, "--audit-date", "2026-02-30", terminal=terminal)
    assert result.exit_code == 2
    lines = lines_of(result.stderr)
    assert lines[0].startswith("qaudit: error: ")
    assert "2026-02-30" in " ".join(lines) and "YYYY-MM-DD" in " ".join(lines)
    if terminal:
        assert len(lines) > 1
        assert_fits(result.stderr)
    else:
        assert len(lines) == 1
