"""Reading one answer at the terminal, so that one paste is always one answer.

Two readers with one interface (``Reader``):

* ``EditingReader`` (prompt_toolkit) at a real terminal: line editing with the arrows,
  bracketed paste (a pasted text of any length, blank lines included, lands in the answer
  being asked), multi-line text submitted with Esc then Enter (or Alt-Enter), choices
  completed with Tab;
* ``PlainReader`` (``input()``) where the terminal cannot do that (not a TTY, ``TERM=dumb``,
  a screen reader, a script): a text answer ends with a line holding only ``.``, so blank
  lines inside it never end it, and a paste into a one-line answer stays one answer.

Ctrl-C or Ctrl-D with something typed raises ``Interrupted`` carrying the text, so the caller
can save it or keep it as a draft; with nothing typed they raise ``KeyboardInterrupt`` and
``EOFError`` as usual.
"""

from __future__ import annotations

import os
import select
import sys
from collections.abc import Sequence
from typing import Protocol

# Typed alone as the whole answer, these are commands, not answers.
COMMANDS = ("?", "s", "b", "q", "e")
END_MARKER = "."
CTRL_C, CTRL_D, END_OF_INPUT = "Ctrl-C", "Ctrl-D", "end of input"


class Interrupted(Exception):
    """Ctrl-C, Ctrl-D or the end of input came while an answer held ``typed``."""

    def __init__(self, typed: str, how: str) -> None:
        super().__init__(how)
        self.typed = typed
        self.how = how


class Reader(Protocol):
    """Asks for one answer; the caller shows the question and checks the answer."""

    #: How to finish a text answer, as said on screen.
    text_keys: str
    #: Whether Esc Enter / Tab / arrows work (a real terminal with line editing).
    editing: bool

    def line(self, prompt: str, choices: Sequence[str] = ()) -> str: ...

    def text(self, prompt: str, current: str = "", prefill: str = "") -> str: ...


def wants_plain_input() -> bool:
    """No line editing: not a terminal both ways, or ``TERM=dumb`` (screen readers, Emacs
    shells), or ``QAUDIT_PLAIN_INPUT=1``."""
    if os.environ.get("QAUDIT_PLAIN_INPUT", "") not in ("", "0"):
        return True
    if os.environ.get("TERM", "") in ("dumb", "unknown"):
        return True
    try:
        return not (sys.stdin.isatty() and sys.stdout.isatty())
    except (AttributeError, ValueError):
        return True


def make_reader() -> Reader:
    if wants_plain_input():
        return PlainReader()
    return EditingReader()


# --- plain: input() -------------------------------------------------------------------------


def _pending_input() -> bool:
    """Whether more typed or pasted input is already waiting (a terminal only: a paste
    arrives at once, a person types slower than this)."""
    try:
        if not sys.stdin.isatty():
            return False
        ready, _, _ = select.select([sys.stdin], [], [], 0.05)
    except (OSError, ValueError, AttributeError):
        return False
    return bool(ready)


class PlainReader:
    """``input()`` line by line; text ends with a line holding only ``.``."""

    editing = False
    text_keys = (f'type the text (several lines and blank lines are fine), then a line '
                 f'with only "{END_MARKER}" to finish it')

    def line(self, prompt: str, choices: Sequence[str] = ()) -> str:
        first = input(prompt)
        lines = [first]
        while _pending_input():  # a paste of several lines: one answer, never two
            try:
                lines.append(input())
            except EOFError:
                break
        return "\n".join(lines)

    def text(self, prompt: str, current: str = "", prefill: str = "") -> str:
        first = input(prompt)
        if first.strip() in COMMANDS or (not first.strip() and not _pending_input()):
            return first
        lines = [first]
        while True:
            try:
                line = input("... ")
            except EOFError:
                raise Interrupted("\n".join(lines), END_OF_INPUT) from None
            except KeyboardInterrupt:
                raise Interrupted("\n".join(lines), CTRL_C) from None
            if line.strip() == END_MARKER:
                return "\n".join(lines)
            lines.append(line)


# --- editing: prompt_toolkit ----------------------------------------------------------------


class EditingReader:
    """prompt_toolkit prompts: bracketed paste, arrows, Tab completion, Esc Enter to save."""

    editing = True
    text_keys = ("Enter starts a new line; Esc then Enter (or Alt-Enter) saves the answer; "
                 "pasting is safe, blank lines and all")

    def __init__(self) -> None:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import DummyHistory

        # Two sessions: a prompt's settings (toolbar, multiline) stick to its session.
        # No history: ↑ must never bring another question's answer into this one.
        self._lines: PromptSession[str] = PromptSession(history=DummyHistory())
        self._texts: PromptSession[str] = PromptSession(history=DummyHistory())

    def line(self, prompt: str, choices: Sequence[str] = ()) -> str:
        from prompt_toolkit.completion import WordCompleter

        completer = WordCompleter(list(choices), ignore_case=True, sentence=True) \
            if choices else None
        return self._lines.prompt(
            prompt, multiline=False, completer=completer, complete_while_typing=False,
            key_bindings=_keys(multiline=False, current=""), default="")

    def text(self, prompt: str, current: str = "", prefill: str = "") -> str:
        toolbar = " Esc then Enter: save · Enter: new line · Ctrl-C: stop (keeps the text) "
        if current:
            toolbar += "· ↑ on an empty answer: edit the current one "
        return self._texts.prompt(
            prompt, multiline=True, completer=None, key_bindings=_keys(True, current),
            bottom_toolbar=toolbar, prompt_continuation="... ", default=prefill)


def _keys(multiline: bool, current: str):  # type: ignore[no-untyped-def]
    """Ctrl-C / Ctrl-D keep what was typed; in text, Enter on a bare command or an empty
    answer submits it, Esc then Enter submits the text."""
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent

    keys = KeyBindings()

    @keys.add("c-c")
    def _ctrl_c(event: KeyPressEvent) -> None:
        typed = event.current_buffer.text
        error: BaseException = Interrupted(typed, CTRL_C) if typed.strip() \
            else KeyboardInterrupt()
        event.app.exit(exception=error, style="class:aborting")

    @keys.add("c-d")
    def _ctrl_d(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        if buffer.text.strip():
            event.app.exit(exception=Interrupted(buffer.text, CTRL_D), style="class:exiting")
        elif not buffer.text:
            event.app.exit(exception=EOFError(), style="class:exiting")

    if not multiline:
        return keys
    armed: dict[str, str | None] = {"text": None}  # the text when Esc was pressed

    @keys.add("escape", "enter")
    def _save(event: KeyPressEvent) -> None:
        event.current_buffer.validate_and_handle()

    @keys.add("escape")
    def _arm(event: KeyPressEvent) -> None:  # Esc, a pause, then Enter still saves
        armed["text"] = event.current_buffer.text

    @keys.add("enter")
    def _enter(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        if armed["text"] == buffer.text or buffer.text.strip() in COMMANDS \
                or not buffer.text.strip():
            buffer.validate_and_handle()
        else:
            buffer.insert_text("\n")
        armed["text"] = None

    @keys.add("up", filter=Condition(lambda: bool(current)))
    def _current(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        if not buffer.text:
            buffer.insert_text(current)
        else:
            buffer.cursor_up()

    return keys
