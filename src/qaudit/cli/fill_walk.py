"""The guided walk of ``qaudit fill``: the unanswered questions in template order, each answer
saved as it is given, ``b`` back to the previous question, and nothing typed ever lost (text
interrupted by Ctrl-C / Ctrl-D is saved after a confirmation or kept as a draft that the next
``fill`` offers back). The closing line says exactly what was saved and what was not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from qaudit.audit import values
from qaudit.audit.kinds import display, is_blank
from qaudit.audit.writer import AuditEditor
from qaudit.cli.common import today
from qaudit.cli.fill_prompt import (
    BACK,
    KEYS,
    SKIP,
    Asker,
    Check,
    Quit,
    allowed_words,
    say,
    short_refusal,
)
from qaudit.cli.line_input import END_OF_INPUT, Interrupted, Reader
from qaudit.edit.session import AuditSession, open_audit
from qaudit.edit.values import check_value, set_values
from qaudit.errors import ConflictError
from qaudit.fill import guidance
from qaudit.fill.answers import (
    ANSWER,
    EVIDENCE,
    Slot,
    audit_slots,
    find_section,
    parse_answer,
    progress,
    section_slots,
    select,
    slots_for_question,
)
from qaudit.fill.drafts import draft_path, drop_draft, keep_draft, read_drafts, read_was
from qaudit.templates.catalogue import Template

EXIT_INTERRUPTED = 130
DESCRIPTORS = "Grade descriptors:"  # where guidance.item_help starts the descriptors


def walk_console() -> Console:
    """Wrapped at word boundaries to the terminal's width (never cut mid-word)."""
    return Console(highlight=False, soft_wrap=False)


@dataclass
class Session:
    path: Path
    core: AuditSession  # the core's open audit: every check and save goes through it
    console: Console
    asker: Asker
    saved: list[str] = field(default_factory=list)
    not_saved: list[str] = field(default_factory=list)  # said in the closing line

    @property
    def template(self) -> Template:
        return self.core.template

    @property
    def editor(self) -> AuditEditor:
        return self.core.editor


def open_session(path: Path, reader: Reader) -> Session:
    core = open_audit(path, today())  # read first: any later change on disk is refused at save
    console = walk_console()
    return Session(path, core, console, Asker(console, reader))


def is_single_line(slot: Slot) -> bool:
    """Names, teams and case numbers are asked as one line, never as a text box."""
    return slot.part != EVIDENCE and values.is_single_line(slot.item)


def _lines(text: str) -> str:
    count = text.strip("\n").count("\n") + 1
    return f"{count} line{'s' if count != 1 else ''}"


# --- showing ------------------------------------------------------------------------------


def _show_introduction(session: Session) -> None:
    """The template's introduction guidance, once at the top of the walk."""
    lines = guidance.introduction(session.template)
    if not lines:
        return
    session.console.rule(lines[0], style="cyan", characters="─")
    for line in lines[1:]:
        say(session.console, line)


def _show_section(session: Session, slot: Slot) -> None:
    section = slot.section
    number = [s.id for s in session.template.sections].index(section.id) + 1
    session.console.print()
    session.console.rule(f"{section.heading} (section {number} of "
                         f"{len(session.template.sections)})", style="cyan", characters="─")
    for line in guidance.section_intro(session.template, section):
        say(session.console, line)


def _show_question(session: Session, slot: Slot) -> None:
    item = slot.item
    console = session.console
    console.print()
    title = slot.label if slot.part not in (ANSWER, EVIDENCE) else item.label
    say(console, title, "bold")
    lines = guidance.item_help(session.template, item)
    if slot.part == EVIDENCE or item.kind.base == "grade":  # descriptors on ?
        lines = lines[:lines.index(DESCRIPTORS)] if DESCRIPTORS in lines else lines
    for line in lines:
        say(console, f"  {line}" if line.startswith(guidance.PROMPT_MARK) else line)


def _show_progress(session: Session, slot: Slot, slots: list[Slot]) -> None:
    counts = progress(slots, session.editor.get)
    done, total = counts.of(slot.section)
    say(session.console, f"[{counts.answered}/{counts.total} answered · "
                          f"{slot.section.heading}: {done}/{total}]", "dim")


def _prompt_label(slot: Slot) -> str:
    if slot.part == EVIDENCE:
        return slot.label
    if slot.kind.base in ("grade", "date"):
        return slot.kind.base.capitalize()
    return slot.item.text if is_single_line(slot) and len(slot.item.text) <= 40 else "Answer"


def _help_lines(session: Session, slot: Slot) -> list[str]:
    lines = [f"Key: {slot.key}"]
    if slot.kind.rule:
        lines.append(f"Template rule: {slot.kind.rule}")
    if slot.kind.base == "grade":
        descriptors = guidance.descriptor_lines(session.template, slot.kind, full=True)
        if descriptors:
            lines += ["Grade descriptors:", *descriptors]
    return lines


