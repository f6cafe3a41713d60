"""``qaudit fill FILE``: complete an audit at the terminal, one answer at a time, losing
nothing. Each answer is saved as it is given (atomic, layout kept); Ctrl-C or end of input
stops cleanly, and the next run resumes at the first unanswered question.

Also non-interactive: ``--set KEY=VALUE`` (repeatable, ``@path`` reads a file), ``--add
parent|action|event`` for records, ``--complete`` to move the status from draft to complete.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.columns import Columns
from rich.console import Console

from qaudit.audit.kinds import display, is_blank
from qaudit.audit.values import echo, is_single_line
from qaudit.cli.common import fail, handle_errors, stdout, today
from qaudit.cli.fill_prompt import Quit, say
from qaudit.cli.fill_walk import EXIT_INTERRUPTED, Session, open_session, run_walk, walk_console
from qaudit.cli.line_input import Interrupted, make_reader, wants_plain_input
from qaudit.cli.record_prompt import Field, ask_record
from qaudit.cli.report import finding_line
from qaudit.edit.lifecycle import complete_audit
from qaudit.edit.records import add_record, check_record, check_record_field, record_form
from qaudit.edit.session import open_audit
from qaudit.edit.values import set_values
from qaudit.errors import EXIT_FINDINGS, EXIT_USAGE, ConflictError, FileAccessError, UsageError
from qaudit.fill.records import (
    RecordForm,
    event_kind_item,
    event_kinds,
    fields_to_ask,
    is_event_word,
)
from qaudit.readable import readable

# --- --set and --add ----------------------------------------------------------------------


def split_assignment(text: str) -> tuple[str, str]:
    """``KEY=VALUE``; ``@path`` reads the value from a file (``@@`` for a literal ``@``)."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise UsageError(f"--set {readable(text)}: write it as KEY=VALUE, for example q4=3")
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


def run_set(session: Session, assignments: Sequence[str], reopen: str | None = None) -> None:
    """Check every value first (the validate rules); write them all in one save, or nothing."""
    assert session.core is not None
    result = set_values(session.core, [split_assignment(text) for text in assignments],
                        reopen=reopen)
    for finding in (*result.refusals, *result.warnings):
        finding_line(finding, session.console)
    if not result.ok:
        say(session.console, f"{session.path}: nothing was written", "bold red")
        raise typer.Exit(EXIT_FINDINGS)
    if result.reopened:
        say(session.console, f"reopened: status moderated -> complete ({reopen})")
    for slot, value in result.written:
        shown = display(slot.kind, value) or '""'
        say(session.console, f"{slot.key} = {shown}".split("\n")[0])
    say(session.console, f"saved {session.path}", "green")


def _record_fields(session: Session, form: RecordForm) -> list[Field]:
    """Each field checked as it is typed by the core, with the fields already given."""
    core = session.core

    def check(field_id: str) -> Callable[[Any, Mapping[str, Any]], str]:
        return lambda value, given: check_record_field(
            core, form, field_id, value, {k: v for k, v in given.items() if k != field_id}
        ).message

    return [Field(item.id, item, required=item.required, check=check(item.id),
                  single_line=is_single_line(item) or item.id == "by_whom")
            for item in fields_to_ask(form)]


def _show_kinds(console: Console) -> None:
    say(console, "Kinds of event (Tab completes a kind):")
    console.print(Columns([f"{k.name}" for k in event_kinds().values()], padding=(0, 2),
                          column_first=True))


def _ask_event_kind(session: Session) -> str:
    _show_kinds(session.console)
    item = event_kind_item()
    while True:
        picked = session.asker.ask(item.kind, "Kind of event")
        if isinstance(picked, str):
            return picked
        say(session.console, "A kind of event is needed (q gives up; nothing is written)",
            "red")


def _record_text(form: RecordForm, record: Mapping[str, Any]) -> str:
    kinds = {f.id: f.kind for f in form.fields}
    return "; ".join(f"{key} = {echo(kinds[key], value) if key in kinds else value}"
                     for key, value in record.items() if not is_blank(value))


