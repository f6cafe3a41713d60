"""Building the panel's workbook: read every audit with the fast reader, stream the rows into
an openpyxl write-only workbook, and put it in place atomically.

Memory: the Answers, KPIs and Actions rows go to the sheet as each audit is read; only the
Audits rows (a few dozen values per audit) are kept until the end, because that sheet's
columns are the union of the graded sections of every template met.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from qaudit.audit.reader import expand_paths
from qaudit.errors import FileAccessError, UsageError
from qaudit.export import layout as L
from qaudit.export.audits_sheet import audit_columns, colour_grades, write_audits
from qaudit.export.cells import GRADE_COLOURS, header_row, value_cell
from qaudit.export.charts import write_charts
from qaudit.export.decision import grade_kind, scaling_kind
from qaudit.export.fastcells import fast_cells
from qaudit.export.redact import NameScrubber
from qaudit.export.rows import (
    ANSWER_HEADERS,
    AuditSummary,
    SectionColumn,
    answer_rows,
    plain,
    section_columns,
    summarise,
)
from qaudit.export.sources import SheetSource, available_sources
from qaudit.findings import Finding, Level
from qaudit.templates.catalogue import Template
from qaudit.validate import load

Progress = Callable[[int, int], None]
ANSWER_WIDTHS = (26, 12, 10, 26, 6, 50, 8, 18, 70)
ANSWER_WRAP = frozenset({5, 8})


@dataclass
class ExportResult:
    output: Path
    audits: int = 0
    answers: int = 0
    skipped: int = 0  # audits left out (unreadable, no template, changed while exported)
    findings: list[Finding] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def link_for(path: Path, folder: Path) -> str:
    """Where import-xlsx finds the audit: relative to the workbook's folder (so the workbook
    and the audits can move together), or absolute when there is no relative path."""
    absolute = path.resolve()
    try:
        return Path(os.path.relpath(absolute, folder.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return absolute.as_posix()


def _children(files: Iterable[Path]) -> NameScrubber:
    """Every child named in the audits of the export, for redacting names in free text."""
    scrubber = NameScrubber()
    for path in files:
        result = load(path)
        if result.document is None or result.template is None:
            continue
        name_path = result.template.role_path("child_name")
        case_path = result.template.role_path("case_number")
        name = result.document.get(name_path) if name_path else None
        case = result.document.get(case_path) if case_path else None
        if isinstance(name, str) and name.strip():
            scrubber.add(name, plain(case))
    return scrubber


def _setup(ws: Any, headers: Iterable[str], widths: Iterable[int]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 32
    ws.append(header_row(ws, list(headers)))


def _append(ws: Any, row: list[Any], wrap: frozenset[int] = frozenset()) -> None:
    ws.append([value_cell(ws, v, wrap=i in wrap) for i, v in enumerate(row)])


def _unchanged_text(path: Path, text: str) -> tuple[str, bool]:
    """SHA-256 of the file's bytes, and whether they are still the text that was parsed."""
    raw = path.read_bytes()
    now = raw.decode("utf-8", "replace")
    return hashlib.sha256(raw).hexdigest(), now.removeprefix("\ufeff") == text


def export_workbook(paths: Iterable[Path], output: Path, *, today: dt.date,
                    redact: bool = False, progress: Progress | None = None) -> ExportResult:
    """Write the panel's workbook to ``output``; broken audits become findings and are
    skipped. The file appears whole or not at all (temporary file, then rename)."""
    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"the workbook must be named *.xlsx, not {output.name!r}")
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise FileAccessError("the folder for the workbook does not exist", path=str(folder))
    files = list(expand_paths(paths))
    if not files:
        raise UsageError("no audit files (*.toml) found in the paths given")
    scrubber = _children(files) if redact else NameScrubber()
    sources, notes = available_sources()
    result = ExportResult(output, notes=notes)
    wb = Workbook(write_only=True)
    wb.create_sheet(L.AUDITS)
    _setup(wb.create_sheet(L.ANSWERS), ANSWER_HEADERS, ANSWER_WIDTHS)
    for source in sources:
        _setup(wb.create_sheet(source.title), source.headers, source.widths)
    wb.create_sheet(L.CHARTS)
    with fast_cells():
        try:
            _fill(wb, files, folder, today, redact, scrubber, sources, result, progress)
        except BaseException:
            _discard(wb)
            raise
        result.sheets = [ws.title for ws in wb.worksheets]
        _save(wb, output)
    return result


def _discard(wb: Workbook) -> None:
    """Close the sheets' temporary streams of a workbook that will not be saved."""
    for ws in wb.worksheets:
        try:
            ws.close()
        except Exception:  # best effort: the export has already failed
            continue


