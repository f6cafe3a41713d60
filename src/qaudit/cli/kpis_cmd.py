"""``qaudit check-kpis PATH...``: timescales met, late, overdue or pending, per audit and rule."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from qaudit.audit.reader import expand_paths
from qaudit.batch import run_batch
from qaudit.cli.common import existing_paths, finish, handle_errors, parse_date, today
from qaudit.cli.reporters import Format, Screen
from qaudit.cli.reporters.kpis import encode_audit, failed, report_for

PROGRESS_FROM = 50  # files: below this a bar only flickers


class KpiFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


@contextmanager
def _progress(files: int):  # type: ignore[no-untyped-def]
    """A bar on stderr for long work at a terminal; the tick function, or None."""
    if files < PROGRESS_FROM or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(console=Screen.stderr().console, transient=True) as bar:
        task = bar.add_task("checking timescales", total=files)
        yield lambda done: bar.update(task, completed=done)


@handle_errors
def check_kpis(
    paths: Annotated[list[Path], typer.Argument(help="Audit files, or folders to search.")],
    output: Annotated[KpiFormat, typer.Option(
        "--format", "-f", help="table (for a person), json, jsonl (one record a line) or "
        "csv (one row per due date).")] = KpiFormat.table,
    ruleset: Annotated[str, typer.Option(
        "--ruleset", help="Rule set to use (core-v1.1, england-statutory or a .toml file). "
        "Default: the folder's qaudit.toml, else core-v1.1.")] = "",
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Judge the audit's own later events (upload, email, action "
        "agreements) at this date, YYYY-MM-DD. Default: today.")] = None,
    show_all: Annotated[bool, typer.Option(
        "--all", help="Tables: show not_applicable rules too.")] = False,
    detail: Annotated[bool, typer.Option(
        "--detail", help="Table: a table per audit (the default for a single file) instead "
        "of the folder overview.")] = False,
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", min=0, help="Worker processes for large folders (0: one per CPU).")
    ] = 0,
) -> None:
    """Check each audit's chronology against the rule set's timescales.

    For every rule that applies: the anchor date, the due date, the date it was done and
    met / late / overdue / pending / missed / not_applicable, with the counting. A timescale
    counts when its anchor is inside the review window (6 months before the audit date).
    Answers the timescales contradict are flagged for the moderator. Exit 1 when any
    timescale was missed or an audit could not be checked, 0 otherwise, 2 on a usage error.
    """
    files = list(expand_paths(existing_paths(paths)))
    fmt = Format(output.value)
    as_of_day = parse_date(as_of, "--as-of") or today()
    screen = Screen.stdout()
    report = report_for(fmt, screen, detail or len(files) == 1)
    work = partial(encode_audit, today=today(), as_of=as_of_day, ruleset=ruleset, fmt=fmt,
                   detail=detail or len(files) == 1, show_all=show_all)
    with _progress(len(files)) as tick:
        for audit in run_batch(files, work, on_error=failed, jobs=jobs, progress=tick):
            report.add(audit)
    report.finish()
    summary = report.summary
    raise finish(findings=summary.missed > 0 or summary.broken > 0)


def register(app: typer.Typer) -> None:
    app.command("check-kpis")(check_kpis)
