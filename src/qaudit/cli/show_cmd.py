"""``qaudit show FILE``: one audit at the terminal, as a person reads it, through a pager when
it is longer than the screen (only at a terminal: piped, it is plain text)."""

from __future__ import annotations

import io
import os
import pydoc
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.padding import Padding

from qaudit.cli.common import handle_errors, is_terminal, stdout, today
from qaudit.cli.report import finding_line
from qaudit.errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE
from qaudit.findings import Finding, Level
from qaudit.render.model import Block, Document, Entry, Grade
from qaudit.render.prepare import Prepared, prepare
from qaudit.render.progress import missing_by_section

GRADE_STYLE = {1: "bold white on red", 2: "bold black on yellow", 3: "bold black on green",
               4: "bold white on blue", 0: "bold"}


def _grade(grade: Grade) -> str:
    return f"[{GRADE_STYLE.get(grade.level, 'bold')}]{escape(grade.text)}[/]"


def _answer(entry: Entry) -> str:
    if entry.grade is not None:
        return _grade(entry.grade)
    return escape(entry.value) if entry.value else "[dim italic]not answered[/]"


def _indented(console: Console, markup: str, indent: int) -> None:
    console.print(Padding(markup, (0, 0, 0, indent), expand=False))


def _entries(console: Console, entries: tuple[Entry, ...], indent: int = 0) -> None:
    for entry in entries:
        label = (f"{entry.number}. " if entry.number else "") + entry.label
        one_line = len(label) + len(entry.value) + indent + 2 <= console.width
        if entry.value and entry.grade is None and not one_line:
            _indented(console, f"[bold]{escape(label)}[/]", indent)
            _indented(console, escape(entry.value), indent + 2)
        else:
            _indented(console, f"[bold]{escape(label)}:[/] {_answer(entry)}", indent)
        if entry.evidence:
            _indented(console, f"[italic]{escape(entry.evidence)}[/]", indent + 2)


def _block(console: Console, block: Block) -> None:
    console.print()
    console.rule(f"[bold]{escape(block.heading)}[/]", align="left")
    if block.note and len(block.note) < 300:
        console.print(f"[dim]{escape(block.note)}[/]")
    _entries(console, block.fields)
    _entries(console, block.questions)
    _entries(console, block.rating)
    if block.group_label:
        if not block.records:
            console.print(f"[dim]No {escape(block.group_label.lower())} recorded.[/]")
        for record in block.records:
            console.print(f"[bold underline]{escape(record.label)}[/]")
            _entries(console, tuple(e for e in record.entries if e.value), indent=2)


def print_document(console: Console, doc: Document, missing: dict[str, list[str]]) -> None:
    console.print(f"[bold]{escape(doc.title)}[/]")
    console.print(escape(doc.subtitle))
    facts = [("Case number", doc.case_number), ("Child", doc.child),
             ("Audit date", doc.audit_date), ("Auditor", doc.auditor), ("Status", doc.status)]
    for label, value in facts:
        console.print(f"[bold]{label}:[/] {escape(value) if value else '-'}")
    grade = _grade(doc.overall_grade) if doc.overall_grade else "[dim]not graded yet[/]"
    console.print(f"[bold]Auditor's overall grading:[/] {grade}")
    if doc.overall_comments:
        _indented(console, escape(doc.overall_comments), 2)
    for block in doc.blocks:
        _block(console, block)
    console.print()
    console.rule("[bold]Timescales[/]", align="left")
    summary = doc.timescales
    if summary.total:
        console.print(" · ".join(f"{n} {s.replace('_', ' ')}" for s, n in summary.counts))
        for line in summary.missed:
            _indented(console, f"- {escape(line)}", 2)
    else:
        console.print("No timescale could be checked from the case chronology.")
    console.print()
    console.rule("[bold]Still missing before it can be complete[/]", align="left")
    if not missing:
        console.print("Nothing: every required answer is given.")
    for heading, lines in missing.items():
        console.print(f"[bold]{escape(heading)}[/] ({len(lines)})")
        for line in lines:
            _indented(console, f"- {escape(line)}", 2)


def should_page(text: str, height: int, terminal: bool) -> bool:
    """A pager only at a terminal, and only when the text is longer than the screen."""
    return terminal and text.count("\n") > height


def _page(text: str) -> None:
    os.environ.setdefault("LESS", "-FRX")  # colours through less; quit if one screen
    pydoc.pager(text)


def _render(prepared: Prepared, width: int, terminal: bool,
            missing: dict[str, list[str]]) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=terminal,
                      no_color=not terminal or "NO_COLOR" in os.environ, highlight=False,
                      color_system="auto" if terminal else None)
    assert prepared.document is not None
    print_document(console, prepared.document, missing)
    text = buffer.getvalue()
    if not terminal:  # plain when piped: no padding a pipe would carry
        text = "".join(line.rstrip() + "\n" for line in text.splitlines())
    return text


@handle_errors
def show(
    file: Annotated[Path, typer.Argument(help="The audit file to show.")],
) -> None:
    """Show one audit as a person reads it: case details, every section with its grades and
    evidence, the overall grading, parents' views, actions, moderation, a timescales summary
    and what is still missing before it can be complete, by section.

    Exit 0 when the audit validates, 1 when validate finds errors, 2 when it cannot be read.
    """
    console = stdout()
    prepared = prepare(file, today(), long_dates=False)
    if prepared.document is None or prepared.template is None:
        for finding in prepared.findings:
            finding_line(finding, console)
        unreadable = any(f.rule == "file-unreadable" for f in prepared.findings)
        raise typer.Exit(EXIT_USAGE if unreadable else EXIT_FINDINGS)
    missing = missing_by_section(file, prepared.template, today())
    terminal = is_terminal()
    text = _render(prepared, console.width, terminal, missing)
    if should_page(text, console.height, terminal):
        _page(text)
    else:
        sys.stdout.write(text)
    errors: list[Finding] = [f for f in prepared.findings if f.level is Level.ERROR]
    raise typer.Exit(EXIT_FINDINGS if errors else EXIT_CLEAN)


def register(app: typer.Typer) -> None:
    app.command("show")(show)
