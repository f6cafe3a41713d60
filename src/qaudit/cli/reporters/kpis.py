"""check-kpis output. ``encode_audit`` runs where the audit is checked (a worker process for
large folders) and returns encoded lines and counters, never records; the reports below
write them out as they stream in, keeping only counters, so memory stays flat.

Formats: ``table`` (for a person: a folder's summary line, compliance per rule, team and case
status, and the timescales missed, at most a screen of them; per-audit tables for one file or
``--detail``), ``json`` (one document, records streamed into it), ``jsonl`` (one record,
finding or summary a line, each with ``type``), ``csv`` (one row per due date).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
import tempfile
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

import msgspec
from rich.markup import escape

from qaudit.cli.reporters import Format, Screen, finding_wrapped, json_line
from qaudit.cli.reporters.layout import table, wrap
from qaudit.findings import Finding, Level
from qaudit.kpis.check import AuditKpis, KpiRecord, check_file
from qaudit.kpis.encode import json_items, json_lines
from qaudit.kpis.engine import MISSED
from qaudit.kpis.summary import Summary, Tallies, Tally

CSV_FIELDS = ("file", "rule", "kpi", "status", "anchor", "due", "done", "working_days_late",
              "case_status", "team", "explanation")
SHOWN = 20  # timescales missed listed for a folder; the rest are counted
STATUS_STYLE = {"met": "green", "late": "yellow", "overdue": "bold red", "missed": "bold red",
                "pending": "cyan", "not_applicable": "dim"}
SHORT = {"not_applicable": "n/a"}


class EncodedAudit(msgspec.Struct):
    """One audit's output, ready to write: small to send back from a worker."""

    path: str
    tallies: Tallies = msgspec.field(default_factory=dict)
    team: str = ""
    findings: list[Finding] = msgspec.field(default_factory=list)
    broken: bool = False
    out: str = ""  # json / jsonl / csv: the records, encoded
    missed: list[tuple[str, str, str, str, str]] = msgspec.field(default_factory=list)
    rows: list[tuple[str, str, str, str, str, str]] = msgspec.field(default_factory=list)
    hidden: int = 0
    window: str = ""


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _encode(result: AuditKpis, fmt: Format) -> str:
    if fmt is Format.json:
        return json_items(result)
    if fmt is Format.jsonl:
        return json_lines(result)
    if fmt is Format.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        fallback, calendar = result.fallback_status, result.calendar
        for kpi, outcomes in result.results:
            for o in outcomes:
                writer.writerow((result.file, o.rule, kpi, o.status, _day(o.anchor),
                                 _day(o.due), _day(o.done), "" if o.working_days_late is None
                                 else o.working_days_late, o.case_status or fallback or "",
                                 result.team, o.explanation(calendar) if calendar else o.text))
        return buffer.getvalue()
    return ""


def _late(r: KpiRecord) -> str:
    return "" if r.working_days_late is None else str(r.working_days_late)


def encode_audit(path: Path, *, today: dt.date, as_of: dt.date | None, ruleset: str,
                 fmt: Format, detail: bool, show_all: bool) -> EncodedAudit:
    """Check one audit and encode what ``fmt`` will print (work for ``run_batch``)."""
    result = check_file(path, today, ruleset, as_of)
    encoded = EncodedAudit(result.file, result.tallies, result.team,
                           [*result.findings, *result.flags], result.broken,
                           _encode(result, fmt))
    if fmt is not Format.table:
        return encoded
    if result.audit_date:
        encoded.window = f"review window {result.window_start} to {result.audit_date}"
    if detail:
        shown = [r for r in result.records if show_all or r.status != "not_applicable"]
        encoded.hidden = len(result.records) - len(shown)
        encoded.rows = [(r.rule, SHORT.get(r.status, r.status), _day(r.due), _day(r.done),
                         _late(r), r.explanation) for r in shown]
    else:
        encoded.missed = [(r.status, _late(r), r.rule, _day(r.due), _day(r.done))
                          for r in result.records if r.status in MISSED]
    return encoded


def failed(path: Path, finding: Finding) -> EncodedAudit:
    """The output for an audit the batch runner could not check (``internal-error``)."""
    return EncodedAudit(str(path), findings=[finding], broken=True)


