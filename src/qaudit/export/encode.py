"""The worker step of export-xlsx: one audit file in, its encoded rows out.

``encode_audit(path)`` reads one audit, checks it as ``validate`` does, and returns the rows it
gives every sheet (its Audits row, its Answers, KPIs and Actions rows), already encoded as
sheet XML when the fast writer is in use, with what the Charts sheet needs and any finding.
It runs in worker processes (``qaudit.batch.run_batch``) or in the writing process for small
exports; the settings of the run come in one ``ExportContext``.
``family_of(path)`` is the pass before it for ``--redact``: the names one audit records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qaudit.config import config_for
from qaudit.export.audits_sheet import Column, audit_columns, audit_row
from qaudit.export.cells import StyleKey
from qaudit.export.layout import ANSWERS
from qaudit.export.redact import NameScrubber
from qaudit.export.rows import ANSWER_WIDTHS, answer_rows, summarise
from qaudit.export.sheets import RowMaker, Rows
from qaudit.export.sources import available_sources
from qaudit.findings import Finding, Level
from qaudit.templates.catalogue import Template
from qaudit.validate import check_document, load


@dataclass(frozen=True)
class ExportContext:
    folder: Path  # the workbook's folder: links are relative to it
    today: dt.date
    redact: bool = False
    scrubber: NameScrubber = field(default_factory=NameScrubber)
    styles: dict[StyleKey, int] | None = None  # None: rows as values (openpyxl's writer)
    run: str = field(default_factory=lambda: uuid.uuid4().hex)  # one export


@dataclass
class EncodedAudit:
    path: str
    findings: list[Finding] = field(default_factory=list)
    exported: bool = False
    refused: bool = False  # validate refuses some of its values
    template: tuple[str, str] = ("", "")  # id, version
    audit_row: Rows = field(default_factory=list)  # its one row
    answers: Rows = field(default_factory=list)
    sources: dict[str, Rows] = field(default_factory=dict)  # sheet title -> rows
    team: str = ""
    overall: Any = None


_RUN: list[str] = []
_COLUMNS: dict[int, tuple[Template, list[Column]]] = {}
_MAKERS: dict[object, RowMaker] = {}  # by sheet: "Answers", a source's title, a template


def _use(context: ExportContext) -> None:
    """A new run in this (worker) process: forget the last run's columns and row makers."""
    if [context.run] != _RUN:
        _RUN[:] = [context.run]
        _COLUMNS.clear()
        _MAKERS.clear()


def _maker(key: object, inputs: list[bool], widths: list[float],
           context: ExportContext) -> RowMaker:
    """The rows of one sheet are made by one ``RowMaker`` per run and process."""
    maker = _MAKERS.get(key)
    if maker is None:
        maker = _MAKERS[key] = RowMaker(inputs, widths, context.styles)
    return maker


def columns_for(template: Template, redact: bool) -> list[Column]:
    """The Audits columns of ``template`` (cached for the run)."""
    hit = _COLUMNS.get(id(template))
    if hit is None:
        kpis = any(s.counts_missed for s in available_sources()[0])
        hit = _COLUMNS[id(template)] = (template, audit_columns(template, redact=redact,
                                                                kpis=kpis))
    return hit[1]


def link_for(path: Path, folder: Path) -> str:
    """Where import-xlsx finds the audit: relative to the workbook's folder (so the workbook
    and the audits can move together), or absolute when there is no relative path."""
    absolute = path.resolve()
    try:
        return Path(os.path.relpath(absolute, folder.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return absolute.as_posix()


def _unchanged_text(path: Path, text: str) -> tuple[str, bool]:
    """SHA-256 of the file's bytes, and whether they are still the text that was parsed."""
    raw = path.read_bytes()
    now = raw.decode("utf-8", "replace")
    return hashlib.sha256(raw).hexdigest(), now.removeprefix("\ufeff") == text


def encode_audit(path: Path, context: ExportContext) -> EncodedAudit:
    """Everything the workbook shows of one audit (the batch runner's work; an unexpected
    error becomes its ``internal-error`` finding through ``not_exported``)."""
    _use(context)
    return _encode(path, context)


def family_of(path: Path, context: ExportContext) -> NameScrubber:
    """The names (and case number) one audit records, for ``--redact``."""
    scrubber = NameScrubber()
    loaded = load(path)
    if loaded.document is not None and loaded.template is not None:
        scrubber.add_family(loaded.document.get, loaded.template)
    return scrubber


def not_exported(path: Path, finding: Finding) -> EncodedAudit:
    """An audit the batch runner could not work on: left out, with the finding."""
    return EncodedAudit(str(path), [finding])


def no_names(path: Path, finding: Finding) -> NameScrubber:
    return NameScrubber()  # encode_audit reports the file


def _refusal(path: Path, found: list[Finding]) -> Finding:
    first = found[0]
    more = f" and {len(found) - 1} more" if len(found) > 1 else ""
    return Finding(str(path), first.line, first.column, Level.WARNING, "export-invalid",
                   f"validate refuses this audit ({first.rule}: {first.message}{more}); "
                   "exported as the file holds it, so check it before the panel relies on it")


def _encode(path: Path, context: ExportContext) -> EncodedAudit:
    out = EncodedAudit(str(path))
    loaded = load(path)
    if loaded.document is None or loaded.template is None:
        out.findings.extend(loaded.findings)
        return out
    doc, template = loaded.document, loaded.template
    try:
        sha, same = _unchanged_text(path, doc.text)
    except OSError as exc:
        same, sha = False, f"{exc.strerror or exc}"
    if not same:
        out.findings.append(Finding(str(path), 1, 1, Level.ERROR, "export-changed",
                                    "the file changed while it was exported; skipped "
                                    "(export again)"))
        return out
    config = config_for(path)
    refused = [f for f in check_document(doc, template, context.today, config)
               if f.level is Level.ERROR]
    if refused:
        out.refused = True
        out.findings.append(_refusal(path, refused))
    scrub = context.scrubber
    link = link_for(path, context.folder)
    if context.redact and scrub.names_in(link):
        out.findings.append(Finding(
            str(path), 1, 1, Level.WARNING, "export-redacted-path",
            "the file's name holds a family name, so the workbook keeps only a redacted "
            "path and import-xlsx cannot find this audit; rename the file"))
        link = scrub.hide_names(link)
    summary = summarise(doc, template, link=link, sha256=sha, file_name=path.name,
                        redact=context.redact, scrub=scrub)
    answers = _maker(ANSWERS, [False] * len(ANSWER_WIDTHS), list(ANSWER_WIDTHS), context)
    out.answers = answers.rows(answer_rows(doc, template, summary, scrub))
    for source in available_sources()[0]:
        got = source.collect(doc, template, path, context.today)
        maker = _maker(source.title, [False] * len(source.headers), list(source.widths),
                       context)
        if context.redact:
            out.sources[source.title] = maker.rows(
                [scrub(v) if isinstance(v, str) else v for v in row] for row in got.rows)
        else:  # nothing to scrub
            out.sources[source.title] = maker.rows(got.rows)
        if source.counts_missed:
            summary.kpis_missed = got.missed
        if got.open_actions is not None and summary.open_actions is not None:
            summary.open_actions = got.open_actions  # None: the template keeps no actions
        out.findings.extend(got.findings)
    columns = columns_for(template, context.redact)
    audits = _maker(id(template), [c.input for c in columns], [c.width for c in columns],
                    context)
    out.audit_row = audits.rows([audit_row(summary, columns)])
    out.template = (template.id, template.version)
    out.team, out.overall = summary.team, summary.overall_grade
    out.exported = True
    return out