# --- saving -------------------------------------------------------------------------------


def _not_saved(session: Session, slot: Slot, value: Any, why: str) -> None:
    shown = display(slot.kind, value)
    if slot.is_text:
        where = keep_draft(session.path, slot.key, shown, _answer_now(session, slot))
        session.not_saved.append(f"{slot.key} ({_lines(shown)}), kept as a draft in "
                                 f"{where.name}")
    else:
        session.not_saved.append(f"{slot.key} = {shown}")
    first = shown.splitlines()[0] if shown else ""
    say(session.console, f"NOT SAVED: {slot.key} = {first}{why}", "bold red")


def _save(session: Session, slot: Slot, value: Any) -> bool:
    """Save one answer through the core's one write path; False when it was refused."""
    try:
        result = set_values(session.core, [(slot.key, value)])
    except ConflictError:
        _not_saved(session, slot, value, "")
        raise
    if not result.ok:
        _not_saved(session, slot, value, f" ({result.refusals[0].message})")
        return False
    session.saved.append(slot.key)
    drop_draft(session.path, slot.key)
    shown = values.echo(slot.kind, value)
    say(session.console, f"saved {slot.key} = {shown}" if "\n" not in shown
        else f"saved {slot.key} ({_lines(shown)})", "green")
    return True


def _check(session: Session, slot: Slot) -> Check:
    """The core's check of one value as typed: its kind, then every validate rule as if it
    were saved (a date after the audit date, in the future, a moderated answer...)."""

    def check(value: Any) -> str:
        message = check_value(session.core, slot.key, value).message
        # the question is on screen: drop the "Section 1: Case Details, Date ...: " prefix
        head, sep, rest = message.partition(f"{slot.item.text}: ")
        return rest if sep and len(head) < 80 else message

    return check


def _keep_typed(session: Session, slot: Slot, exc: Interrupted) -> None:
    """Ctrl-C / Ctrl-D / end of input with text typed: save it after a yes, else a draft."""
    typed = exc.typed.strip("\n")
    answer = "d"
    if exc.how != END_OF_INPUT:
        say(session.console, f"\n{exc.how}: you had typed {_lines(typed)} for {slot.key}.")
        try:
            answer = session.asker.reader.line(
                "Save it as the answer? y = save it · d = keep it as a draft for next time "
                "[d]: ").strip().casefold()[:1] or "d"
        except (EOFError, KeyboardInterrupt, Interrupted):
            answer = "d"
    if answer == "y":
        checked = check_value(session.core, slot.key, typed)
        if checked.ok and not is_blank(checked.value):
            _save(session, slot, checked.value)  # a refusal keeps it as a draft there
            return
        else:
            say(session.console, f"Not accepted: {short_refusal(slot.kind, checked.message)}",
                "red")
    where = keep_draft(session.path, slot.key, typed, _answer_now(session, slot))
    session.not_saved.append(f"the text typed for {slot.key} ({_lines(typed)}), kept as a "
                             f"draft in {where.name}; the next `qaudit fill` offers it back")


def _answer_now(session: Session, slot: Slot) -> str:
    return display(slot.kind, session.editor.get(slot.key))


def _newer_answer(session: Session, slot: Slot, draft: str) -> bool:
    """The answer was changed (the form, ``--set``) since the draft was kept: show both and
    keep the answer unless the user picks the draft. True when the answer is kept."""
    for line, style in ((f"{slot.key} has a newer answer than the draft kept last time.",
                         "bold yellow"), ("Answer now in the file:", "yellow"),
                        (_answer_now(session, slot), ""),
                        (f"Draft kept from last time ({_lines(draft)}):", "yellow"), (draft, "")):
        say(session.console, line, style)
    try:
        choice = session.asker.reader.line(
            "k = keep the answer in the file (the draft is dropped) · d = use the draft "
            "instead [k]: ")
    except Interrupted:
        raise KeyboardInterrupt from None
    keep = (choice.strip().casefold()[:1] or "k") != "d"
    if keep:
        drop_draft(session.path, slot.key)
        say(session.console, f"kept the answer in the file for {slot.key}; draft dropped", "green")
    return keep


def _offer_draft(session: Session, slot: Slot, draft: str, was: str | None) -> Any:
    """A draft from last time: save it, edit it (in place), or set it aside. ``was`` is the
    answer when the draft was kept (None: not recorded)."""
    now = _answer_now(session, slot)
    if now.strip() and now != was and _newer_answer(session, slot, draft):
        return SKIP
    if not (now.strip() and now != was):
        say(session.console, f"Draft kept from last time ({_lines(draft)}):", "yellow")
        say(session.console, draft)
    reader = session.asker.reader
    edit = "e = edit it here" if reader.editing else "e = edit it in an editor"
    try:
        choice = reader.line(f"Use it? y = save it as it is · {edit} · n = answer afresh [y]: ")
    except Interrupted:
        raise KeyboardInterrupt from None
    choice = choice.strip().casefold()[:1] or "y"
    if choice == "y":
        parsed = parse_answer(slot.kind, draft, single_line=is_single_line(slot))
        if parsed.ok and parsed.value is not None:
            return parsed.value
        say(session.console, f"Not accepted: {short_refusal(slot.kind, parsed.error)}", "red")
    if choice == "e" and reader.editing:
        return _ask(session, slot, initial=draft)
    if choice == "e":
        from qaudit.cli.fill_prompt import edit_text

        edited = edit_text(draft)
        if edited.problem:
            say(session.console, edited.problem, "yellow")
        elif edited.text:
            parsed = parse_answer(slot.kind, edited.text, single_line=is_single_line(slot))
            if parsed.ok and parsed.value is not None:
                return parsed.value
    return _ask(session, slot)


