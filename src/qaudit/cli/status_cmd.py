"""``qaudit status PATH...``: the month at a glance, what needs attention first."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from qaudit.audit.status import COMPLETE, DRAFT, MODERATED
from qaudit.cli.common import (
    TableFormat,
    handle_errors,
    parse_date,
    stderr,
    stdout,
    today,
)
from qaudit.errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, UsageError
from qaudit.status.collect import RowFilter, StatusReport, Totals, status_report
from qaudit.status.row import ROW_STATUSES, UNREADABLE, AuditRow

StatusChoice = StrEnum("StatusChoice", {s: s for s in ROW_STATUSES})  # type: ignore[misc]

STATUS_STYLE = {DRAFT: "cyan", COMPLETE: "yellow", MODERATED: "green",
                "stale": "bold magenta", UNREADABLE: "bold red"}
# (header, width floor, right-aligned) of the second line of each audit.
COLUMNS = (("Case", 4, False), ("Date", 10, False), ("Status", 9, False), ("Done", 4, True),
           ("E", 2, True), ("W", 2, True), ("Late", 4, True), ("Acts", 4, True),
           ("Flag", 4, True), ("Panel", 5, False), ("Mail", 4, False), ("Up", 3, False))
LEGEND = ("Done: required answers given/required", "E/W: errors/warnings",
          "Late: timescales missed", "Acts/Flag: open/flagged actions",
          "Panel: working days awaiting moderation, or done",
          "Mail: e-mailed on the audit's day (guidance 11)", "Up: uploaded")
CSV_FIELDS = ("file", "case_number", "template", "auditor", "team", "audit_date", "status",
              "given", "required", "errors", "warnings", "missed", "open_actions",
              "flagged_actions", "moderation", "awaiting_days", "moderated_on", "emailed",
              "emailed_on", "uploaded", "uploaded_on", "attention", "problem")


def _cells(row: AuditRow) -> list[str]:
    panel = row.moderation
    if panel == "awaiting":
        panel = f"{row.awaiting_days}wd" if row.awaiting_days is not None else "wait"
    done = f"{row.given}/{row.required}" if row.required else "-"
    return [row.case_number or "-", row.audit_date.isoformat() if row.audit_date else "-",
            row.status, done, str(row.errors), str(row.warnings), str(row.missed),
            str(row.open_actions), str(row.flagged_actions), panel, row.emailed,
            row.uploaded]


def _style(index: int, row: AuditRow, text: str) -> str:
    plain = escape(text)
    if index == 2:
        return f"[{STATUS_STYLE.get(row.status, 'bold red')}]{plain}[/]"
    if index == 4 and row.errors:
        return f"[bold red]{plain}[/]"
    if index in (5, 6, 8) and text not in ("0", "-"):
        return f"[yellow]{plain}[/]"
    if index == 10 and text in ("no", "late"):
        return f"[yellow]{plain}[/]"
    return plain


def _line(cells: list[str], widths: list[int], styled: list[str]) -> str:
    parts = []
    for (_, _, right), width, text, shown in zip(COLUMNS, widths, cells, styled, strict=True):
        pad = " " * (width - len(text))
        parts.append(pad + shown if right else shown + pad)
    return "  " + " ".join(parts).rstrip()


def _wrap(parts: list[str] | tuple[str, ...], width: int, joiner: str = " · ") -> list[str]:
    """Pieces joined on lines no wider than ``width``; a piece is never split."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + len(joiner) + len(part) <= width:
            lines[-1] += joiner + part
        else:
            lines.append(part)
    return lines


def _clip(text: str, room: int) -> str:
    """A name cut with an ellipsis to fit (names only: never a date, id or file)."""
    return text if len(text) <= room else text[: max(1, room - 1)].rstrip() + "…"


