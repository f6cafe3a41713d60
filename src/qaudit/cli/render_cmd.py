"""``qaudit render FILE... -o OUT``: an audit as a document the team can read and send."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from qaudit.audit.reader import expand_paths
from qaudit.cli.common import handle_errors, stderr, stdout, today
from qaudit.cli.report import finding_line
from qaudit.cli.reporters.layout import wrap
from qaudit.errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE
from qaudit.findings import Level
from qaudit.render.outputs import Format, plan, render_all


class Audience(StrEnum):
    team = "team"
    file = "file"


@contextmanager
def _progress_bar(total: int) -> Iterator[Callable[[int], None] | None]:
    console = stderr()
    if not console.is_terminal or total < 3:
        yield None
        return
    with Progress(TextColumn("rendering"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("render", total=total)
        yield lambda done: bar.update(task, completed=done)


@handle_errors
def render(
    paths: Annotated[list[Path], typer.Argument(
        help="Audit files (or folders of them) to render.")],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="The document to write (.docx, .html, .pdf, .txt), or a "
        "folder for one document per audit. Mosaic text without -o goes to the screen.")]
    = None,
    fmt: Annotated[Format | None, typer.Option(
        "--format", "-f", help="docx, html, pdf or mosaic (the comments and actions to "
        "paste into the case record). Default: from the -o suffix.")] = None,
    audience: Annotated[Audience, typer.Option(
        "--for", help="team: everything; file: the version for the child's record, "
        "without the learning actions.")] = Audience.team,
    redact: Annotated[bool, typer.Option(
        "--redact", help="As export-xlsx --redact: the child and the case by pseudonym "
        "(Child / Case + 6 hex digits of the case number's hash), every other family name "
        "recorded as [family member], in all text.")] = False,
) -> None:
    """Render audits as Word (.docx), a web page (.html, prints on A4), PDF (printed by
    headless Chromium) or mosaic text.

    An audit that validate refuses is still rendered, with a warning naming it (exit 1).
    Exit 0 when every audit rendered clean, 2 on a usage or I/O error.
    """
    files = list(expand_paths(paths))
    target_plan = plan(files, output, fmt)
    out, err = stdout(), stderr()
    code = EXIT_CLEAN
    with _progress_bar(len(files)) as progress:
        for result in render_all(target_plan, today(), for_file=audience is Audience.file,
                                 redact=redact, progress=progress):
            unreadable = any(f.rule == "file-unreadable" for f in result.findings)
            if not result.written and not result.text:
                for finding in result.findings:
                    finding_line(finding, err)
                code = EXIT_USAGE if unreadable else max(code, EXIT_FINDINGS)
                continue
            errors = [f for f in result.findings if f.level is Level.ERROR]
            if errors:
                code = max(code, EXIT_FINDINGS)
                first = errors[0]
                err.print(f"[yellow]warning:[/] {escape(result.source)}: rendered, but "
                          f"validate refuses it ({len(errors)} error"
                          f"{'s' if len(errors) != 1 else ''}, first at line {first.line}: "
                          f"{escape(first.message)}); see qaudit validate "
                          f"{escape(result.source)}")
            if result.text:
                if len(target_plan.targets) > 1:
                    out.print(f"==> {escape(result.source)} <==")
                _screen_text(out, result.text)
                if len(target_plan.targets) > 1:
                    out.out("")
            else:
                out.print(f"wrote {escape(str(result.target))}")
    raise typer.Exit(code)


def _screen_text(out: Any, text: str) -> None:
    """Mosaic text to stdout. Piped or redirected to a file (to paste into the case record)
    its paragraphs stay as they are, one line each; at a terminal each is wrapped to its
    width at spaces, continuation lines indented as the paragraph is."""
    if not out.is_terminal:
        out.out(text, end="")
        return
    width = max(40, out.width)
    for line in text.splitlines():
        lead = line[:len(line) - len(line.lstrip())]
        body = line.strip()
        marker = re.match(r"(?:\d+\.|[-*•]) ", body)  # a list item: text hangs after it
        hang = lead + " " * (marker.end() if marker else 0)
        for piece in wrap(body, width, indent=hang, first=lead) if body else [""]:
            out.out(piece, highlight=False)


def register(app: typer.Typer) -> None:
    app.command("render")(render)
