"""`qaudit fill --plain` and `qaudit moderate --plain` in a real terminal (tmux), with
prompt_toolkit's line editing: a pasted multi-paragraph answer stays one answer, a bad date is
refused at the prompt, moderate asks only a refused field again, Ctrl-C keeps typed text (as
the answer or as a draft offered back), `b` goes back, and the screen wraps at words.

Every wait polls the screen until the text shows or a timeout passes; no fixed sleeps."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from builders import blank_audit, complete_audit, template
from qaudit.cli.fill_prompt import KEYS

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed, so no real terminal to drive")

WAIT_SECONDS = 30.0
SRC = Path(__file__).resolve().parent.parent / "src"


class Terminal:
    """One tmux session on a private server socket, torn down after the test."""

    def __init__(self, folder: Path, width: int = 100, height: int = 50) -> None:
        self.folder = folder
        self.socket = f"qaudit-test-{uuid.uuid4().hex[:8]}"
        self.session = "fill"
        self.tmux("new-session", "-d", "-s", self.session, "-x", str(width), "-y", str(height),
                  "-c", str(folder), "bash --norc --noprofile")
        self.tmux("set-option", "-t", self.session, "history-limit", "5000")

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True, check=True)
        return done.stdout

    def send(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.session, *keys)

    def type(self, text: str) -> None:
        self.send("-l", text)

    def type_line(self, text: str) -> None:
        self.type(text)
        self.send("Enter")

    def paste(self, text: str) -> None:
        """Paste as a terminal does: bracketed when the program asked for it."""
        buffer = self.folder / f".paste-{uuid.uuid4().hex[:6]}"
        buffer.write_text(text, encoding="utf-8")
        self.tmux("load-buffer", "-b", "paste", str(buffer))
        self.tmux("paste-buffer", "-p", "-d", "-b", "paste", "-t", self.session)
        buffer.unlink()

    def screen(self, joined: bool = True) -> str:
        args = ["-J"] if joined else []
        return self.tmux("capture-pane", "-p", *args, "-S", "-2000", "-t", self.session)

    def wait_for(self, text: str, after: int = 0) -> str:
        """Poll the pane until ``text`` shows more than ``after`` times."""
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            screen = self.screen()
            if screen.count(text) > after:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")
            time.sleep(0.05)

    def then(self, text: str) -> str:
        """Wait for one more ``text`` than the screen shows now."""
        return self.wait_for(text, after=self.screen().count(text))

    def run(self, arguments: str, env_extra: str = "") -> None:
        env = (f"QAUDIT_TODAY=2026-11-23 NO_COLOR=1 PYTHONPATH={shlex.quote(str(SRC))} "
               f"EDITOR=false VISUAL= {env_extra}")
        self.type_line(f"clear; {env}{qaudit_command()} {arguments}; echo EXIT=$?")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def qaudit_command() -> str:
    installed = Path(sys.executable).parent / "qaudit"
    if installed.is_file() and os.access(installed, os.X_OK):
        return shlex.quote(str(installed))
    return f"{shlex.quote(sys.executable)} -m qaudit"


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path)
    try:
        yield term
    finally:
        term.close()


def answers(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["answers"]


def set_values(path: Path, *assignments: str) -> None:
    args = [a for pair in assignments for a in ("--set", pair)]
    done = subprocess.run([sys.executable, "-m", "qaudit", "fill", str(path), *args],
                          capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(SRC)})
    assert done.returncode == 0, done.stderr


PASTED = ("The reason for involvement is clear in the C&F assessment of 04/03.\n"
          "\n"
          "Second paragraph: the danger statement names the father's drinking and its\n"
          "impact on the children.\n"
          "\n"
          "\n"
          "Third paragraph, after two blank lines.")


def test_a_pasted_multi_paragraph_answer_lands_in_one_answer(
        tmp_path: Path, terminal: Terminal) -> None:
    path = blank_audit(tmp_path)
    set_values(path, "q4=3", "q4.evidence=Old evidence", "q5=2", "q5.evidence=Seen on file")
    terminal.run(f"fill --plain {path.name} --section assessment --review")
    terminal.wait_for("Keys: ? help · s skip · b back · q stop · e write in an editor")
    terminal.wait_for("Grade [3 Good]:")
    terminal.send("Enter")  # keeps 3
    terminal.wait_for("Esc then Enter (or Alt-Enter) saves the answer")
    terminal.wait_for("Old evidence")
    terminal.paste(PASTED)
    terminal.wait_for("Third paragraph, after two blank lines.")
    assert "Grade [2 Requires" not in terminal.screen()  # still in q4's evidence
    terminal.send("Escape", "Enter")
    terminal.wait_for("saved answers.q4.evidence (7 lines)")
    terminal.wait_for("Grade [2 Requires Improvement to be Good]:")  # q5, unchanged
    terminal.type_line("q")
    terminal.wait_for("EXIT=0")
    found = answers(path)
    assert found["q4"] == {"grade": 3, "evidence": PASTED}
    assert found["q5"] == {"grade": 2, "evidence": "Seen on file"}


def test_with_term_dumb_a_paste_is_still_one_answer(tmp_path: Path, terminal: Terminal) -> None:
    """No line editing (TERM=dumb, as for a screen reader): text ends with a "." line, and a
    paste of several lines into a one-line answer is refused as one answer, not split."""
    path = blank_audit(tmp_path)
    set_values(path, "q5=2")
    terminal.run(f"fill --plain {path.name} --section assessment --review", "TERM=dumb ")
    terminal.wait_for("Grade:")
    terminal.paste("3\nSpilled line one\nSpilled line two\n")
    terminal.wait_for("Not accepted")
    terminal.type_line("3")
    terminal.wait_for("saved answers.q4.grade = 3 Good")
    terminal.wait_for('then a line with only "." to finish')
    terminal.paste(PASTED + "\n")
    terminal.type_line(".")
    terminal.wait_for("saved answers.q4.evidence (7 lines)")
    terminal.wait_for("Grade [2 Requires Improvement to be Good]:")
    terminal.type_line("q")
    terminal.wait_for("EXIT=0")
    found = answers(path)
    assert found["q4"] == {"grade": 3, "evidence": PASTED}
    assert found["q5"]["grade"] == 2


def test_a_bad_date_is_refused_at_the_prompt(tmp_path: Path, terminal: Terminal) -> None:
    path = blank_audit(tmp_path)
    terminal.run(f"fill --plain {path.name} --question case.audit_date")
    terminal.wait_for("Answers: a date, as 18/11/2026 or 2026-11-18")
    terminal.wait_for("Date:")
    terminal.type_line("31/02/2026")
    screen = terminal.wait_for("Not accepted")
    assert "is not a real date; write it as YYYY-MM-DD or DD/MM/YYYY" in screen
    terminal.type_line("18/12/2026")
    terminal.wait_for("Not accepted: 2026-12-18 is in the future (today is 2026-11-23)")
    terminal.type_line("18/11/2026")
    terminal.wait_for("saved case.audit_date = Wed 18 Nov 2026")
    terminal.wait_for("EXIT=0")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert str(data["case"]["audit_date"]) == "2026-11-18"


def test_moderate_asks_only_the_refused_field_again_then_writes(
        tmp_path: Path, terminal: Terminal) -> None:
    path = complete_audit(tmp_path, "core")  # audit date 2026-10-02
    terminal.run(f"moderate --plain {path.name}")
    terminal.wait_for("Date audit went to moderation panel [Mon 23 Nov 2026]:")
    terminal.type_line("2026-09-01")
    screen = terminal.wait_for("Not accepted")
    assert "the moderation date 2026-09-01 is before the audit date 2026-10-02" in screen
    terminal.type_line("21/11/2026")
    terminal.wait_for("Panel chair / moderator:")
    terminal.type_line("Fictional Panel")
    terminal.wait_for("A: Scaling of audit")
    terminal.type_line("7")
    terminal.wait_for('7 is out of range; allowed: 1, 2, 3 or 4')
    terminal.type_line("3")
    terminal.wait_for("Does the panel agree with the auditor's overall grade (3 Good)?")
    terminal.type_line("")  # yes, the default
    terminal.wait_for("C: Any additional actions:")
    terminal.send("Enter")  # Enter on an empty text answer skips it
    terminal.wait_for("D: Any themes or learning from audit:")
    terminal.type("Chronologies are not kept up to date.")
    terminal.send("Escape", "Enter")
    screen = terminal.wait_for("EXIT=0")
    assert ": moderated (was complete)" in screen
    assert screen.count("Date audit went to moderation panel") == 2  # asked again once
    assert screen.count("Panel chair / moderator:") == 1  # nothing else asked again
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["audit"]["status"] == "moderated"
    assert str(data["moderation"]["date"]) == "2026-11-21"
    assert data["moderation"]["scaling"] == 3
    assert data["moderation"]["moderator"] == "Fictional Panel"
    assert data["moderation"]["themes"] == "Chronologies are not kept up to date."


def test_ctrl_c_mid_text_keeps_the_text_as_a_draft_offered_back(
        tmp_path: Path, terminal: Terminal) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    path = blank_audit(tmp_path)
    terminal.run(f"fill --plain {path.name} --question q4")
    terminal.wait_for("Grade:")
    terminal.type_line("3")
    terminal.wait_for("saved answers.q4.grade = 3 Good")
    terminal.wait_for("Esc then Enter: save")
    terminal.type_line("Two lines typed")
    terminal.type("of evidence")
    terminal.send("C-c")
    terminal.wait_for("Ctrl-C: you had typed 2 lines for answers.q4.evidence.")
    terminal.wait_for("Save it as the answer? y = save it · d = keep it as a draft")
    terminal.type_line("d")
    screen = terminal.wait_for("EXIT=130")
    assert "Not saved: the text typed for answers.q4.evidence (2 lines), kept as a draft" \
        in screen
    assert "Traceback" not in screen
    draft = tmp_path / ".audit.toml.qaudit-draft"
    assert "Two lines typed\nof evidence" in tomllib.loads(draft.read_text())["drafts"].values()
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                            cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert "qaudit-draft" not in status and "audit.toml" in status  # never committed

    terminal.run(f"fill --plain {path.name}")  # the walk comes back for the draft
    terminal.wait_for("1 draft(s) kept from last time")
    terminal.wait_for("Use it? y = save it as it is · e = edit it here")
    terminal.type("e")
    terminal.send("Enter")
    terminal.then("of evidence")
    terminal.type(", seen again.")
    terminal.send("Escape", "Enter")
    terminal.wait_for("saved answers.q4.evidence (2 lines)")
    terminal.wait_for("Child Name:")  # then on to the first unanswered question
    terminal.send("C-d")
    terminal.wait_for("EXIT=0")
    assert answers(path)["q4"] == {"grade": 3,
                                   "evidence": "Two lines typed\nof evidence, seen again."}
    assert not draft.exists()


def test_b_goes_back_to_the_previous_question(tmp_path: Path, terminal: Terminal) -> None:
    path = blank_audit(tmp_path)
    terminal.run(f"fill --plain {path.name} --section assessment")
    terminal.wait_for("Grade:")
    terminal.type_line("3")
    terminal.wait_for("saved answers.q4.grade = 3 Good")
    terminal.wait_for("Evidence and rationale for the rating:")
    terminal.type_line("b")
    terminal.wait_for("Back to the previous question.")
    terminal.wait_for("Grade [3 Good]:")
    terminal.type("2")
    terminal.send("Tab")  # completes the grade's name
    terminal.wait_for("Grade [3 Good]: 2 Requires Improvement to be Good")  # completed
    terminal.send("Enter")
    terminal.wait_for("saved answers.q4.grade = 2 Requires Improvement to be Good")
    terminal.wait_for("Evidence and rationale for the rating:", after=1)
    terminal.type_line("q")
    terminal.wait_for("EXIT=0")
    assert answers(path)["q4"]["grade"] == 2


def test_the_screen_at_80_columns_wraps_at_words(tmp_path: Path) -> None:
    path = blank_audit(tmp_path)
    section = next(s for s in template("core").sections if s.id == "assessment")
    terminal = Terminal(tmp_path, width=80, height=60)
    try:
        terminal.run(f"fill --plain {path.name} --section assessment")
        terminal.wait_for("Grade:")
        rows = terminal.screen(joined=False).splitlines()
    finally:
        terminal.close()
    assert all(len(row) <= 80 for row in rows)
    assert_wrapped_at_words(rows, section.note)
    assert_wrapped_at_words(rows, KEYS)


def assert_wrapped_at_words(rows: list[str], text: str) -> None:
    """The rows showing ``text`` hold its words whole: no word is cut across two rows."""
    words = text.split()
    start = next(i for i, row in enumerate(rows) if row.split()[:3] == words[:3])
    assert len(rows[start]) > 60  # long enough to wrap
    taken: list[str] = []
    for row in rows[start:]:
        taken.extend(row.split())
        if len(taken) >= len(words):
            break
    assert taken[:len(words)] == words
