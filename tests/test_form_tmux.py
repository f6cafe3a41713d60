"""`qaudit fill` in a real terminal (tmux) opens the full-screen form: go to a question by
number, grade it, paste a page of evidence (bracketed paste), type a refused grade, leave
with Ctrl-Q; the terminal is given back and the file holds exactly what was accepted."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import tomllib
import uuid
from pathlib import Path

import pytest

from builders import blank_audit

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed, so no real terminal to drive")

SRC = Path(__file__).resolve().parent.parent / "src"
WAIT_SECONDS = 60.0
PASTED = ("First paragraph of the evidence.\n\nSecond paragraph, after a blank line.\n\n"
          "Third paragraph.")


class Terminal:
    def __init__(self, folder: Path, width: int, height: int) -> None:
        self.folder = folder
        self.socket = f"qaudit-form-{uuid.uuid4().hex[:8]}"
        self.tmux("new-session", "-d", "-s", "form", "-x", str(width), "-y", str(height),
                  "-c", str(folder), "bash --norc --noprofile")

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True, check=True).stdout

    def send(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "form", *keys)

    def paste(self, text: str) -> None:
        buffer = self.folder / f".paste-{uuid.uuid4().hex[:6]}"
        buffer.write_text(text, encoding="utf-8")
        self.tmux("load-buffer", "-b", "paste", str(buffer))
        self.tmux("paste-buffer", "-p", "-d", "-b", "paste", "-t", "form")
        buffer.unlink()

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "form")

    def wait_for(self, text: str) -> str:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")
            time.sleep(0.1)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def test_fill_at_a_terminal_opens_the_form(tmp_path: Path) -> None:
    path = blank_audit(tmp_path)
    term = Terminal(tmp_path, 100, 30)
    try:
        env = f"QAUDIT_TODAY=2026-11-23 PYTHONPATH={shlex.quote(str(SRC))} TERM=xterm-256color"
        command = f"{shlex.quote(sys.executable)} -m qaudit fill {path.name}"
        term.send("-l", f"clear; {env} {command}; echo EXIT=$?")
        term.send("Enter")
        term.wait_for("Findings here")
        assert "Section 1: Case Details" in term.screen()
        term.send("C-g")
        term.wait_for("Go to a question")
        term.send("-l", "4")
        term.send("Enter")
        term.wait_for("4. Is the reason")
        term.send("-l", "3")
        term.send("Tab")
        term.wait_for("saved answers.q4.grade")
        term.paste(PASTED)
        term.wait_for("Third paragraph.")
        term.send("Tab")
        term.wait_for("saved answers.q4.evidence")
        term.send("C-g")
        term.wait_for("Go to a question")
        term.send("-l", "5")
        term.send("Enter")
        term.wait_for("5. Does the most recent")
        term.send("-l", "7")
        term.send("Tab")
        term.wait_for("NOT SAVED")
        term.send("C-q")
        screen = term.wait_for("EXIT=")
    finally:
        term.close()
    assert "2 value(s) saved in" in screen and "EXIT=1" in screen, screen  # 1: not all saved
    assert "NOT SAVED answers.q5.grade: 7" in screen
    closing = " ".join(screen.split())  # the closing lines wrap at words, never mid-word
    assert ("Kept as a draft in .audit.toml.qaudit-draft: answers.q5.grade; `qaudit fill "
            "--plain audit.toml` offers it back.") in closing, screen
    answers = tomllib.loads(path.read_text(encoding="utf-8"))["answers"]
    assert answers["q4"] == {"grade": 3, "evidence": PASTED}
    assert answers["q5"]["grade"] == ""
