"""The form's dialogs: help, go to a question, add a record, what "mark complete" found, and
the warning that the file changed on disk."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from qaudit.fill.answers import RECORD, Slot
from qaudit.fill.records import RecordForm
from qaudit.form.session import CHRONOLOGY, NEW_RECORD
from qaudit.form.widgets import FieldBox, FieldLeft, FieldTyped, OneLine

KEYS = (
    ("Tab / Shift+Tab", "next / previous field (a field is saved when you leave it)"),
    ("Up / Down", "in a grade or choice box: step through the allowed values"),
    ("Arrows", "move within a text box; Enter in a one-line box goes to the next field"),
    ("F2", "open or fold the practice standard of the question you are in"),
    ("Ctrl+G", "go to a question by its number (4, 15a) or id (q4)"),
    ("Ctrl+N", "add a record to this section (parent's views, action, event)"),
    ("Ctrl+F", "go to the findings list; Enter on a finding jumps to its field"),
    ("Ctrl+L", "go to the section list"),
    ("Ctrl+T", "mark complete: run the completion checks, list what is missing"),
    ("F1", "this help"),
    ("Ctrl+Q", "leave the form, saying what was saved"),
)

DIALOG_CSS = """
ModalScreen { align: center middle; }
ModalScreen > Vertical { width: 90%; max-width: 100; height: auto; max-height: 90%;
                         border: thick $accent; background: $surface; padding: 0 1; }
ModalScreen .title { text-style: bold; margin: 0 0 1 0; }
ModalScreen Horizontal { height: auto; margin: 1 0 0 0; }
ModalScreen Button { margin: 0 1 0 0; }
ModalScreen VerticalScroll { height: auto; max-height: 30; }
ModalScreen OptionList { height: auto; max-height: 16; }
"""


class HelpScreen(ModalScreen[None]):
    CSS = DIALOG_CSS
    BINDINGS = [Binding("escape,f1,q", "close", "Close")]

    def __init__(self, extra: str = "") -> None:
        super().__init__()
        self.extra = extra

    def compose(self) -> ComposeResult:
        body = Text()
        for key, what in KEYS:
            body.append(f"{key:<16}", style="bold")
            body.append(f"{what}\n")
        if self.extra:
            body.append(f"\n{self.extra}\n")
        with Vertical():
            yield Label("Keys (Esc closes)", classes="title")
            with VerticalScroll():
                yield Static(body)

    def action_close(self) -> None:
        self.dismiss(None)


class GoToScreen(ModalScreen[str]):
    """Ask for a question number or id."""

    CSS = DIALOG_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, problem: str = "") -> None:
        super().__init__()
        self.problem = problem

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Go to a question (such as 2.3, 15a or q4) or a section",
                        classes="title")
            yield Input(id="goto", placeholder="2.3")
            if self.problem:
                yield Static(Text(self.problem, style="bold red"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss("")


class PickScreen(ModalScreen[str]):
    """Pick one of a few options (the kind of a new chronology event)."""

    CSS = DIALOG_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, options: list[tuple[str, str]]) -> None:
        super().__init__()
        self.heading = title
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.heading, classes="title")
            yield OptionList(*[Option(Text(f"{name}: {text}"), id=name)
                               for name, text in self.options])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id or "")

    def action_cancel(self) -> None:
        self.dismiss("")


class AddRecordScreen(ModalScreen[dict[str, str] | None]):
    """The fields of a new record; Save checks them all (nothing is written if one is
    refused) and the caller writes it."""

    CSS = DIALOG_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]

    def __init__(self, form: RecordForm, fields: tuple[Any, ...], heading: str,
                 check: Callable[[Slot, str], str]) -> None:
        super().__init__()
        self.check = check
        self.form = form
        self.fields = fields
        self.heading = heading

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.heading, classes="title")
            with VerticalScroll():
                for item in self.fields:
                    slot = Slot(f"{NEW_RECORD}{item.id}", CHRONOLOGY, item, RECORD, item.kind,
                                item.text, item.required)
                    label = item.text + (" (required)" if item.required else "")
                    yield FieldBox(slot, "", label)
            yield Static(id="problems")
            with Horizontal():
                yield Button("Save record (Ctrl+S)", id="save", variant="primary",
                             compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        for scroll in self.query(VerticalScroll):
            scroll.can_focus = False
        editors = self.query("OneLine, ManyLines")
        if editors:
            editors.first().focus()

    def on_field_left(self, message: FieldLeft) -> None:
        """Checked when left, as in the form; written only with the whole record."""
        message.stop()
        box = message.editor.parent
        if isinstance(box, FieldBox):
            box.mark(self.check(box.slot, message.editor.typed))

    def on_field_typed(self, message: FieldTyped) -> None:
        message.stop()

    def typed(self) -> dict[str, str]:
        return {box.slot.item.id: _text(box) for box in self.query(FieldBox)}

    def show_problems(self, problems: dict[str, str]) -> None:
        for box in self.query(FieldBox):
            box.mark(problems.get(box.slot.item.id, ""))
        general = problems.get("", "")
        self.query_one("#problems", Static).update(
            Text(f"NOT SAVED: {general}" if general else
                 "NOT SAVED: fix the fields marked" if problems else "", style="bold red"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        self.dismiss(self.typed())

    def action_cancel(self) -> None:
        self.dismiss(None)


def _text(box: FieldBox) -> str:
    editor = box.query_one("OneLine, ManyLines")
    return editor.value if isinstance(editor, OneLine) else str(getattr(editor, "text", ""))


class ListScreen(ModalScreen[str]):
    """A message and a list of (key, what): choosing one returns its key (to jump to)."""

    CSS = DIALOG_CSS
    BINDINGS = [Binding("escape", "cancel", "Close")]

    def __init__(self, title: str, message: str, items: list[tuple[str, str]],
                 buttons: tuple[tuple[str, str], ...] = (("close", "Close (Esc)"),)) -> None:
        super().__init__()
        self.heading = title
        self.message = message
        self.items = items
        self.buttons = buttons

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.heading, classes="title")
            yield Static(Text(self.message))
            if self.items:
                yield OptionList(*[Option(Text(what), id=f"{index}:{key}")
                                   for index, (key, what) in enumerate(self.items)])
            with Horizontal():
                for name, label in self.buttons:
                    yield Button(label, id=name, compact=True)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss((event.option.id or ":").split(":", 1)[1])

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(f"!{event.button.id}")

    def action_cancel(self) -> None:
        self.dismiss("")
