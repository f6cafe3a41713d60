"""The full-screen form of ``qaudit fill`` and ``qaudit moderate`` (Textual).

Left: the sections with their progress (answered / required, findings). Middle: the section,
built from the template data. Right (below, on a narrow terminal): the findings of the section,
as ``validate`` would report them, updated as you type. Every value goes through
``form.session`` (the core's parsers, rules and write path); nothing here checks a value."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, ContentSwitcher, Footer, ListView, Static

from qaudit.edit.records import fields_to_ask
from qaudit.errors import UsageError
from qaudit.fill.answers import ANSWER, EVIDENCE, find_section, slots_for_question
from qaudit.fill.records import event_kinds
from qaudit.findings import Finding
from qaudit.form.finishing import add_record, check_record_field, finish, record_form
from qaudit.form.outline import by_section, errors_first, section_of, section_state
from qaudit.form.panels import (
    FindingItem,
    Jumpable,
    SectionItem,
    case_line,
    field_help,
    finding_rows,
    leaving_message,
    section_line,
)
from qaudit.form.screens import AddRecordScreen, GoToScreen, HelpScreen, ListScreen, PickScreen
from qaudit.form.session import CHRONOLOGY, CONFLICT, MODERATE, REFUSED, SAVED, FormSession
from qaudit.form.style import FORM_CSS
from qaudit.form.view import ADD_RECORD, Fold, QuestionBlock, section_widgets
from qaudit.form.widgets import FieldBox, FieldLeft, FieldTyped, ManyLines, OneLine, field_id
from qaudit.templates.catalogue import Section

TYPING_PAUSE = 0.3  # seconds after the last key before the findings are worked out again
DISK_CHECK = 2.0  # seconds between checks that nobody else changed the file


class FormApp(App[str]):
    """One audit in the form. ``run()`` returns what to tell the user on leaving."""

    TITLE = "qaudit"
    ENABLE_COMMAND_PALETTE = False
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    CSS = FORM_CSS
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("f2", "standard", "Standard"),
        Binding("ctrl+g", "goto", "Go to"),
        Binding("ctrl+n", "add_record", "Add"),
        Binding("ctrl+f", "findings", "Findings"),
        Binding("ctrl+l", "sections", "Sections", show=False),
        Binding("ctrl+t", "finish", "Complete"),
        Binding("ctrl+q", "leave", "Quit", priority=True),
        Binding("ctrl+c", "leave", show=False, priority=True),  # as Ctrl+Q: never a dead key
    ]

    def __init__(self, session: FormSession, *, start: str = "") -> None:
        super().__init__()
        self.session = session
        self.start = start
        self.section: Section = session.sections[0]
        self.typing: Timer | None = None
        self.typing_in: OneLine | ManyLines | None = None
        self.findings_shown: object = None
        if session.mode == MODERATE:
            self.title = "qaudit moderate"

    # --- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="case")
        with Horizontal(id="body"):
            yield Jumpable(*[SectionItem(s) for s in self.session.sections], id="sections")
            with Horizontal(id="main"):
                yield ContentSwitcher(id="section")
                with Vertical(id="findings-box"):
                    yield Static(id="findings-title")
                    yield Jumpable(id="findings")
        yield Static(id="status")
        yield Footer()

    async def on_mount(self) -> None:
        self.set_interval(DISK_CHECK, self.check_disk)
        await self.show_section(self.section)
        self.call_after_refresh(self.refresh_progress, self.session.findings)
        if self.start:
            await self.after_goto(self.start)
        drafts = self.session.drafts_kept()
        if drafts:
            told = (f"Draft kept for {', '.join(drafts)}: `qaudit fill --plain "
                    f"{self.session.path}` offers it back")
            self.say(told, error=True)
            self.notify(told, title="Not yet saved", severity="warning", timeout=20)
        else:
            self.say("Each value is saved when you leave its field · F1 help · Ctrl+Q leave")

    def on_resize(self) -> None:
        """The section list is cut to its width: draw it again at the new one."""
        self.findings_shown = None
        self.call_after_refresh(self.refresh_progress, self.session.findings)

    def case_line(self) -> Text:
        return case_line(self.session)

    def pane(self, section: Section | None = None) -> VerticalScroll | None:
        found = self.query(f"#pane-{(section or self.section).id}")
        return found.first(VerticalScroll) if found else None

    async def show_section(self, section: Section, focus_key: str = "", *,
                           rebuild: bool = False) -> None:
        """Show one section and focus a field. A section is built from the template and the
        file the first time it is shown, and kept (with anything typed) until ``rebuild``."""
        self.section = section
        switcher = self.query_one("#section", ContentSwitcher)
        pane = self.pane(section)
        if pane is not None and rebuild:
            await pane.remove()
            pane = None
        if pane is None:
            pane = VerticalScroll(*section_widgets(self.session, section),
                                  id=f"pane-{section.id}", classes="pane")
            pane.can_focus = False
            await switcher.mount(pane)
        switcher.current = pane.id
        self.refresh_progress(self.session.findings)
        index = self.session.sections.index(section)
        sections = self.query_one("#sections", ListView)
        if sections.index != index:
            sections.index = index
        if focus_key:
            self.focus_key(focus_key)
        else:
            editors = list(pane.query("OneLine, ManyLines"))
            blank = [e for e in editors if isinstance(e, OneLine | ManyLines) and not e.typed]
            if blank or editors:
                (blank or editors)[0].focus()
                pane.scroll_home(animate=False)

    def focus_key(self, key: str) -> bool:
        found = self.query(f"#{field_id(key)}")
        if not found:
            return False
        widget = found.first()
        widget.focus(scroll_visible=False)
        block = next((b for b in widget.ancestors if isinstance(b, QuestionBlock)), widget)
        pane = self.pane()
        if pane is not None:
            self.call_after_refresh(pane.scroll_to_widget, block, animate=False, top=True)
        return True

    # --- progress and findings ---------------------------------------------------------------
    def refresh_progress(self, findings: list[Finding], refusal: str = "") -> None:
        session = self.session
        found = by_section(session.template, findings)
        self.query_one("#case", Static).update(self.case_line())
        width = max(12, self.query_one("#sections").size.width - 3)
        for item in self.query(SectionItem):
            section = item.section
            state = section_state(session, section, found.get(section.id, []))
            item.query_one(Static).update(section_line(section, state, width,
                                                       current=section is self.section))
        mine = errors_first(found.get(self.section.id, []))
        heading = Text(f"Findings here: {len(mine)} (audit: {len(findings)})", style="bold")
        self.query_one("#findings-title", Static).update(heading)
        typing = self.typing_in.slot.key if refusal and self.typing_in else ""
        shown, rows = finding_rows(session, self.section, mine, refusal, typing)
        if shown == self.findings_shown:
            return
        self.findings_shown = shown
        panel = self.query_one("#findings", ListView)
        panel.clear()
        if rows:
            panel.extend(rows)

    # --- typing and leaving a field --------------------------------------------------------------
    def on_field_typed(self, message: FieldTyped) -> None:
        if self.typing is not None:
            self.typing.stop()
        self.typing_in = message.editor
        self.typing = self.set_timer(TYPING_PAUSE, self.recheck)

    def recheck(self) -> None:
        editor = self.typing_in
        if editor is None or not editor.is_attached:
            return
        refusal = self.session.check(editor.slot, editor.typed)
        self._box(editor).mark(refusal)
        findings = self.session.candidate_findings(editor.slot, editor.typed)
        self.refresh_progress(findings, refusal)

    def _box(self, editor: Widget) -> FieldBox:
        parent = editor.parent
        assert isinstance(parent, FieldBox)
        return parent

    def on_field_left(self, message: FieldLeft) -> None:
        self.commit(message.editor)

    def commit(self, editor: OneLine | ManyLines) -> None:
        if not editor.is_attached or not isinstance(editor.parent, FieldBox):
            return
        if editor.screen is not self.screen or self.query_one("#section") not in editor.ancestors:
            return
        if self.typing is not None:
            self.typing.stop()
        outcome = self.session.commit(editor.slot, editor.typed)
        box = self._box(editor)
        if outcome.status == REFUSED:
            box.mark(outcome.message)
            self.say(f"NOT SAVED {outcome.key}: {outcome.message}", error=True)
        elif outcome.status == CONFLICT:
            box.mark(outcome.message)
            self.warn_conflict()
        else:
            box.mark("")
            if outcome.status == SAVED:
                self.say(f"saved {outcome.key}")
        self.refresh_progress(self.session.findings)

    def commit_focused(self) -> None:
        focused = self.focused
        if isinstance(focused, OneLine | ManyLines):
            self.commit(focused)

    def say(self, text: str, *, error: bool = False) -> None:
        first = text.splitlines()[0] if text else ""
        self.query_one("#status", Static).update(
            Text(first, style="bold red" if error else ""))

    # --- the file changed on disk -----------------------------------------------------------------
    def check_disk(self) -> None:
        if not self.session.conflict and self.session.changed_on_disk():
            self.warn_conflict()

    def warn_conflict(self) -> None:
        unsaved = [(k, f"{k}: {v[:60]}") for k, v in self.session.unsaved.items()]
        message = (f"{self.session.path} was changed by someone or something else since the "
                   "form opened it. Nothing more is written. Reload to carry on with the new "
                   "version (values typed since are listed here and stay in their fields "
                   "until you reload), or stay and copy them first.")
        self.say("FILE CHANGED ON DISK: nothing more is written; Ctrl+Q or reload", error=True)
        self.push_screen(ListScreen("The file changed on disk", message, unsaved,
                                    (("reload", "Reload the file"), ("stay", "Stay"))),
                         self.after_conflict)

    async def after_conflict(self, choice: str | None) -> None:
        if choice == "!reload":
            self.session.reopen()
            await self.query_one("#section", ContentSwitcher).remove_children()
            await self.show_section(self.section)
            self.say("reloaded from disk")

    # --- actions --------------------------------------------------------------------------
    async def on_list_view_selected(self, event: ListView.Selected) -> None:
        item = event.item
        if isinstance(item, SectionItem) and item.section is not self.section:
            self.commit_focused()
            await self.show_section(item.section)
        elif isinstance(item, FindingItem):
            await self.jump(item.finding.key)

    async def jump(self, key: str) -> None:
        """Show the field a key names (a finding's, a missing value's)."""
        if not key:
            return
        section = section_of(self.session.template, key)
        if section is not self.section:
            self.commit_focused()
            await self.show_section(section)
        if not self.focus_key(key):
            hits = self.query(f"#box-{field_id(key)[2:].rsplit('-', 1)[0]}-grade")
            if hits:
                hits.first().query_one("OneLine").focus()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.rule_text()))

    def rule_text(self) -> str:
        return field_help(self.session.template, getattr(self.focused, "slot", None))

    def action_standard(self) -> None:
        focused = self.focused
        for block in (focused.ancestors if focused else []):
            if isinstance(block, QuestionBlock):
                for fold in block.query(Fold):
                    fold.toggle()
                return

    def action_goto(self) -> None:
        self.commit_focused()
        self.push_screen(GoToScreen(), self.after_goto)

    async def after_goto(self, wanted: str | None) -> None:
        if not wanted:
            return
        every = [s for section in self.session.sections for s in self.session.slots(section)]
        try:
            slots = slots_for_question(every, wanted)
        except UsageError as exc:
            try:
                section = find_section(self.session.template, wanted)
            except UsageError:
                self.push_screen(GoToScreen(exc.message), self.after_goto)
                return
            await self.show_section(section)
            return
        first = slots[0]
        if first.section is not self.section:
            await self.show_section(first.section)
        if not self.focus_key(first.key) and first.part in (ANSWER, EVIDENCE):
            self.say(f"{first.key} is not edited here", error=True)

    def action_findings(self) -> None:
        panel = self.query_one("#findings", ListView)
        panel.focus()
        if panel.children and panel.index is None:
            self.call_after_refresh(setattr, panel, "index", 0)

    def action_sections(self) -> None:
        self.query_one("#sections", ListView).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if (event.button.id or "").startswith(ADD_RECORD):
            self.action_add_record()

    def action_add_record(self) -> None:
        self.commit_focused()
        if self.session.mode == MODERATE:
            return
        if self.section is CHRONOLOGY:
            options = [(k.name, k.text) for k in event_kinds().values()]
            self.push_screen(PickScreen("Kind of event", options), self.after_kind)
            return
        group = self.section.group
        if group is None:
            self.say("this section has no records to add; the records are in the section "
                     "list (parents' views, actions, Case chronology)", error=True)
            return
        self.ask_record(group.table, "", f"New {group.label} record")

    def after_kind(self, kind: str | None) -> None:
        if kind:
            self.ask_record("event", kind, f"New {kind} event")

    def ask_record(self, what: str, kind: str, heading: str) -> None:
        form = record_form(self.session, what, kind)
        if isinstance(form, str):
            self.say(form, error=True)
            return
        screen = AddRecordScreen(form, fields_to_ask(form), heading, lambda slot, text:
                                 check_record_field(self.session, form, slot.item.id, text))

        async def saved(typed: dict[str, str] | None) -> None:
            if typed is None:
                return
            added = add_record(self.session, form, typed)
            if not added.key:
                self.push_screen(screen, saved)
                screen.call_after_refresh(screen.show_problems, added.problems)
                return
            self.say(f"saved {added.key}")
            await self.show_section(self.section, rebuild=True)

        self.push_screen(screen, saved)

    def action_finish(self) -> None:
        self.commit_focused()
        outcome = finish(self.session)
        self.refresh_progress(self.session.findings)
        self.say(outcome.message, error=not outcome.done)
        title = "Mark moderated" if self.session.mode == MODERATE else "Mark complete"
        self.push_screen(ListScreen(title, outcome.message + (
            "\nChoose one to go to its field." if outcome.missing else ""),
            [(key, f"{key}: {what}") for key, what in outcome.missing]), self.after_list)

    async def after_list(self, key: str | None) -> None:
        if key and not key.startswith("!"):
            await self.jump(key)
        self.query_one("#case", Static).update(self.case_line())

    def action_leave(self) -> None:
        self.commit_focused()
        self.session.keep_drafts()
        self.exit(leaving_message(self.session))
