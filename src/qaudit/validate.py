"""Validating audit files: the core of ``qaudit validate``. Data in, findings out."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from qaudit.audit.reader import AuditDocument, expand_paths, read_audit
from qaudit.config import FolderConfig, config_for
from qaudit.findings import Finding, Level
from qaudit.rules import RULES, AuditContext
from qaudit.templates.catalogue import Catalogue, Template
from qaudit.templates.cycle import audit_template


@dataclass
class FileResult:
    path: str
    findings: list[Finding]
    document: AuditDocument | None = None
    template: Template | None = None

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.level is Level.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.level is Level.WARNING)


@cache
def _catalogue(template_dirs: tuple[Path, ...]) -> Catalogue:
    return Catalogue(template_dirs)


def catalogue_for(config: FolderConfig) -> Catalogue:
    return _catalogue(config.template_dirs)


def resolve_template(doc: AuditDocument, catalogue: Catalogue) -> Template | Finding:
    """The template an audit names in [audit], or a finding saying what is wrong."""
    audit = doc.get("audit")
    if not isinstance(audit, dict):
        return doc.finding("audit", Level.ERROR, "audit-header",
                           "no [audit] table; an audit starts with [audit] naming its template "
                           f"(template = one of: {', '.join(catalogue.ids())})", at_value=False)
    template_id = audit.get("template")
    if not isinstance(template_id, str) or not template_id:
        return doc.finding("audit.template", Level.ERROR, "audit-header",
                           "[audit] has no template; allowed: " + ", ".join(catalogue.ids()))
    if template_id not in catalogue.ids():
        return doc.finding("audit.template", Level.ERROR, "template-unknown",
                           f"unknown template {template_id!r}; available: "
                           + ", ".join(catalogue.ids()))
    version = audit.get("template_version")
    if not isinstance(version, str) or not version:
        return doc.finding("audit.template_version", Level.ERROR, "audit-header",
                           f"[audit] has no template_version; {template_id} has: "
                           + ", ".join(catalogue.versions(template_id)))
    template = catalogue.get(template_id, version)
    if template is None:
        return doc.finding("audit.template_version", Level.ERROR, "template-unknown",
                           f"template {template_id!r} has no version {version!r}; available: "
                           + ", ".join(catalogue.versions(template_id)))
    return audit_template(template, doc.data)  # with the audit's own cycle questions


def load(path: Path, display: str | None = None) -> FileResult:
    """Read an audit and resolve its template; any failure is a finding in the result."""
    shown = display if display is not None else str(path)
    read = read_audit(path, shown)
    if isinstance(read, Finding):
        return FileResult(shown, [read])
    config = config_for(path)
    template = resolve_template(read, catalogue_for(config))
    if isinstance(template, Finding):
        return FileResult(shown, [template], read)
    return FileResult(shown, [], read, template)


def check_document(doc: AuditDocument, template: Template, today: dt.date,
                   config: FolderConfig) -> list[Finding]:
    context = AuditContext(doc, template, today, config)
    found: list[Finding] = []
    for rule in RULES:
        found.extend(rule.check(context))
    return sorted(found)


def validate_file(path: Path, today: dt.date, display: str | None = None) -> FileResult:
    result = load(path, display)
    if result.document is not None and result.template is not None:
        result.findings = check_document(result.document, result.template, today,
                                         config_for(path))
    return result


def _validate_chunk(args: tuple[list[Path], dt.date]) -> list[FileResult]:
    chunk, today = args
    results = []
    for path in chunk:
        result = validate_file(path, today)
        results.append(FileResult(result.path, result.findings))  # no document: cheap to pickle
    return results


PARALLEL_FROM = 200  # below this many files, starting worker processes costs more than it saves


def validate_paths(paths: Iterable[Path], today: dt.date, jobs: int = 0) -> Iterator[FileResult]:
    """Every audit under the given files and folders, one result each, in path order.

    Large batches are split across ``jobs`` worker processes (0: one per CPU); results still
    come back in path order. Results from workers carry findings only, not the parsed document.
    """
    files = list(expand_paths(paths))
    workers = jobs or os.cpu_count() or 1
    if workers <= 1 or len(files) < PARALLEL_FROM:
        for path in files:
            yield validate_file(path, today)
        return
    size = max(20, len(files) // (workers * 8))
    chunks = [(files[i:i + size], today) for i in range(0, len(files), size)]
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with context.Pool(workers) as pool:
        for results in pool.imap(_validate_chunk, chunks):
            yield from results