def print_table(report: StatusReport, console: Console) -> None:
    width = console.width
    rows = [(row, _cells(row)) for row in report.rows]
    widths = [max([floor, len(header), *(len(c[i]) for _, c in rows)])
              for i, (header, floor, _) in enumerate(COLUMNS)]
    console.print("[bold]File  Template  Auditor[/]", no_wrap=True, overflow="ignore")
    console.print("[bold]" + escape(_line([h for h, _, _ in COLUMNS], widths,
                                          [h for h, _, _ in COLUMNS])) + "[/]",
                  no_wrap=True, overflow="ignore")
    for row, cells in rows:
        head = row.file
        if row.status == UNREADABLE:
            tail = f"  {row.problem}"
        else:
            tail = f"  {row.template}  {row.auditor}" if row.auditor else f"  {row.template}"
        room = width - len(head)
        tail = _clip(tail, room) if room > 8 else ""
        console.print(f"[bold]{escape(head)}[/]{escape(tail)}", no_wrap=True,
                      overflow="ignore", crop=False)
        styled = [_style(i, row, text) for i, text in enumerate(cells)]
        console.print(_line(cells, widths, styled), no_wrap=True, overflow="ignore",
                      crop=False)
    if not rows:
        console.print("no audits to show")
    console.print()
    _print_totals(report.totals, report.scanned, console)
    for line in _wrap(LEGEND, width, "; "):
        console.print(f"[dim]{escape(line)}[/]", no_wrap=True, overflow="ignore")


def _print_totals(totals: Totals, scanned: int, console: Console) -> None:
    parts = totals.parts()
    if scanned != totals.audits:
        parts[0] += f" (of {scanned} read)"
    for line in _wrap(parts, console.width):
        console.print(f"[bold]{escape(line)}[/]", no_wrap=True, overflow="ignore")


def write_csv(report: StatusReport, out: TextIO) -> None:
    """One row per audit, written as it goes (no copy of the whole table in memory)."""
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    for row in report.rows:
        data = row.as_dict()
        data["attention"] = "; ".join(data["attention"])
        writer.writerow({k: "" if data[k] is None else data[k] for k in CSV_FIELDS})


def write_json(report: StatusReport, out: TextIO) -> None:
    """The JSON document, one audit at a time (plain text: no terminal rendering of it)."""
    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    out.write(f'{{"today": {dump(today().isoformat())}, "read": {report.scanned},\n'
              f' "totals": {dump(report.totals.as_dict())},\n "audits": [')
    for number, row in enumerate(report.rows):
        out.write(("," if number else "") + "\n  " + dump(row.as_dict()))
    out.write("\n ]}\n")


@contextmanager
def _progress_bar() -> Iterator[Callable[[int, int], None] | None]:
    console = stderr()
    if not console.is_terminal:
        yield None
        return
    with Progress(TextColumn("reading audits"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("status", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


@handle_errors
def status(
    paths: Annotated[list[Path], typer.Argument(
        help="Audit files, or folders to search for *.toml.")],
    state: Annotated[StatusChoice | None, typer.Option(
        "--status", help="Only audits with this status.")] = None,
    team: Annotated[str | None, typer.Option(
        "--team", help="Only audits whose team contains this (any case).")] = None,
    auditor: Annotated[str | None, typer.Option(
        "--auditor", help="Only audits whose auditor's name contains this.")] = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="Only audits dated on or after this day (YYYY-MM-DD).")] = None,
    output: Annotated[TableFormat, typer.Option(
        "--format", "-f", help="table (two lines an audit), json or csv.")]
    = TableFormat.table,
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", min=0, help="Worker processes for large folders (0: one per CPU).")]
    = 0,
) -> None:
    """One row per audit: status, progress, findings, timescales missed, actions,
    moderation, e-mailed and uploaded; what needs attention first, then a totals line.

    Exit 0 when no audit shown has errors, 1 when some do, 2 on a usage error or a path
    that does not exist.
    """
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    keep = RowFilter(state.value if state else None, team, auditor,
                     parse_date(since, "--since"))
    with _progress_bar() as progress:
        report = status_report(paths, today(), keep, jobs=jobs, progress=progress)
    console = stdout()
    if output is TableFormat.json:
        write_json(report, sys.stdout)
    elif output is TableFormat.csv:
        write_csv(report, sys.stdout)
    else:
        print_table(report, console)
    if any(r.status == UNREADABLE and "cannot be read" in r.problem for r in report.rows):
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_FINDINGS if report.totals.errors else EXIT_CLEAN)


def register(app: typer.Typer) -> None:
    app.command("status")(status)
