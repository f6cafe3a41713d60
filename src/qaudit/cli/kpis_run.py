"""What ``qaudit check-kpis`` does, without typer: its options as data and the run.

typer builds the ``check-kpis`` command from ``OPTIONS`` (``qaudit.cli.kpis_cmd``) and the
short way in (``qaudit.cli.fastpath``) parses the same ``OPTIONS``, so there is one
definition of each option; both call ``run_kpis``. A run over a large folder spends its
time on the audits, but every run, and every worker, used to start through typer first.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from functools import partial
from pathlib import Path

from qaudit.audit.reader import expand_paths
from qaudit.batch import run_batch
from qaudit.cli.common import existing_paths, exit_code, parse_date, today
from qaudit.cli.reporters import Format, Screen
from qaudit.cli.reporters.kpis import encode_audit, failed, report_for
from qaudit.cli.validate_run import OptionSpec

PROGRESS_FROM = 50  # files: below this a bar only flickers


class KpiFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


PATHS_HELP = "Audit files, or folders to search."
OPTIONS: dict[str, OptionSpec] = {spec.name: spec for spec in (
    OptionSpec("output", ("--format", "-f"), KpiFormat, KpiFormat.table,
               "table (for a person), json, jsonl (one record a line) or csv (one row per "
               "due date)."),
    OptionSpec("ruleset", ("--ruleset",), str, "",
               "Rule set to use (core-v1.1, england-statutory or a .toml file). Default: "
               "the folder's qaudit.toml, else core-v1.1."),
    OptionSpec("as_of", ("--as-of",), str, None,
               "Judge the audit's own later events (upload, email, action agreements) at "
               "this date, YYYY-MM-DD. Default: today."),
    OptionSpec("show_all", ("--all",), bool, False, "Tables: show not_applicable rules too."),
    OptionSpec("detail", ("--detail",), bool, False,
               "Table: a table per audit (the default for a single file) instead of the "
               "folder overview."),
    OptionSpec("jobs", ("--jobs", "-j"), int, 0,
               "Worker processes for large folders (0: one per CPU).", minimum=0),
)}


@contextmanager
def _progress(files: int) -> Iterator[Callable[[int], None] | None]:
    """A bar on stderr for long work at a terminal; the tick function, or None."""
    if files < PROGRESS_FROM or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(console=Screen.stderr().console, transient=True) as bar:
        task = bar.add_task("checking timescales", total=files)
        yield lambda done: bar.update(task, completed=done)


def run_kpis(paths: Sequence[Path], output: KpiFormat = KpiFormat.table, *,
             ruleset: str = "", as_of: str | None = None, show_all: bool = False,
             detail: bool = False, jobs: int = 0) -> int:
    """Check the audits under ``paths``, write what ``output`` asks for as each audit is
    checked, and return the exit code: 1 when a timescale was missed or an audit could not
    be checked, 0 otherwise. A ``QauditError`` (a missing path, a bad ``--as-of``) stops it
    (the caller reports it: ``qaudit.cli.common.report_stop``)."""
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
    return exit_code(findings=summary.missed > 0 or summary.broken > 0)
