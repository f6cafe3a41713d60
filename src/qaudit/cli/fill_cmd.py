"""``qaudit fill FILE``: complete an audit at the terminal, one answer at a time, losing
nothing. Each answer is saved as it is given (atomic, layout kept); Ctrl-C or end of input
stops cleanly, and the next run resumes at the first unanswered question.

Also non-interactive: ``--set KEY=VALUE`` (repeatable, ``@path`` reads a file), ``--add
parent|action|event`` for records, ``--complete`` to move the status from draft to complete.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from qaudit.audit.kinds import display, is_blank
from qaudit.audit.writer import AuditEditor
from qaudit.cli.common import fail, handle_errors, stdout, today
from qaudit.cli.fill_prompt import SKIP, Quit, ask_value, say
from qaudit.cli.report import finding_line
from qaudit.errors import EXIT_FINDINGS, EXIT_USAGE, ConflictError, FileAccessError, UsageError
from qaudit.fill.answers import (
    ANSWER,
    EVIDENCE,
    Slot,
    audit_slots,
    find_section,
    parse_answer,
    progress,
    resolve_key,
    section_slots,
    select,
    slots_for_question,
)
from qaudit.fill.complete import complete as complete_audit
from qaudit.fill.records import (
    RecordForm,
    build_record,
    check_values,
    event_form,
    event_kind,
    event_kind_item,
    event_kinds,
    event_problems,
    fields_to_ask,
    group_form,
    is_event_word,
    record_room,
    save_record,
)
from qaudit.templates.catalogue import Kind, Template
from qaudit.validate import load

EXIT_INTERRUPTED = 130
@dataclass
class Session:
    path: Path
    template: Template
    editor: AuditEditor
    console: Console
    saved: int = 0


def open_session(path: Path) -> Session:
    editor = AuditEditor(path)  # read first: any later change on disk is refused at save
    result = load(path)
    if result.template is None:
        problem = result.findings[0]
        raise UsageError(f"{problem.line}:{problem.column}: {problem.message}", path=str(path))
    return Session(path, result.template, editor, stdout())


# --- showing ------------------------------------------------------------------------------


def _show_section(session: Session, slot: Slot) -> None:
    section = slot.section
    session.console.rule(escape(section.heading), style="cyan")
    if section.note:
        say(session.console, section.note, "italic")
    if section.guidance:
        say(session.console, f"Guidance / expected practice:\n{section.guidance}")


def _show_question(session: Session, slot: Slot) -> None:
    item = slot.item
    console = session.console
    console.print()
    title = slot.label if slot.part not in (ANSWER, EVIDENCE) else item.label
    say(console, title, "bold")
    if item.guidance:
        say(console, f"Practice standard / guidance: {item.guidance}")
    for line in item.prompts:
        say(console, f"  ? {line}")


def _show_progress(session: Session, slot: Slot, slots: list[Slot]) -> None:
    counts = progress(slots, session.editor.get)
    done, total = counts.of(slot.section)
    say(session.console, f"[{counts.answered}/{counts.total} answered · "
                          f"{slot.section.heading}: {done}/{total}]", "dim")


def _prompt_label(slot: Slot) -> str:
    if slot.part == EVIDENCE:
        return slot.label
    return "Grade" if slot.kind.base == "grade" else "Answer"


def _help_lines(session: Session, slot: Slot) -> list[str]:
    lines = [f"Key: {slot.key}"]
    if slot.kind.rule:
        lines.append(f"Template rule: {slot.kind.rule}")
    if slot.item.guidance:
        lines.append(f"Practice standard / guidance: {slot.item.guidance}")
    return lines


def _save(session: Session, key: str, kind: Kind, value: Any) -> None:
    try:
        session.editor.set(key, value)
        session.editor.save()
    except ConflictError:
        say(session.console, f"NOT SAVED: {key} = {display(kind, value)}", "bold red")
        raise
    session.saved += 1


# --- the walk -----------------------------------------------------------------------------


def walk(session: Session, chosen: list[Slot], every: list[Slot]) -> None:
    console = session.console
    last_section, last_question = "", ""
    for slot in chosen:
        if slot.section.id != last_section:
            _show_section(session, slot)
            last_section = slot.section.id
        if slot.question_key != last_question:
            _show_question(session, slot)
            last_question = slot.question_key
        if slot.part == EVIDENCE:
            value_key = slot.key.rsplit(".", 1)[0] + "." + slot.item.value_key
            shown = display(slot.item.kind, session.editor.get(value_key))
            if shown:
                say(console, f"Answer given: {shown}", "dim")
        elif slot.kind.base != "text":
            say(console, f"Answers: {slot.kind.describe()}")
        _show_progress(session, slot, every)
        current = session.editor.get(slot.key)
        value = ask_value(console, slot.kind, _prompt_label(slot), current,
                          _help_lines(session, slot))
        if value is SKIP:
            continue
        _save(session, slot.key, slot.kind, value)
        shown = display(slot.kind, value)
        lines = shown.count("\n") + 1
        say(console, f"saved {slot.key} = {shown}" if lines == 1
            else f"saved {slot.key} ({lines} lines)", "green")


def _stopped(session: Session, why: str) -> None:
    every = audit_slots(session.template, session.editor.get)
    counts = progress(every, session.editor.get)
    session.console.print()
    say(session.console, f"{why}: {session.saved} answer(s) saved in {session.path} "
                          f"({counts.answered}/{counts.total} answered).")
    if counts.answered < counts.total:
        say(session.console, f"Run `qaudit fill {session.path}` to carry on from the first "
                              "unanswered question.")
    else:
        say(session.console, f"Check it and mark it complete with "
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
    chosen = chosen if question else select(chosen, get, review=review)
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
    _stopped(session, "Done")


# --- --set and --add ----------------------------------------------------------------------


def split_assignment(text: str) -> tuple[str, str]:
    """``KEY=VALUE``; ``@path`` reads the value from a file (``@@`` for a literal ``@``)."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise UsageError(f"--set {text!r}: write it as KEY=VALUE, for example q4=3")
    if value.startswith("@@"):
        return key.strip(), value[1:]
    if value.startswith("@"):
        source = Path(value[1:])
        try:
            return key.strip(), source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise FileAccessError(f"--set {key.strip()}: cannot read the value: {exc}",
                                  path=str(source)) from exc
    return key.strip(), value


