"""Validating audit files: the core of ``qaudit validate``. Data in, findings out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path

from msgspec import Struct

from qaudit.audit.reader import AuditDocument, expand_paths, read_audit
from qaudit.batch import run_batch
from qaudit.config import FolderConfig, config_for
from qaudit.errors import QauditError
from qaudit.findings import Finding, Level
from qaudit.readable import readable
from qaudit.rules import RULES, AuditContext
from qaudit.templates.catalogue import Catalogue, Template, catalogue_for_dirs
from qaudit.templates.cycle import audit_template


class FileResult(Struct):
    path: str
    findings: list[Finding]
    document: AuditDocument | None = None
    template: Template | None = None
    config: FolderConfig | None = None  # the folder's settings, looked up once per file

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.level is Level.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.level is Level.WARNING)


def catalogue_for(config: FolderConfig) -> Catalogue:
    """The folder's catalogue (cached on its template files' stamps: see the catalogue)."""
    return catalogue_for_dirs(config.template_dirs)


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
                           f"unknown template {readable(template_id)}; available: "
                           + ", ".join(catalogue.ids()))
    version = audit.get("template_version")
    if not isinstance(version, str) or not version:
        return doc.finding("audit.template_version", Level.ERROR, "audit-header",
                           f"[audit] has no template_version; {template_id} has: "
                           + ", ".join(catalogue.versions(template_id)))
    template = catalogue.get(template_id, version)
    if template is None:
        return doc.finding("audit.template_version", Level.ERROR, "template-unknown",
                           f"template {readable(template_id)} has no version "
                           f"{readable(version)}; available: "
                           + ", ".join(catalogue.versions(template_id)))
    return audit_template(template, doc.data)  # with the audit's own cycle questions


def load(path: Path, display: str | None = None) -> FileResult:
    """Read an audit and resolve its template; any failure is a finding in the result."""
    shown = display if display is not None else str(path)
    read = read_audit(path, shown)
    if isinstance(read, Finding):
        return FileResult(shown, [read])
    try:
        config = config_for(path)
    except QauditError as exc:  # a broken qaudit.toml: a finding for each audit under it
        return FileResult(shown, [Finding(shown, 1, 1, Level.ERROR, "config-invalid",
                                          f"not checked: its folder settings are broken: {exc}")])
    template = resolve_template(read, catalogue_for(config))
    if isinstance(template, Finding):
        return FileResult(shown, [template], read)
    return FileResult(shown, [], read, template, config)


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
                                         result.config or config_for(path))
    return result


def findings_of(path: Path, today: dt.date) -> FileResult:
    """One file's findings, without its parsed document (small to send back from a worker)."""
    result = validate_file(path, today)
    return FileResult(result.path, result.findings)


def failed(path: Path, finding: Finding) -> FileResult:
    """The result for a file the batch runner could not check (an ``internal-error``)."""
    return FileResult(str(path), [finding])


def validate_paths(paths: Iterable[Path], today: dt.date, jobs: int = 0,
                   progress: Callable[[int], None] | None = None) -> Iterator[FileResult]:
    """Every audit under the given files and folders, one result each, in path order,
    streamed as each file is checked (``qaudit.batch.run_batch``: worker processes for large
    batches, ``jobs`` 0 for one per CPU). Results carry findings only, not the document."""
    files = list(expand_paths(paths))
    yield from run_batch(files, partial(findings_of, today=today), on_error=failed, jobs=jobs,
                         progress=progress)