class KpiReport(ABC):
    """Writes records as each audit arrives; keeps the summary as counters."""

    def __init__(self, out: Any = None) -> None:
        self.out = out or sys.stdout
        self.summary = Summary()
        self.errors = 0

    def add(self, audit: EncodedAudit) -> None:
        self.summary.add(audit.tallies, audit.team, broken=audit.broken)
        self.errors += sum(1 for f in audit.findings if f.level is Level.ERROR)
        self.write(audit)

    @abstractmethod
    def write(self, audit: EncodedAudit) -> None:
        """Write one audit's records as they arrive."""

    @abstractmethod
    def finish(self) -> None:
        """Write what comes after the last audit (a summary, a closing bracket)."""


class JsonLinesReport(KpiReport):
    def write(self, audit: EncodedAudit) -> None:
        self.out.write(audit.out)
        for finding in audit.findings:
            self.out.write(json_line({"type": "finding", **finding.as_dict()}) + "\n")

    def finish(self) -> None:
        self.out.write(json_line({"type": "summary", **self.summary.as_dict()}) + "\n")


class JsonReport(KpiReport):
    """``{"records": [...], "findings": [...], "files": N, "summary": {...}}``, one record a
    line; the findings wait in a temporary file (spooled: in memory while small)."""

    def __init__(self, out: Any = None) -> None:
        super().__init__(out)
        self.first = True
        self.findings = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed in finish
            max_size=1 << 20, mode="w+",
                                                      encoding="utf-8")
        self.found = 0
        self.out.write('{\n  "records": [')

    def write(self, audit: EncodedAudit) -> None:
        if audit.out:
            self.out.write(("\n    " if self.first else ",\n    ") + audit.out)
            self.first = False
        for finding in audit.findings:
            self.findings.write(("\n    " if not self.found else ",\n    ")
                                + json_line(finding.as_dict()))
            self.found += 1

    def finish(self) -> None:
        self.out.write("\n  ],\n" if not self.first else "],\n")
        self.out.write('  "findings": [')
        self.findings.seek(0)
        while chunk := self.findings.read(1 << 16):
            self.out.write(chunk)
        self.out.write("\n  ],\n" if self.found else "],\n")
        self.out.write(f'  "files": {self.summary.files},\n')
        self.out.write(f'  "summary": {json_line(self.summary.as_dict())}\n}}\n')


class CsvReport(KpiReport):
    """Rows on stdout; findings on stderr, so the CSV stays a table."""

    def __init__(self, out: Any = None) -> None:
        super().__init__(out)
        self.err = Screen.stderr()
        self.out.write(",".join(CSV_FIELDS) + "\n")

    def write(self, audit: EncodedAudit) -> None:
        self.out.write(audit.out)
        for finding in audit.findings:
            finding_wrapped(finding, self.err)

    def finish(self) -> None:
        pass


def _style_status(column: int, text: str, padded: str) -> str:
    if column != 1:
        return escape(padded)
    style = STATUS_STYLE.get("not_applicable" if text == "n/a" else text, "")
    return f"[{style}]{escape(padded)}[/]" if style else escape(padded)


