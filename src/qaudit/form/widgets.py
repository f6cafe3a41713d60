"""The form's fields: a one-line box for grades, choices, scores and dates, a text area for
text (it takes a pasted page), each with its allowed values under it and marked when the
value typed is refused. The values themselves are checked by the core (``form.session``)."""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from qaudit.audit.values import is_single_line
from qaudit.fill.answers import Slot
from qaudit.templates.catalogue import Kind

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def field_id(key: str) -> str:
    """A widget id for a stored key (``answers.q4.grade`` -> ``f-answers-q4-grade``)."""
    return "f-" + _UNSAFE.sub("-", key)


def allowed_values(kind: Kind) -> list[str]:
    """What may be typed, one entry per allowed value: ``3 Good``, ``N/A``, ``YES``."""
    if kind.base == "grade":
        found = [f"{v} {kind.grade_name(v)}".strip() for v in kind.values]
        return [*found, "N/A"] if kind.na else found
    if kind.base == "choice":
        return [str(v) for v in kind.values]
    return []


def hint(kind: Kind) -> str:
    values = allowed_values(kind)
    if values:
        return "Allowed: " + " · ".join(values)
    if kind.base in ("text", "list"):
        return ""
    return "Allowed: " + kind.describe()


class FieldLeft(Message):
    """A field lost focus: its value is checked and, when valid, written."""

    def __init__(self, editor: FieldEditor) -> None:
        super().__init__()
        self.editor = editor


class FieldTyped(Message):
    """The text of a field changed (checked as typed, written when left)."""

    def __init__(self, editor: FieldEditor) -> None:
        super().__init__()
        self.editor = editor


class OneLine(Input):
    """Grades, choices, scores, dates: typed, with Up/Down stepping through the options."""

    BINDINGS = [
        Binding("up", "step(-1)", "Previous option", show=False),
        Binding("down", "step(1)", "Next option", show=False),
    ]

    def __init__(self, slot: Slot, text: str, **kwargs: Any) -> None:
        options = [v.split(" ")[0] if slot.kind.base == "grade" else v
                   for v in allowed_values(slot.kind)]
        suggester = SuggestFromList(options, case_sensitive=False) if options else None
        super().__init__(text, placeholder=_placeholder(slot.kind), suggester=suggester,
                         select_on_focus=False, compact=True, **kwargs)
        self.slot = slot
        self.options = options

    def action_step(self, by: int) -> None:
        if not self.options:
            self.screen.focus_next() if by > 0 else self.screen.focus_previous()
            return
        lowered = [o.casefold() for o in self.options]
        here = lowered.index(self.value.casefold()) if self.value.casefold() in lowered else -1
        self.value = self.options[(here + by) % len(self.options)]
        self.cursor_position = len(self.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(FieldTyped(self))

    def on_input_blurred(self, event: Input.Blurred) -> None:
        event.stop()
        self.post_message(FieldLeft(self))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.focus_next()

    @property
    def typed(self) -> str:
        return self.value


class ManyLines(TextArea):
    """Text: evidence, rationale, views. Soft-wrapped; a pasted page goes in whole."""

    def __init__(self, slot: Slot, text: str, **kwargs: Any) -> None:
        super().__init__(text, soft_wrap=True, tab_behavior="focus", compact=True,
                         highlight_cursor_line=False, **kwargs)
        self.slot = slot

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.post_message(FieldTyped(self))

    def on_blur(self, event: events.Blur) -> None:
        self.post_message(FieldLeft(self))

    @property
    def typed(self) -> str:
        return self.text


FieldEditor = OneLine | ManyLines


def _placeholder(kind: Kind) -> str:
    if kind.base == "grade":
        return "grade"
    if kind.base == "date":
        return "YYYY-MM-DD"
    if kind.base in ("score", "integer"):
        return "number"
    return ""


def is_multiline(slot: Slot, text: str) -> bool:
    """A text area for evidence, rationale and views; one line for names, teams and case
    numbers (the core's ``is_single_line``, as the line walk asks them)."""
    if slot.kind.base not in ("text", "list"):
        return False
    return "\n" in text or not is_single_line(slot.item)


class FieldBox(Vertical):
    """One field: its label, the editor, and a line with the allowed values or the refusal."""

    DEFAULT_CSS = """
    FieldBox { height: auto; margin: 0 0 1 0; }
    FieldBox.tight { margin: 0; }
    FieldBox .label { color: $text-muted; }
    FieldBox OneLine { width: 100%; height: 1; background: $boost; }
    FieldBox ManyLines { height: auto; min-height: 2; max-height: 14; background: $boost; }
    FieldBox OneLine:focus, FieldBox ManyLines:focus { background: $accent 25%; }
    FieldBox .hint { color: $text-muted; }
    FieldBox.refused OneLine, FieldBox.refused ManyLines { background: $error 30%; }
    FieldBox.refused .hint { color: $error; text-style: bold; }
    """

    def __init__(self, slot: Slot, text: str, label: str, *, refusal: str = "") -> None:
        super().__init__(id="box-" + field_id(slot.key)[2:])
        self.slot = slot
        self._text = text
        self._label = label
        self._refusal = refusal

    def compose(self) -> Any:
        if self._label:
            yield Static(Text(self._label), classes="label")
        multiline = is_multiline(self.slot, self._text)
        editor: Widget = (ManyLines(self.slot, self._text, id=field_id(self.slot.key))
                          if multiline else
                          OneLine(self.slot, self._text, id=field_id(self.slot.key)))
        yield editor
        note = Static(Text(self._hint_text()), classes="hint")
        note.display = bool(self._hint_text())
        yield note
        if self._refusal:
            self.add_class("refused")

    def _hint_text(self) -> str:
        if self._refusal:
            return f"NOT SAVED: {self._refusal}"
        return hint(self.slot.kind)

    def mark(self, refusal: str) -> None:
        """Show the refusal (or clear it) under the field."""
        self._refusal = refusal
        self.set_class(bool(refusal), "refused")
        note = self.query_one(".hint", Static)
        note.update(Text(self._hint_text()))
        note.display = bool(self._hint_text())


class ReadOnly(Static):
    """A value shown but not edited here (the auditor's answers, in moderate)."""

    DEFAULT_CSS = """
    ReadOnly { height: auto; margin: 0 0 1 0; padding: 0 1; background: $boost; }
    """

    def __init__(self, label: str, value: str) -> None:
        body = Text(f"{label}: ", style="bold")
        body.append(value or "(blank)", style="" if value else "italic")
        super().__init__(body)