def run_add(session: Session, word: str, assignments: Sequence[str]) -> None:
    console = session.console
    interactive = not assignments
    given = dict(split_assignment(a) for a in assignments)
    kind_name = given.pop("kind", "") if is_event_word(word) else ""
    if is_event_word(word) and interactive:
        kind_name = _ask_event_kind(session)
    form = record_form(session.core, word, kind_name)
    raw: dict[str, object] = dict(given)
    if interactive:
        say(console, f"New {form.label} record" + (f" ({form.section.heading})"
                                                    if form.section else ""), "bold")
        raw = dict(ask_record(session.asker, _record_fields(session, form),
                              lambda values: [],
                              by_field=lambda values: check_record(
                                  session.core, form, values).by_field()))
    try:
        result = add_record(session.core, form, raw)
    except ConflictError:
        say(console, f"NOT SAVED: the new {form.label} record: {_record_text(form, raw)}",
            "bold red")
        raise
    if not result.ok:
        for finding in result.refusals:
            say(console, f"{session.path}: {finding.message}", "bold red")
        say(console, f"{session.path}: nothing was written", "bold red")
        raise typer.Exit(EXIT_FINDINGS)
    say(console, f"saved {result.key} in {session.path}: {_record_text(form, result.record)}",
        "green")


def run_complete(path: Path) -> None:
    console = stdout()
    outcome = complete_audit(open_audit(path, today()))
    for finding in outcome.findings:
        finding_line(finding, console)
    if outcome.missing:
        say(console, f"{path}: not complete: {len(outcome.missing)} thing(s) missing or "
                      f"wrong (above); status left as {readable(outcome.before)}", "bold red")
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
    reopen: Annotated[str | None, typer.Option(
        "--reopen", metavar="REASON",
        help="With --set: reopen a moderated audit (back to complete), keeping the reason, "
        "so the answers the panel saw can change.")] = None,
) -> None:
    """Fill in an audit at the terminal: unanswered questions in template order, each saved
    at once. Ctrl-C or end of input stops safely; run it again to carry on."""
    sets = list(assignments or [])
    if (sets or add or complete) and (section or question or review):
        raise UsageError("--section, --question and --review are for the interactive walk; "
                         "leave them out with --set, --add or --complete")
    if reopen is not None and not sets:
        raise UsageError('--reopen goes with --set: qaudit fill FILE --reopen "reason" '
                         "--set KEY=VALUE")
    if add and complete:
        raise UsageError("--add and --complete are separate steps; run them one after another")
    if not file.is_file():
        raise FileAccessError("no such audit file" if not file.exists() else "is not a file",
                              path=str(file))
    if not (add or sets or complete or plain) and not wants_plain_input():
        from qaudit.form import FILL, run_form  # Textual only when the form is used

        said, all_saved = run_form(file, today(), FILL, start=question or section or "")
        say(walk_console(), said)  # wrapped at words, never cut mid-word
        if not all_saved:  # something typed was not written
            raise typer.Exit(EXIT_FINDINGS)
        return
    if add or sets or not complete:
        session = open_session(file, make_reader())
        try:
            if add:
                run_add(session, add, sets)
            elif sets:
                run_set(session, sets, reopen)
            else:
                run_walk(session, section, question, review)
        except ConflictError as exc:
            raise fail(str(exc), EXIT_USAGE) from None
        except (EOFError, Quit):
            say(session.console, "Stopped; nothing more was written.")
            return
        except Interrupted as exc:
            say(session.console, f"{exc.how}: stopped; this record was not written. What you "
                                 f"had typed, to copy:\n{exc.typed}", "yellow")
            raise typer.Exit(EXIT_INTERRUPTED) from None
    if complete:
        run_complete(file)


def register(app: typer.Typer) -> None:
    app.command("fill")(fill)