class TextReport(KpiReport):
    """For a person. ``detail``: a table per audit; otherwise a folder overview."""

    def __init__(self, screen: Screen, detail: bool) -> None:
        super().__init__()
        self.screen, self.detail = screen, detail
        self.listed = self.unlisted = self.warned = self.unwarned = 0

    def write(self, audit: EncodedAudit) -> None:
        if self.detail:
            self._audit_table(audit)
        else:
            self._missed(audit)
        for finding in audit.findings:
            if finding.level is Level.WARNING and not self.detail and self.warned >= SHOWN:
                self.unwarned += 1
                continue
            self.warned += finding.level is Level.WARNING
            finding_wrapped(finding, self.screen)

    def _heading(self, audit: EncodedAudit) -> None:
        head = f"{audit.path} ({audit.window})" if audit.window else audit.path
        if len(head) > self.screen.width and audit.window:
            self.screen.line(f"[bold]{escape(audit.path)}[/]")
            self.screen.line(f"  {escape(audit.window)}")
        else:
            self.screen.line(f"[bold]{escape(audit.path)}[/]"
                             + (f" ({escape(audit.window)})" if audit.window else ""))

    def _audit_table(self, audit: EncodedAudit) -> None:
        if not audit.rows and audit.broken:
            return
        self._heading(audit)
        if not audit.rows:
            self.screen.line("  no timescale applies")
        else:
            lines = table(("rule", "status", "due", "done", "wd late", "how it was counted"),
                          audit.rows, self.screen.width, wrapped=5,
                          right=frozenset({4}), style=_style_status)
            if lines is None:  # narrower than the ids and dates: one record a line
                for row in audit.rows:
                    for text in wrap("  ".join(c for c in row if c), self.screen.width,
                                     indent="    ", first=""):
                        self.screen.plain(text)
            else:
                self.screen.line(escape(lines[0]))
                self.screen.line(escape(lines[1]))
                for text in lines[2:]:
                    self.screen.line(text)
        if audit.hidden:
            self.screen.line(f"  {audit.hidden} rule{'s' if audit.hidden != 1 else ''} "
                             "not applicable (--all shows them)")
        self.screen.plain("")

    def _missed(self, audit: EncodedAudit) -> None:
        if not audit.missed:
            return
        if self.listed >= SHOWN:
            self.unlisted += len(audit.missed)
            return
        self.screen.line(f"[bold]{escape(audit.path)}[/]")
        for status, late, rule, due, done in audit.missed:
            if self.listed >= SHOWN:
                self.unlisted += 1
                continue
            self.listed += 1
            days = f" ({late} wd)" if late and late != "0" else ""
            when = f"due {due}" + (f", done {done}" if done else "")
            style = STATUS_STYLE.get(status, "")
            text = f"  {status}{days} {rule} {when}"
            if len(text) > self.screen.width:
                text = f"  {status}{days} {rule}\n    {when}"
            self.screen.line(escape(text).replace(status, f"[{style}]{status}[/]", 1))

    def finish(self) -> None:
        notes = []
        if self.unlisted:
            notes.append(f"... and {self.unlisted:,} more timescales missed (--detail shows "
                         "each audit; --format csv or jsonl every record)")
        if self.unwarned:
            notes.append(f"... and {self.unwarned:,} more warnings for the moderator "
                         "(--format jsonl lists every finding)")
        for note in notes:
            for text in wrap(note, self.screen.width, indent="    ", first=""):
                self.screen.plain(text)
        if self.summary.files > 1:
            for title, groups in (("rule", self.summary.by_rule),
                                  ("team", self.summary.by_team),
                                  ("case status", self.summary.by_status)):
                self._tally(title, groups)
        for text in wrap(summary_line(self.summary), self.screen.width, indent="  ",
                         first=""):
            self.screen.plain(text)

    def _tally(self, title: str, groups: dict[str, Tally]) -> None:
        headers = (title, "met", "late", "overdue", "missed", "pending", "on time")
        rows = [(key, *(f"{t.counts[s]:,}" for s in ("met", "late", "overdue", "missed",
                                                    "pending")),
                 "" if t.compliance is None else f"{t.compliance:.1f}%")
                for key, t in sorted(groups.items())]
        self.screen.plain("")
        self.screen.line(f"[bold]Compliance per {title}[/]")
        lines = table(headers, rows, self.screen.width, right=frozenset(range(1, 7)))
        if lines is None:
            for row in rows:
                counts = ", ".join(f"{v} {h}" for h, v in zip(headers[1:6], row[1:6],
                                                                 strict=True))
                for text in wrap(f"{row[0]}: {counts}, {row[6]} on time",
                                 self.screen.width, indent="    ", first=""):
                    self.screen.plain(text)
            return
        for text in lines:
            self.screen.plain(text)


def summary_line(summary: Summary) -> str:
    c = summary.total.counts
    share = "" if summary.total.compliance is None else \
        f", {summary.total.compliance:.1f}% on time"
    broken = f"; {summary.broken:,} not checked" if summary.broken else ""
    return (f"{summary.files:,} audit{'s' if summary.files != 1 else ''}: {c['met']:,} met, "
            f"{c['late']:,} late, {c['overdue']:,} overdue, {c['missed']:,} missed, "
            f"{c['pending']:,} pending{share}{broken}")


def report_for(fmt: Format, screen: Screen, detail: bool) -> KpiReport:
    if fmt is Format.json:
        return JsonReport()
    if fmt is Format.jsonl:
        return JsonLinesReport()
    if fmt is Format.csv:
        return CsvReport()
    return TextReport(screen, detail)