def _parse_or_refuse(kind: Kind, key: str, text: str) -> Any:
    if is_blank(text):
        return ""
    parsed = parse_answer(kind, text)
    if not parsed.ok:
        raise UsageError(f"{key}: {parsed.error}")
    return parsed.value


def run_set(session: Session, assignments: Sequence[str]) -> None:
    """Check every value first; write them all in one atomic save, or nothing."""
    planned: list[tuple[Slot, Any]] = []
    for text in assignments:
        key, raw = split_assignment(text)
        slot = resolve_key(session.template, session.editor.get, key)
        planned.append((slot, _parse_or_refuse(slot.kind, key, raw)))
    for slot, value in planned:
        session.editor.set(slot.key, value)
    session.editor.save()
    for slot, value in planned:
        shown = display(slot.kind, value) or '""'
        say(session.console, f"{slot.key} = {shown}".split("\n")[0])
    say(session.console, f"saved {session.path}", "green")


def _record_from_sets(form: RecordForm, assignments: Sequence[str]) -> dict[str, Any]:
    fields = {f.id: f for f in form.fields}
    values: dict[str, Any] = {}
    for text in assignments:
        key, raw = split_assignment(text)
        item = fields.get(key)
        if item is None:
            problems = check_values(form, {key: raw})
            raise UsageError(problems[0])
        values[key] = _parse_or_refuse(item.kind, key, raw)
    return values


def _ask_record(console: Console, form: RecordForm, given: dict[str, Any]) -> dict[str, Any]:
    values = dict(given)
    for item in fields_to_ask(form):
        if item.id in values:
            continue
        while True:
            label = item.label + (" (required)" if item.required else "")
            if item.kind.base != "text":
                say(console, f"Answers: {item.kind.describe()}", "dim")
            value = ask_value(console, item.kind, label)
            if value is not SKIP or not item.required:
                break
            say(console, f"{item.text} is required (q to give up this record)", "red")
        if value is not SKIP:
            values[item.id] = value
    return values


