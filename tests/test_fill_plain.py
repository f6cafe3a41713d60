"""The plain mode of `qaudit fill` and `qaudit moderate` (no line editing: a pipe, TERM=dumb,
a screen reader), through the CLI with scripted input: text ends with a "." line so one paste
is one answer, Ctrl-C / end of input keep typed text, `b` goes back, a refused record field is
asked again alone, the editor falls back sensibly, and no Python representation is shown."""

from __future__ import annotations

import datetime as dt
import os
import stat
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from builders import blank_audit
from qaudit.audit.reader import lookup
from qaudit.cli import fill_prompt, line_input
from qaudit.fill.drafts import draft_path, keep_draft, read_drafts


def value(path: Path, key: str) -> Any:
    return lookup(tomllib.loads(path.read_text(encoding="utf-8")), key)


def keyboard(monkeypatch: pytest.MonkeyPatch, script: list[str | type[BaseException]]) -> None:
    """Type ``script`` line by line at the plain reader; an exception class is that key."""
    typed: Iterator[str | type[BaseException]] = iter(script)

    def fake_input(prompt: str = "") -> str:
        print(prompt, end="")
        line = next(typed, EOFError)
        if isinstance(line, str):
            print(line)
            return line
        raise line()

    monkeypatch.setattr(line_input, "input", fake_input, raising=False)


