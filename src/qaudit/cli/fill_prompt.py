"""Asking one value at the terminal for ``qaudit fill`` and ``qaudit moderate``: one-line
answers (with Tab completion of choices), multi-line text (one paste is one answer), the
commands ``?`` ``s`` ``b`` ``q`` ``e``, and a short refusal naming what is allowed.

The reader (``line_input``) reads; the core's parser (``fill.answers.parse_answer``) decides
what the text means, the same as ``--set`` and ``validate``.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from qaudit.audit.kinds import display, is_blank
from qaudit.audit.values import echo
from qaudit.cli.line_input import COMMANDS, Reader
from qaudit.fill.answers import parse_answer
from qaudit.templates.catalogue import Kind

KEYS = ("Keys: ? help · s skip · b back · q stop · e write in an editor (text) · "
        "Enter alone skips or keeps the current answer. Each answer is saved at once.")
PANEL_KEYS = ("Keys: ? help · s skip · b back · q stop (nothing written) · e write in an "
              "editor (text) · Enter alone keeps the answer shown. Everything is checked as "
              "you type and written in one go at the end.")
# Editors tried, in order, when neither $VISUAL nor $EDITOR names one that starts.
FALLBACK_EDITORS = ("nano", "pico", "micro", "edit", "vim", "vi")


class Quit(Exception):
    """The auditor typed q."""


SKIP = object()
BACK = object()

Check = Callable[[Any], str]  # a parsed value -> why it is refused ("" when accepted)


def say(console: Console, text: str, style: str = "") -> None:
    """One message, wrapped at word boundaries to the terminal's width."""
    console.print(f"[{style}]{escape(text)}[/]" if style else escape(text))


def short_refusal(kind: Kind, message: str) -> str:
    """The refusal without the template's long rule (shown on ``?``)."""
    if kind.rule:
        message = message.replace(f" (template rule: {kind.rule})", "")
    return re.sub(r"\s+", " ", message).strip()


def allowed_words(kind: Kind) -> str:
    """The allowed answers in words, as the prompt shows them."""
    if kind.base == "date":
        return "a date, as 18/11/2026 or 2026-11-18"
    if kind.base == "boolean":
        return "yes or no"
    return kind.describe()


def choices_of(kind: Kind) -> list[str]:
    """What Tab completes for an answer of this kind."""
    if kind.base == "grade":
        named = [f"{v} {kind.grade_name(v)}".strip() for v in kind.values]
        return [*named, "n/a"] if kind.na else named
    if kind.base == "choice":
        return [str(v) for v in kind.values]
    if kind.base == "boolean":
        return ["yes", "no"]
    return []


# --- the editor ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Edited:
    text: str | None  # None: nothing came back
    problem: str = ""  # why no editor ran, said on screen


def editor_command() -> list[str] | None:
    """$VISUAL, $EDITOR, then the first of nano, pico, micro, edit, vim, vi that exists."""
    for name in ("VISUAL", "EDITOR"):
        words = shlex.split(os.environ.get(name, "") or "")
        if words and shutil.which(words[0]):
            return words
    for program in FALLBACK_EDITORS:
        found = shutil.which(program)
        if found:
            return [found]
    return None


def edit_text(initial: str) -> Edited:
    """Let the auditor write a long answer in an editor. A failure returns to the prompt."""
    command = editor_command()
    if command is None:
        return Edited(None, "no editor found: set $EDITOR (for example EDITOR=nano), or type "
                            "the answer here")
    with tempfile.TemporaryDirectory(prefix="qaudit-") as folder:
        draft = Path(folder) / "answer.txt"
        draft.write_text(initial, encoding="utf-8")
        try:
            code = subprocess.call([*command, str(draft)])
        except OSError as exc:
            return Edited(None, f"the editor {command[0]} did not start ({exc.strerror or exc}); "
                                "type the answer here instead")
        if code != 0:
            return Edited(None, f"the editor {Path(command[0]).name} stopped with an error "
                                f"(exit {code}); nothing taken from it")
        return Edited(draft.read_text(encoding="utf-8"))


# --- asking -------------------------------------------------------------------------------


@dataclass
class Asker:
    """The console to show on and the reader to read with."""

    console: Console
    reader: Reader

    def ask(self, kind: Kind, label: str, current: Any = None,
            help_lines: Sequence[str] = (), *, single_line: bool = False,
            check: Check | None = None, initial: str = "",
            choices: Sequence[str] | None = None, allowed: str = "") -> Any:
        """Ask until a valid answer, ``SKIP`` or ``BACK``; ``q`` raises ``Quit``. Ctrl-C and
        Ctrl-D raise ``line_input.Interrupted`` (with the typed text) or propagate.

        ``check`` adds the checks that involve other fields (a date before the audit date);
        ``initial`` is a draft to edit; ``choices`` what Tab completes (else the kind's)."""
        console = self.console
        text_kind = kind.base == "text" and not single_line
        shown = (display(kind, current) if text_kind else echo(kind, current)) \
            if not is_blank(current) else ""
        if shown and text_kind:
            say(console, "Current answer (Enter alone keeps it):", "dim")
            say(console, shown)
        keep = f" [{shown}]" if shown and not text_kind else ""
        prompt = f"{label}{keep}: "
        if text_kind or len(prompt) > 60:  # a long question above, a short prompt below
            say(console, f"{label}:")
            prompt = "> " if text_kind else f"{keep.strip()}> "
        completions = choices_of(kind) if choices is None else list(choices)
        while True:
            if text_kind:
                typed = self.reader.text(prompt, str(current or ""), initial)
            else:
                typed = self.reader.line(prompt, completions)
            initial = ""
            command = typed.strip()
            if command in COMMANDS[:4] or not command:
                if command == "?":
                    for line in (KEYS, *help_lines):
                        say(console, line, "dim")
                    continue
                if command == "q":
                    raise Quit
                return BACK if command == "b" else SKIP
            if command == "e":
                if not text_kind:
                    say(console, "e opens an editor for text answers only; type the answer "
                                 "here", "yellow")
                    continue
                edited = edit_text(str(current or ""))
                if edited.problem:
                    say(console, edited.problem, "yellow")
                    continue
                if edited.text is None or is_blank(edited.text):
                    say(console, "nothing written in the editor; ask again below", "yellow")
                    continue
                typed = edited.text
            value = self._accept(kind, typed, single_line, check, allowed)
            if value is not None:
                return value

    def _accept(self, kind: Kind, typed: str, single_line: bool,
                check: Check | None, allowed: str = "") -> Any:
        """The parsed value, or None after saying in one short line why it is refused."""
        parsed = parse_answer(kind, typed, single_line=single_line)
        problem = parsed.error if not parsed.ok else (check(parsed.value) if check else "")
        if not problem:
            return parsed.value
        more = "; ? shows the template's rule" if kind.rule else ""
        short = short_refusal(kind, problem)
        if allowed:  # the field's own words for what is allowed (the scaling's 1-4)
            short = short.replace(kind.describe(), allowed)
        say(self.console, f"Not accepted: {short}{more}", "red")
        return None
