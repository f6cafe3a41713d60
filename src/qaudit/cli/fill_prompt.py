"""Asking one value at the terminal for ``qaudit fill``: single-line answers, multi-line
text ended by an empty line or written in $EDITOR, and the commands ? s q e."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from qaudit.audit.kinds import display, is_blank
from qaudit.errors import UsageError
from qaudit.fill.answers import parse_answer
from qaudit.templates.catalogue import Kind

HELP = ("Type the answer and press Enter. Enter alone skips (or keeps the current answer). "
        "Text: several lines, end with an empty line; 'e' alone opens $EDITOR. "
        "'?' help, 's' skip, 'q' stop here. Every answer is saved as soon as it is given.")


class Quit(Exception):
    """The auditor typed q."""


SKIP = object()


def say(console: Console, text: str, style: str = "") -> None:
    console.print(f"[{style}]{escape(text)}[/]" if style else escape(text))


# --- asking -------------------------------------------------------------------------------


def edit_text(initial: str) -> str | None:
    """Let the auditor write a long answer in $VISUAL / $EDITOR; None if it failed."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.TemporaryDirectory(prefix="qaudit-") as folder:
        draft = Path(folder) / "answer.txt"
        draft.write_text(initial, encoding="utf-8")
        try:
            code = subprocess.call([*shlex.split(editor), str(draft)])
        except OSError as exc:
            raise UsageError(f"cannot start the editor {editor!r} ($EDITOR): "
                             f"{exc.strerror or exc}") from exc
        return draft.read_text(encoding="utf-8") if code == 0 else None


def _read_text(prompt: str) -> str:
    """A multi-line answer: lines until an empty one. A command or blank returns at once."""
    first = input(prompt)
    if first.strip() in ("", "?", "s", "q", "e"):
        return first
    lines = [first]
    while True:
        try:
            line = input("... ")
        except EOFError:
            break
        if not line.strip():
            break
        lines.append(line)
    return "\n".join(lines)


def ask_value(console: Console, kind: Kind, label: str, current: Any = None,
              help_lines: Sequence[str] = ()) -> Any:
    """Ask until a valid answer, a skip (``SKIP``) or q (``Quit``). EOF and Ctrl-C propagate."""
    text_kind = kind.base == "text"
    keep = f" [{display(kind, current)}]" if not is_blank(current) and not text_kind else ""
    if not is_blank(current) and text_kind:
        say(console, f"Current answer (Enter keeps it):\n{display(kind, current)}", "dim")
    hint = " (end with an empty line; e = $EDITOR)" if text_kind else ""
    prompt = f"{label}{hint}{keep}: "
    while True:
        typed = _read_text(prompt) if text_kind else input(prompt)
        command = typed.strip()
        if command == "?":
            for line in (HELP, *help_lines):
                say(console, line, "dim")
            continue
        if command == "q":
            raise Quit
        if command == "s" or not command:
            return SKIP
        if command == "e" and text_kind:
            edited = edit_text(str(current or ""))
            if edited is None or is_blank(edited):
                say(console, "nothing written in the editor; skipped", "yellow")
                return SKIP
            typed = edited
        parsed = parse_answer(kind, typed)
        if parsed.ok:
            return parsed.value
        say(console, f"Not accepted: {parsed.error}", "bold red")
        say(console, "Try again, or press Enter to skip.", "red")
