"""Building the panel's workbook: audits encoded in worker processes (``encode.py``, run by
the one batch runner, ``qaudit.batch``), rows streamed in file order into an openpyxl
write-only workbook by this one process, saved through the one atomic write.

Memory stays flat: every sheet streams to its own temporary file as rows arrive; only the
counts for the Charts sheet (per team and grade) are kept. An export in which no audit could
be exported writes nothing, so a mistyped folder never replaces the panel's workbook.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from qaudit.audit.reader import expand_paths
from qaudit.audit.writer import atomic_write_with
from qaudit.batch import run_batch
from qaudit.config import config_for
from qaudit.errors import FileAccessError, UsageError
from qaudit.export import layout as L
from qaudit.export.audits_sheet import colour_grades, finish_audits
from qaudit.export.cells import register_styles
from qaudit.export.charts import GradeColumns, write_charts
from qaudit.export.decision import grade_kind
from qaudit.export.encode import (
    EncodedAudit,
    ExportContext,
    columns_for,
    encode_audit,
    family_of,
    no_names,
    not_exported,
)
from qaudit.export.fastcells import fast_path
from qaudit.export.redact import NameScrubber
from qaudit.export.rows import ANSWER_HEADERS, ANSWER_WIDTHS
from qaudit.export.sheets import SheetSpec, SheetWriter
from qaudit.export.sources import available_sources
from qaudit.export.zipsave import saver
from qaudit.findings import Finding
from qaudit.readable import readable
from qaudit.templates.catalogue import Template
from qaudit.validate import catalogue_for

Progress = Callable[[int, int], None]


@dataclass
class ExportResult:
    output: Path
    audits: int = 0
    answers: int = 0
    skipped: int = 0  # audits left out (unreadable, no template, changed while exported)
    refused: int = 0  # audits exported although validate refuses some of their values
    written: bool = False  # False: nothing could be exported, the old workbook is untouched
    findings: list[Finding] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _check_paths(paths: list[Path], output: Path) -> Path:
    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"the workbook must be named *.xlsx, not {readable(output.name)}")
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise FileAccessError("the folder for the workbook does not exist", path=str(folder))
    for path in paths:
        if not path.exists():
            raise FileAccessError(f"no such file or folder; {output} was left as it was",
                                  path=str(path))
    return folder


def export_workbook(paths: Iterable[Path], output: Path, *, today: dt.date,
                    redact: bool = False, progress: Progress | None = None,
                    jobs: int = 0) -> ExportResult:
    """Write the panel's workbook to ``output``; broken audits become findings and are
    skipped. The file appears whole or not at all, and only when it holds an audit."""
    given = list(paths)
    folder = _check_paths(given, output)
    files = list(expand_paths(given))
    if not files:
        raise UsageError(f"no audit files (*.toml) found in the paths given; {output} was "
                         "left as it was")
    marking = config_for(given[0]).protective_marking
    sources, notes = available_sources()
    result = ExportResult(output, notes=notes)
    wb = Workbook(write_only=True)
    try:
        build = _Build(wb, folder, today, redact, marking, result)
        scrubber = NameScrubber()
        if redact:
            for found in run_batch(files, partial(family_of, context=build.context(scrubber)),
                                   on_error=no_names, jobs=jobs):
                scrubber.merge(found)
        total = len(files)
        for encoded in run_batch(files, partial(encode_audit, context=build.context(scrubber)),
                                 on_error=not_exported, jobs=jobs,
                                 progress=(lambda done: progress(done, total))
                                 if progress is not None else None):
            build.add(encoded)
        build.finish()
    except BaseException:
        _discard(wb)
        raise
    if result.audits == 0:
        _discard(wb)
        return result
    atomic_write_with(output, saver(wb, jobs))
    result.written = True
    return result


class _Build:
    """The sheets of one workbook as they fill."""

    def __init__(self, wb: Workbook, folder: Path, today: dt.date, redact: bool,
                 marking: str, result: ExportResult) -> None:
        self.wb, self.folder, self.today, self.redact = wb, folder, today, redact
        self.marking, self.result = marking, result
        self.fast = fast_path()
        answers_ws = wb.create_sheet(L.ANSWERS)
        # The same style ids either way, so both writers write the same workbook.
        styles = register_styles(answers_ws)
        self.styles = styles if self.fast else None
        self.answers = SheetWriter(answers_ws, SheetSpec(L.ANSWERS, ANSWER_HEADERS,
                                                         ANSWER_WIDTHS), self.styles, marking)
        self.sources = {s.title: SheetWriter(wb.create_sheet(s.title),
                                             SheetSpec(s.title, s.headers, s.widths),
                                             self.styles, marking)
                        for s in available_sources()[0]}
        self.charts_ws = wb.create_sheet(L.CHARTS)
        self.audit_sheets: dict[tuple[str, str], tuple[SheetWriter, Template]] = {}
        self.teams: dict[str, Counter[Any]] = {}

    def context(self, scrubber: NameScrubber) -> ExportContext:
        return ExportContext(self.folder, self.today, self.redact, scrubber, self.styles)

    def _audit_sheet(self, encoded: EncodedAudit) -> SheetWriter:
        known = self.audit_sheets.get(encoded.template)
        if known is not None:
            return known[0]
        template = catalogue_for(config_for(Path(encoded.path))).require(*encoded.template)
        columns = columns_for(template, self.redact)
        title = L.audit_sheet_name(*encoded.template, {ws.title for ws in self.wb.worksheets})
        spec = SheetSpec(title, [c.header for c in columns], [c.width for c in columns],
                         [c.input for c in columns], [c.hidden for c in columns], "C2")
        writer = SheetWriter(self.wb.create_sheet(title), spec, self.styles, self.marking)
        self.audit_sheets[encoded.template] = (writer, template)
        return writer

    def add(self, encoded: EncodedAudit) -> None:
        result = self.result
        result.findings.extend(encoded.findings)
        if not encoded.exported:
            result.skipped += 1
            return
        result.audits += 1
        result.refused += encoded.refused
        self._audit_sheet(encoded).add_rows(encoded.audit_row)
        self.answers.add_rows(encoded.answers)
        for title, rows in encoded.sources.items():
            self.sources[title].add_rows(rows)
        self.teams.setdefault(encoded.team or "(no team)", Counter())[encoded.overall] += 1

    def finish(self) -> None:
        answers = self.answers
        answers.ws.auto_filter.ref = f"A1:I{max(answers.last_row, 2)}"
        colour_grades(answers.ws, f"G2:G{max(answers.last_row, 2)}")
        for writer in self.sources.values():
            writer.ws.auto_filter.ref = (f"A1:{get_column_letter(len(writer.spec.headers))}"
                                         f"{max(writer.last_row, 2)}")
        grade_sheets: list[GradeColumns] = []
        names: dict[int, str] = {}
        for key in sorted(self.audit_sheets):
            writer, template = self.audit_sheets[key]
            columns = columns_for(template, self.redact)
            finish_audits(writer.ws, template, columns, writer.rows)
            letters = {c.header: get_column_letter(i) for i, c in enumerate(columns, start=1)}
            grade_sheets.append(GradeColumns(writer.ws.title, letters[L.H_OVERALL],
                                             letters[L.H_GRADE], writer.last_row))
            kind = grade_kind(template)
            for grade, name in (kind.names.items() if kind else ()):
                if str(grade).isdigit():
                    names.setdefault(int(grade), name)
        write_charts(self.charts_ws, grade_sheets, self.teams, names, self.marking)
        # Audits sheets first (by template), then Answers, KPIs, Actions, Charts.
        audits = [self.audit_sheets[k][0].ws for k in sorted(self.audit_sheets)]
        others = [ws for ws in self.wb._sheets if ws not in audits]
        self.wb._sheets = [*audits, *others]
        self.result.answers = answers.rows
        self.result.sheets = [ws.title for ws in self.wb.worksheets]


def _discard(wb: Workbook) -> None:
    """Close the sheets' temporary streams of a workbook that will not be saved."""
    for ws in wb.worksheets:
        try:
            ws.close()
        except Exception:  # best effort: the export has already failed
            continue
