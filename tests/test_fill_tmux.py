"""`qaudit fill` in a real terminal (tmux): answer a grade, see an invalid one refused,
interrupt with Ctrl-C, resume, and find the first answer saved in the file."""

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

import pytest

from builders import blank_audit

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed, so no real terminal to drive")

WAIT_SECONDS = 30.0


class Terminal:
    """One tmux session on a private server socket, torn down after the test."""

    def __init__(self, folder: Path) -> None:
        self.socket = f"qaudit-test-{uuid.uuid4().hex[:8]}"
        self.session = "fill"
        self.tmux("new-session", "-d", "-s", self.session, "-x", "200", "-y", "50",
                  "-c", str(folder), "bash --norc --noprofile")

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True, check=True)
        return done.stdout

    def send(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.session, *keys)

    def type_line(self, text: str) -> None:
        self.send("-l", text)
        self.send("Enter")

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-S", "-500", "-t", self.session)

    def wait_for(self, text: str, after: int = 0) -> str:
        """Poll the pane until ``text`` shows (counting from the ``after``-th occurrence)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            screen = self.screen()
            if screen.count(text) > after:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")
            time.sleep(0.05)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path)
    try:
        yield term
    finally:
        term.close()


def qaudit_command() -> str:
    installed = Path(sys.executable).parent / "qaudit"
    if installed.is_file() and os.access(installed, os.X_OK):
        return shlex.quote(str(installed))
    return f"{shlex.quote(sys.executable)} -m qaudit"


def test_fill_in_a_real_terminal_survives_ctrl_c_and_resumes(
        tmp_path: Path, terminal: Terminal) -> None:
    path = blank_audit(tmp_path)
    src = Path(__file__).resolve().parent.parent / "src"
    env = (f"QAUDIT_TODAY=2026-11-23 NO_COLOR=1 PYTHONPATH={shlex.quote(str(src))} "
           f"EDITOR=false")
    command = f"{env} {qaudit_command()} fill --plain {path.name} --section assessment"

    terminal.type_line(command)
    terminal.wait_for("4. Is the reason for Children’s Services Involvement clear?")
    terminal.wait_for("Grade")
    terminal.type_line("7")
    screen = terminal.wait_for("Not accepted")
    assert "Auditors should not use half gradings" in screen
    terminal.type_line("3")
    terminal.wait_for("saved answers.q4.grade = 3 Good")
    terminal.wait_for("Evidence and rationale for the rating (end with an empty line")
    terminal.send("C-c")
    screen = terminal.wait_for("Interrupted: 1 answer(s) saved")
    assert "Traceback" not in screen
    answers = tomllib.loads(path.read_text(encoding="utf-8"))["answers"]
    assert answers["q4"]["grade"] == 3

    # resume: the walk starts at the first unanswered slot, q4's evidence, not q4's grade
    before = terminal.screen()
    terminal.type_line(command)
    terminal.wait_for("Answer given: 3 Good", after=before.count("Answer given: 3 Good"))
    prompt = "Evidence and rationale for the rating (end with an empty line"
    screen = terminal.wait_for(prompt, after=before.count(prompt))
    resumed = screen[len(before.rstrip()):]
    assert "Not accepted" not in resumed and "saved answers.q4.grade" not in resumed
    terminal.type_line("Reason is clear in the C&F assessment")
    terminal.type_line("")
    terminal.wait_for("saved answers.q4.evidence")
    terminal.wait_for("Grade", after=screen.count("Grade"))  # now at q5
    terminal.send("C-d")
    screen = terminal.wait_for("End of input: 1 answer(s) saved")
    assert "Traceback" not in screen
    answers = tomllib.loads(path.read_text(encoding="utf-8"))["answers"]
    assert answers["q4"] == {"grade": 3, "evidence": "Reason is clear in the C&F assessment"}
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