def _fill(wb: Workbook, files: list[Path], folder: Path, today: dt.date, redact: bool,
          scrubber: NameScrubber, sources: list[SheetSource], result: ExportResult,
          progress: Progress | None) -> None:
    audits_ws, answers_ws, *source_wss, charts_ws = wb.worksheets
    source_sheets = [(source, ws, [1]) for source, ws in zip(sources, source_wss, strict=True)]
    summaries: list[AuditSummary] = []
    columns: dict[str, SectionColumn] = {}
    templates: dict[tuple[str, str], Template] = {}
    for done, path in enumerate(files, start=1):
        exported = _export_one(path, folder, today, redact, scrubber, answers_ws,
                               source_sheets, result)
        if exported is not None:
            summary, template = exported
            summaries.append(summary)
            templates[(template.id, template.version)] = template
            for column in section_columns(template):
                known = columns.get(column.title)
                if known is None or (column.moderated and not known.moderated):
                    columns[column.title] = column
        if progress is not None:
            progress(done, len(files))
    answers_ws.auto_filter.ref = f"A1:I{max(result.answers + 1, 2)}"
    colour_grades(answers_ws, f"G2:G{max(result.answers + 1, 2)}")
    for source, ws, count in source_sheets:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(source.headers))}{max(count[0], 2)}"
    _finish(audits_ws, charts_ws, summaries, list(columns.values()), list(templates.values()),
            redact, any(s.counts_missed for s in sources))
    result.audits = len(summaries)


def _export_one(path: Path, folder: Path, today: dt.date, redact: bool,
                scrubber: NameScrubber, answers_ws: Any,
                source_sheets: list[tuple[SheetSource, Any, list[int]]],
                result: ExportResult) -> tuple[AuditSummary, Template] | None:
    loaded = load(path)
    if loaded.document is None or loaded.template is None:
        result.findings.extend(loaded.findings)
        result.skipped += 1
        return None
    doc, template = loaded.document, loaded.template
    try:
        sha, same = _unchanged_text(path, doc.text)
    except OSError as exc:
        same, sha = False, f"{exc.strerror or exc}"
    if not same:
        result.findings.append(Finding(str(path), 1, 1, Level.ERROR, "export-changed",
                                       "the file changed while it was exported; skipped "
                                       "(export again)"))
        result.skipped += 1
        return None
    link = link_for(path, folder)
    if redact and scrubber.leaks(link):
        result.findings.append(Finding(
            str(path), 1, 1, Level.WARNING, "export-redacted-path",
            "the file's name holds the child's name, so the workbook keeps only a redacted "
            "path and import-xlsx cannot find this audit; rename the file"))
        link = scrubber(link)
    summary = summarise(doc, template, link=link, sha256=sha, file_name=path.name,
                        redact=redact, scrub=scrubber)
    for row in answer_rows(doc, template, summary, scrubber):
        _append(answers_ws, row, ANSWER_WRAP)
        result.answers += 1
    for source, ws, count in source_sheets:
        got = source.collect(doc, template, path, today)
        for row in got.rows:
            _append(ws, [scrubber(v) if isinstance(v, str) else v for v in row], source.wrap)
            count[0] += 1
        if source.counts_missed:
            summary.kpis_missed = got.missed
        if got.open_actions is not None and summary.open_actions is not None:
            summary.open_actions = got.open_actions  # None: the template keeps no actions
        result.findings.extend(got.findings)
    return summary, template


def _finish(audits_ws: Any, charts_ws: Any, summaries: list[AuditSummary],
            sections: list[SectionColumn], templates: list[Template], redact: bool,
            kpis: bool) -> None:
    grade_values: set[int] = set()
    scaling_values: set[int] = set()
    names: dict[str, str] = {}
    for template in templates:
        kind = grade_kind(template)
        if kind is not None:
            grade_values.update(v for v in kind.values if isinstance(v, int))
            for key, name in kind.names.items():
                names.setdefault(key, name)
        scaling = scaling_kind(template)
        if scaling is not None:
            scaling_values.update(v for v in scaling.values if isinstance(v, int))
    columns = audit_columns(sections, redact=redact, scaling=bool(scaling_values), kpis=kpis)
    letters = write_audits(audits_ws, summaries, columns,
                           grade_values=sorted(grade_values or GRADE_COLOURS),
                           scaling_values=sorted(scaling_values), names=names)
    write_charts(charts_ws, summaries, letters, {int(k): v for k, v in names.items()
                                                 if k.isdigit()})


def _save(wb: Workbook, output: Path) -> None:
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp",
                                         dir=output.parent if str(output.parent) else ".")
    except OSError as exc:
        raise FileAccessError(f"cannot write here: {exc.strerror or exc}",
                              path=str(output)) from exc
    os.close(fd)
    temp = Path(temp_name)
    try:
        wb.save(temp)
        os.chmod(temp, 0o644)
        os.replace(temp, output)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise FileAccessError(f"cannot be written: {exc.strerror or exc}",
                              path=str(output)) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