def _ask(session: Session, slot: Slot, initial: str = "") -> Any:
    return session.asker.ask(slot.kind, _prompt_label(slot), session.editor.get(slot.key),
                             _help_lines(session, slot), single_line=is_single_line(slot),
                             initial=initial, check=_check(session, slot))


# --- the walk -----------------------------------------------------------------------------


def walk(session: Session, chosen: list[Slot], every: list[Slot]) -> None:
    console = session.console
    drafts, was = read_drafts(session.path), read_was(session.path)
    if drafts:
        say(console, f"{len(drafts)} draft(s) kept from last time ({draft_path(session.path).name}"
                     f"): {', '.join(drafts)}. Each is offered back at its question.", "yellow")
    if len(chosen) > 1:
        _show_introduction(session)
    shown_section, shown_question = "", ""
    history: list[int] = []
    index = 0
    first = True
    while index < len(chosen):
        slot = chosen[index]
        if slot.section.id != shown_section:
            _show_section(session, slot)
            shown_section = slot.section.id
        if slot.question_key != shown_question:
            _show_question(session, slot)
            shown_question = slot.question_key
        if first:
            say(console, KEYS, "cyan")
            first = False
        if slot.part == EVIDENCE:
            value_key = slot.key.rsplit(".", 1)[0] + "." + slot.item.value_key
            given = display(slot.item.kind, session.editor.get(value_key))
            if given:
                say(console, f"Answer given: {given}", "dim")
        elif slot.kind.base != "text":
            say(console, f"Answers: {allowed_words(slot.kind)}")
        if slot.kind.base == "text" and not is_single_line(slot):
            say(console, f"Text: {session.asker.reader.text_keys}.", "dim")
        _show_progress(session, slot, every)
        try:
            draft = drafts.pop(slot.key, "")
            value = (_offer_draft(session, slot, draft, was.get(slot.key)) if draft
                     else _ask(session, slot))
        except Interrupted as exc:
            _keep_typed(session, slot, exc)
            raise (EOFError() if exc.how != "Ctrl-C" else KeyboardInterrupt()) from None
        if value is BACK:
            if not history:
                say(console, "This is the first question of this walk; there is nothing to go "
                             "back to.", "yellow")
                continue
            index = history.pop()
            shown_section = shown_question = ""
            say(console, "Back to the previous question.", "cyan")
            continue
        history.append(index)
        index += 1
        if value is not SKIP:
            _save(session, slot, value)


def _stopped(session: Session, why: str) -> None:
    every = audit_slots(session.template, session.editor.get)
    counts = progress(every, session.editor.get)
    console = session.console
    console.print()
    say(console, f"{why}: {len(session.saved)} answer(s) saved in {session.path} "
                 f"({counts.answered}/{counts.total} answered).")
    for what in session.not_saved:
        say(console, f"Not saved: {what}.", "yellow")
    if counts.answered < counts.total:
        say(console, f"Run `qaudit fill {session.path}` to carry on from the first "
                     "unanswered question.")
    else:
        say(console, f"Check it and mark it complete with "
                     f"`qaudit fill {session.path} --complete`.")


def run_walk(session: Session, section: str | None, question: str | None,
             review: bool) -> None:
    get = session.editor.get
    every = audit_slots(session.template, get)
    chosen = every
    if section:
        chosen = section_slots(find_section(session.template, section), get)
    if question:
        chosen = slots_for_question(audit_slots(session.template, get, everything=True),
                                    question)
    drafted = set(read_drafts(session.path))
    if not question:  # a draft kept from last time first, then where the walk left off
        offered = [s for s in chosen if s.key in drafted]
        chosen = offered + [s for s in select(chosen, get, review=review) if s not in offered]
    if not chosen:
        _stopped(session, "Nothing left to answer here")
        return
    try:
        walk(session, chosen, every)
    except EOFError:
        _stopped(session, "End of input")
        return
    except KeyboardInterrupt:
        _stopped(session, "Interrupted")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except Quit:
        _stopped(session, "Stopped")
        return
    except ConflictError:
        _stopped(session, "Stopped: the file changed on disk since fill read it")
        raise
    _stopped(session, "Done")