def test_plain_mode_is_chosen_for_pipes_and_dumb_terminals(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert line_input.wants_plain_input()  # pytest's stdin is not a terminal
    assert isinstance(line_input.make_reader(), line_input.PlainReader)
    monkeypatch.setenv("TERM", "dumb")
    assert line_input.wants_plain_input()


def test_ctrl_c_mid_text_then_yes_saves_the_text(tmp_path: Path, cli,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = blank_audit(tmp_path)
    keyboard(monkeypatch, ["3", "First line", "", "after a blank line", KeyboardInterrupt, "y"])
    result = cli("fill", "--plain", path, "--question", "q4")
    assert result.exit_code == 130
    assert "Ctrl-C: you had typed 3 lines for answers.q4.evidence." in result.output
    assert "saved answers.q4.evidence (3 lines)" in result.output
    assert "Interrupted: 2 answer(s) saved" in result.output
    assert "Not saved" not in result.output and "Traceback" not in result.output
    assert value(path, "answers.q4.evidence") == "First line\n\nafter a blank line"
    assert not draft_path(path).exists()


def test_end_of_input_mid_text_keeps_a_draft_the_next_fill_offers_back(
        tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    first = cli("fill", path, "--question", "q4", input="3\nHalf-written evidence\n")
    assert first.exit_code == 0
    assert "End of input: 1 answer(s) saved" in first.output
    assert ("Not saved: the text typed for answers.q4.evidence (1 line), kept as a draft in "
            ".audit.toml.qaudit-draft; the next `qaudit fill` offers it back.") in first.output
    assert value(path, "answers.q4.evidence") == ""
    assert read_drafts(path) == {"answers.q4.evidence": "Half-written evidence"}
    # validate never takes the draft for an audit
    assert cli("validate", tmp_path).exit_code in (0, 1)
    assert ".qaudit-draft" not in cli("validate", tmp_path).output

    second = cli("fill", path, input="y\n")
    assert "1 draft(s) kept from last time" in second.output
    assert "Draft kept from last time (1 line):\nHalf-written evidence" in second.output
    assert value(path, "answers.q4.evidence") == "Half-written evidence"
    assert not draft_path(path).exists()  # gone with its last answer


def _draft_then_newer_answer(path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    first = cli("fill", "--plain", path, "--question", "q4", input="3\nStale line one\nStale two\n")
    assert "kept as a draft" in first.output
    assert read_drafts(path) == {"answers.q4.evidence": "Stale line one\nStale two"}
    newer = cli("fill", path, "--set", "answers.q4.evidence=Newer answer from the form")
    assert newer.exit_code == 0, newer.output


def test_a_stale_draft_never_replaces_a_newer_answer_by_default(
        tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    _draft_then_newer_answer(path, cli)
    result = cli("fill", "--plain", path, input="\n")
    assert "answers.q4.evidence has a newer answer than the draft kept last time." in result.output
    assert ("Answer now in the file:\nNewer answer from the form\n"
            "Draft kept from last time (2 lines):\nStale line one\nStale two") in result.output
    assert "[k]:" in result.output and "Use it?" not in result.output
    assert value(path, "answers.q4.evidence") == "Newer answer from the form"
    assert not draft_path(path).exists()


def test_a_stale_draft_is_taken_back_only_when_chosen(
        tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    _draft_then_newer_answer(path, cli)
    result = cli("fill", "--plain", path, input="d\ny\n")
    assert "Use it? y = save it as it is" in result.output
    assert value(path, "answers.q4.evidence") == "Stale line one\nStale two"


def test_a_draft_over_an_unchanged_answer_is_offered_as_before(
        tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    cli("fill", path, "--set", "answers.q4.evidence=Old answer")
    keep_draft(path, "answers.q4.evidence", "Draft text", "Old answer")
    result = cli("fill", "--plain", path, input="y\n")
    assert "newer answer" not in result.output
    assert value(path, "answers.q4.evidence") == "Draft text"


def test_a_draft_for_a_refused_one_line_value_stays_a_draft(tmp_path: Path) -> None:
    path = blank_audit(tmp_path)
    keep_draft(path, "answers.q4.evidence", 'Text with "quotes"\nand a second line')
    keep_draft(path, "case.child_name", "Fictional")
    assert read_drafts(path) == {"answers.q4.evidence": 'Text with "quotes"\nand a second line',
                                 "case.child_name": "Fictional"}
    assert "never commit it" in draft_path(path).read_text(encoding="utf-8")


def test_b_goes_back_and_enter_keeps_the_answer_given(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    result = cli("fill", path, "--section", "assessment", input="3\nb\n4\ns\nb\n\nb\nb\nb\nq\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("Back to the previous question.") == 4
    assert "Grade [3 Good]:" in result.output and "Grade [4 Outstanding]:" in result.output
    assert "This is the first question of this walk" in result.output
    assert value(path, "answers.q4.grade") == 4


def test_plain_text_ends_with_a_dot_line_so_blank_lines_stay_inside(
        tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    pasted = "Para one.\n\n\nPara two.\n  indented line\n"
    result = cli("fill", path, "--section", "assessment", input=f"3\n{pasted}.\n2\n")
    assert result.exit_code == 0
    assert value(path, "answers.q4.evidence") == "Para one.\n\n\nPara two.\n  indented line"
    assert value(path, "answers.q5.grade") == 2


def test_a_refused_record_field_is_asked_again_alone(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    # recorded before the supervision itself: refused on the spot; date and kind are kept
    result = cli("fill", path, "--add", "event",
                 input="supervision\n03/06/2026\n2026-06-01\n05/06/2026\nyes\n\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Not accepted: recorded 2026-06-01 is before the supervision itself" in out
    assert out.count("Date (required):") == 1
    assert "saved events[0]" in out and "date = Wed 03 Jun 2026" in out
    assert "reflective = yes" in out and "datetime" not in out and "{'" not in out
    assert value(path, "events") == [{"date": dt.date(2026, 6, 3), "kind": "supervision",
                                      "recorded": dt.date(2026, 6, 5), "reflective": True}]


def test_event_kinds_are_listed_in_columns(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    result = cli("fill", path, "--add", "event", input="q\n")
    rows = [row for row in result.output.splitlines() if "supervision" in row]
    assert rows and len(rows[0].split()) >= 3  # several kinds a row, not one paragraph
    assert "Stopped; nothing more was written." in result.output


def _program(folder: Path, name: str, body: str) -> Path:
    script = folder / name
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_editor_falls_back_to_one_that_exists_nano_before_vi(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _program(bin_dir, "vi", "exit 0")
    nano = _program(bin_dir, "nano", "exit 0")
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("EDITOR", "no-such-editor --wait")
    monkeypatch.delenv("VISUAL", raising=False)
    assert fill_prompt.editor_command() == [str(nano)]
    nano.unlink()
    assert fill_prompt.editor_command() == [str(bin_dir / "vi")]
    monkeypatch.setenv("VISUAL", "vi -n")
    assert fill_prompt.editor_command() == ["vi", "-n"]


def test_no_editor_or_a_failing_one_returns_to_the_prompt(
        tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("EDITOR", "nano")
    monkeypatch.delenv("VISUAL", raising=False)
    result = cli("fill", path, "--question", "q4", input="3\ne\nTyped here instead\n.\n")
    assert result.exit_code == 0, result.output
    assert "no editor found: set $EDITOR" in result.output
    assert value(path, "answers.q4.evidence") == "Typed here instead"

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _program(bin_dir, "broken", "exit 3")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/usr/bin:/bin")
    monkeypatch.setenv("EDITOR", "broken")
    again = cli("fill", path, "--question", "q4", input="\ne\nStill here\n.\n")
    assert "the editor broken stopped with an error (exit 3)" in again.output
    assert value(path, "answers.q4.evidence") == "Still here"


def test_the_question_marks_help_gives_the_full_rule(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    result = cli("fill", path, "--question", "q4", input="2.5\n?\n3\n")
    refusal = [line for line in result.output.splitlines() if "Not accepted" in line]
    assert len(refusal) == 1 and "half grades" in refusal[0]
    assert "Template rule: Guidance 3 and 4" in result.output
    assert value(path, "answers.q4.grade") == 3


def test_cross_field_checks_refuse_a_date_at_the_prompt(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    from builders import complete_audit

    path = complete_audit(tmp_path, "core", status="draft")  # audit 2026-10-02, today 11-23
    future = cli("fill", path, "--question", "case.family_feedback_date",
                 input="25/12/2026\n30/10/2026\n")
    assert "2026-12-25 is in the future (today is 2026-11-23)" in future.output
    assert value(path, "case.family_feedback_date") == dt.date(2026, 10, 30)
    after = cli("fill", path, "--question", "case.practitioner_meeting_date",
                input="2026-10-30\n\n")
    assert "is before the practitioner meeting date 2026-10-30" in after.output
    assert "0 answer(s) saved" in after.output
    assert value(path, "case.practitioner_meeting_date") == dt.date(2026, 10, 1)


def test_grade_descriptors_on_question_mark(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    from builders import blank_audit as blank

    path = blank(tmp_path, "team-manager")
    result = cli("fill", path, "--question", "sections.risk.grade", input="?\n3\n")
    assert result.exit_code == 0, result.output
    before, _, after = result.output.partition("Key: sections.risk.grade")
    assert "Grade descriptors:" not in before  # not on the question itself
    assert "Grade descriptors:" in after and "4 Outstanding: It meets good consistently" in after
    assert value(path, "sections.risk.grade") == 3
