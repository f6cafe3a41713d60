"""``qaudit export-xlsx PATH... -o panel.xlsx``: the moderation panel's workbook."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from qaudit.cli.common import existing_paths, handle_errors, say_fitted, stderr, stdout, today
from qaudit.cli.report import finding_line
from qaudit.errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE

if TYPE_CHECKING:
    from qaudit.export.workbook import Progress as ProgressCallback


@contextmanager
def _progress_bar() -> Iterator[ProgressCallback | None]:
    """A progress bar on stderr when it is a terminal; nothing when piped or in tests."""
    console = stderr()
    if not console.is_terminal:
        yield None
        return
    with Progress(TextColumn("exporting"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("export", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


@handle_errors
def export_xlsx(
    paths: Annotated[list[Path], typer.Argument(
        help="Audit files, or folders to search for *.toml.")],
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="The workbook to write (*.xlsx).")],
    redact: Annotated[bool, typer.Option(
        "--redact", help="Replace each child's name by a pseudonym (Child + 6 hex digits of "
        "the case number's hash), in every sheet and in free text.")] = False,
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", min=0, help="Worker processes for large folders (0: one per CPU).")] = 0,
) -> None:
    """Write the moderation panel's workbook: Audits (a row per audit, with the panel's
    columns), Answers, Charts, and KPIs / Actions where those commands are available.

    Broken audits are reported and left out; an audit whose values `validate` refuses is
    exported with a warning naming it. Exit 0 when every audit was exported clean, 1 when
    some were left out or warned about, 2 on a usage or I/O error or when no audit could be
    exported (an existing workbook is then left as it was). The panel's decisions come back with
    `qaudit import-xlsx`.
    """
    paths = existing_paths(paths)  # a mistyped folder never replaces the workbook
    console = stdout()
    with _progress_bar() as progress:
        from qaudit.export import export_workbook

        result = export_workbook(paths, output, today=today(), redact=redact,
                                 progress=progress, jobs=jobs)
    for finding in result.findings:
        finding_line(finding, console)
    for note in result.notes:
        say_fitted(console, note)
    skipped = result.skipped
    if not result.written:
        say_fitted(stderr(), f"error: none of the audits could be exported ({skipped} "
                       f"file{'s' if skipped != 1 else ''} left out); {output} was not written "
                       "and any workbook of that name was left as it was")
        raise typer.Exit(EXIT_USAGE)
    say_fitted(
        console,
        f"wrote {output}: {result.audits} audit{'s' if result.audits != 1 else ''}, "
        f"{result.answers} answers; sheets {', '.join(result.sheets)}"
        + (f"; {skipped} file{'s' if skipped != 1 else ''} left out" if skipped else "")
        + (f"; {result.refused} with values validate refuses" if result.refused else ""))
    raise typer.Exit(EXIT_FINDINGS if skipped or result.refused else EXIT_CLEAN)


def register(app: typer.Typer) -> None:
    app.command("export-xlsx")(export_xlsx)