def run_add(session: Session, word: str, assignments: Sequence[str]) -> None:
    console = session.console
    event = ""
    interactive = not assignments
    if is_event_word(word):
        preset = dict(split_assignment(a) for a in assignments)
        kind_name = preset.get("kind", "")
        if interactive:
            say(console, "Kinds: " + "; ".join(f"{k.name} ({k.text})"
                                                 for k in event_kinds().values()))
            picked = SKIP
            while picked is SKIP:
                picked = ask_value(console, event_kind_item().kind, "Kind of event")
            kind_name = str(picked)
        event = event_kind(kind_name).name
        form = event_form(event_kind(event))
        assignments = [a for a in assignments if split_assignment(a)[0] != "kind"]
    else:
        form = group_form(session.template, word)
    full = record_room(session.editor.get, form)
    if full:
        raise UsageError(full, path=str(session.path))
    if not interactive:
        values = _record_from_sets(form, assignments)
    else:
        say(console, f"New {form.label} record" + (f" ({form.section.heading})"
                                                    if form.section else ""), "bold")
        values = _ask_record(console, form, {})
    problems = check_values(form, values)
    if problems:
        raise UsageError("; ".join(problems) + "; nothing was written", path=str(session.path))
    record = build_record(form, values, event=event)
    problems = event_problems(record) if event else []
    if problems:
        if interactive:
            say(console, f"NOT SAVED: {form.label} record {record}", "bold red")
        raise UsageError("; ".join(problems) + "; nothing was written", path=str(session.path))
    try:
        where = save_record(session.editor, form, record)
    except ConflictError:
        say(console, f"NOT SAVED: {form.label} record {record}", "bold red")
        raise
    say(console, f"saved {where} in {session.path}", "green")


def run_complete(path: Path) -> None:
    console = stdout()
    outcome = complete_audit(path, today())
    for finding in outcome.findings:
        finding_line(finding, console)
    if outcome.missing:
        say(console, f"{path}: not complete: {len(outcome.missing)} thing(s) missing or "
                      f"wrong (above); status left as {outcome.before!r}", "bold red")
        raise typer.Exit(EXIT_FINDINGS)
    if outcome.completed:
        say(console, f"{path}: complete (status draft -> complete)", "green")
    else:
        say(console, f"{path}: already {outcome.after}; nothing missing")


# --- the command --------------------------------------------------------------------------


@handle_errors
def fill(
    file: Annotated[Path, typer.Argument(help="The audit file to fill in.")],
    section: Annotated[str | None, typer.Option(
        "--section", "-s", metavar="SECTION",
        help="Work on one section (id or number: assessment, 4).")] = None,
    question: Annotated[str | None, typer.Option(
        "--question", "-q", metavar="QUESTION",
        help="Work on one question (id q4, number 4, or a key such as case.audit_date).")] = None,
    review: Annotated[bool, typer.Option(
        "--review", help="Walk answered questions too, showing the current answer (Enter "
        "keeps it).")] = False,
    assignments: Annotated[list[str] | None, typer.Option(
        "--set", metavar="KEY=VALUE",
        help="Set a value without prompting (repeatable; @path reads it from a file).")] = None,
    add: Annotated[str | None, typer.Option(
        "--add", metavar="RECORD",
        help="Add a record: parent, action, event (or a group table of the template).")] = None,
    complete: Annotated[bool, typer.Option(
        "--complete", help="Move the status to complete if nothing is missing; otherwise list "
        "what is.")] = False,
    plain: Annotated[bool, typer.Option(
        "--plain", help="Ask line by line (the guided walk), also at a terminal.")] = False,
) -> None:
    """Fill in an audit at the terminal: unanswered questions in template order, each saved
    at once. Ctrl-C or end of input stops safely; run it again to carry on."""
    sets = list(assignments or [])
    if (sets or add or complete) and (section or question or review):
        raise UsageError("--section, --question and --review are for the interactive walk; "
                         "leave them out with --set, --add or --complete")
    if add and complete:
        raise UsageError("--add and --complete are separate steps; run them one after another")
    if not file.is_file():
        raise FileAccessError("no such audit file" if not file.exists() else "is not a file",
                              path=str(file))
    if add or sets or not complete:
        session = open_session(file)
        try:
            if add:
                run_add(session, add, sets)
            elif sets:
                run_set(session, sets)
            else:
                run_walk(session, section, question, review)
        except ConflictError as exc:
            raise fail(str(exc), EXIT_USAGE) from None
        except (EOFError, Quit):
            say(session.console, "Stopped; nothing more was written.")
            return
    if complete:
        run_complete(file)


def register(app: typer.Typer) -> None:
    app.command("fill")(fill)

