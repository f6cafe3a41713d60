"""``qaudit status``'s core: a row per audit over files and folders, filtered, sorted by what
needs attention first, with totals. Rows are made in worker processes for large folders and
streamed back in path order; only the small rows are kept for sorting."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qaudit.audit.reader import expand_paths
from qaudit.audit.status import COMPLETE, DRAFT, MODERATED
from qaudit.status.row import (
    STALE,
    UNREADABLE,
    AuditRow,
    attention,
    row_for,
)

PARALLEL_FROM = 200  # below this many files, starting worker processes costs more than it saves


def _chunk(args: tuple[list[Path], dt.date]) -> list[AuditRow]:
    paths, today = args
    return [row_for(path, today) for path in paths]


def audit_rows(paths: Iterable[Path], today: dt.date, *, jobs: int = 0,
               progress: Callable[[int, int], None] | None = None) -> Iterator[AuditRow]:
    """A row for every audit under the given files and folders, in path order."""
    files = list(expand_paths(paths))
    total = len(files)
    workers = jobs or os.cpu_count() or 1
    if workers <= 1 or total < PARALLEL_FROM:
        for done, path in enumerate(files, start=1):
            yield row_for(path, today)
            if progress is not None:
                progress(done, total)
        return
    size = max(20, total // (workers * 8))
    chunks = [(files[i:i + size], today) for i in range(0, total, size)]
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    done = 0
    with context.Pool(workers) as pool:
        for rows in pool.imap(_chunk, chunks):
            yield from rows
            done += len(rows)
            if progress is not None:
                progress(done, total)


@dataclass(frozen=True)
class RowFilter:
    """``--status``, ``--team``, ``--auditor`` (case-insensitive, part of the name) and
    ``--since`` (audit date on or after)."""

    status: str | None = None
    team: str | None = None
    auditor: str | None = None
    since: dt.date | None = None

    def keeps(self, row: AuditRow) -> bool:
        if self.status and row.status != self.status:
            return False
        if self.team and self.team.casefold() not in row.team.casefold():
            return False
        if self.auditor and self.auditor.casefold() not in row.auditor.casefold():
            return False
        return not (self.since and (row.audit_date is None or row.audit_date < self.since))


@dataclass
class Totals:
    audits: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    warnings: int = 0
    missed: int = 0
    open_actions: int = 0
    flagged_actions: int = 0
    awaiting: int = 0
    not_emailed: int = 0

    def add(self, row: AuditRow) -> None:
        self.audits += 1
        self.by_status[row.status] = self.by_status.get(row.status, 0) + 1
        self.errors += row.errors
        self.warnings += row.warnings
        self.missed += row.missed
        self.open_actions += row.open_actions
        self.flagged_actions += row.flagged_actions
        self.awaiting += row.status == COMPLETE
        self.not_emailed += row.emailed in ("no", "late")

    def as_dict(self) -> dict[str, Any]:
        return {"audits": self.audits, "by_status": dict(self.by_status),
                "errors": self.errors, "warnings": self.warnings, "missed": self.missed,
                "open_actions": self.open_actions, "flagged_actions": self.flagged_actions,
                "awaiting_moderation": self.awaiting, "not_emailed": self.not_emailed}

    def parts(self) -> list[str]:
        """The totals line in pieces a screen may wrap between."""
        def n(count: int, what: str, plural: str = "s") -> str:
            return f"{count} {what}{plural if count != 1 else ''}"

        order = [s for s in (DRAFT, COMPLETE, MODERATED, STALE, UNREADABLE)
                 if s in self.by_status]
        order += sorted(s for s in self.by_status if s not in order)
        statuses = ", ".join(f"{self.by_status[s]} {s}" for s in order)
        return [n(self.audits, "audit") + (f": {statuses}" if statuses else ""),
                f"{n(self.errors, 'error')}, {n(self.warnings, 'warning')}",
                n(self.missed, "timescale") + " missed",
                f"{n(self.open_actions, 'open action')} ({self.flagged_actions} flagged)",
                f"{self.awaiting} awaiting moderation",
                f"{self.not_emailed} not e-mailed on the day"]


@dataclass
class StatusReport:
    rows: list[AuditRow]
    totals: Totals
    scanned: int


def status_report(paths: Iterable[Path], today: dt.date, keep: RowFilter = RowFilter(), *,
                  jobs: int = 0,
                  progress: Callable[[int, int], None] | None = None) -> StatusReport:
    """Every audit kept by the filter, most in need of attention first, with totals."""
    rows: list[AuditRow] = []
    totals = Totals()
    scanned = 0
    for row in audit_rows(paths, today, jobs=jobs, progress=progress):
        scanned += 1
        if keep.keeps(row):
            rows.append(row)
            totals.add(row)
    rows.sort(key=attention)
    return StatusReport(rows, totals, scanned)
