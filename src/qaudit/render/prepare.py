"""From an audit file to a ``Document``: read it (fast reader), check it with validate's rules,
summarise its timescales with check-kpis, and redact when asked. Findings, never exceptions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from qaudit.audit.reader import AuditDocument
from qaudit.config import FolderConfig, config_for
from qaudit.export.redact import NameScrubber, pseudonym
from qaudit.findings import Finding, Level
from qaudit.kpis import check as kpis
from qaudit.kpis.engine import MISSED
from qaudit.kpis.ruleset import RuleSet, load_ruleset
from qaudit.render.model import Document, Timescales, build
from qaudit.templates.catalogue import Template
from qaudit.validate import check_document, load

STATUS_ORDER = ("met", "late", "overdue", "missed", "pending", "not_applicable")


@dataclass
class Prepared:
    """One audit ready to render, or the finding that stopped it being read."""

    path: Path
    shown: str
    document: Document | None = None
    findings: list[Finding] = field(default_factory=list)
    template: Template | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.ERROR]


@cache
def ruleset_for(config: FolderConfig) -> RuleSet:
    return load_ruleset("", config)


def timescales(doc: AuditDocument, template: Template, today: dt.date,
               config: FolderConfig) -> Timescales:
    """check-kpis for one audit, summed up: how many of each status, and each one missed."""
    result = kpis.check_document(doc, template, ruleset_for(config), today)
    titles = {r.id: r.title or r.id for r in ruleset_for(config).rules}
    counts: dict[str, int] = {}
    missed = []
    for record in result.records:
        counts[record.status] = counts.get(record.status, 0) + 1
        if record.status in MISSED:
            late = (f", {record.working_days_late} working days late"
                    if record.working_days_late else "")
            due = f"due {record.due.isoformat()}" if record.due else "no due date"
            done = f", done {record.done.isoformat()}" if record.done else ", not done"
            missed.append(f"{titles.get(record.rule, record.rule)}: {record.status} "
                          f"({due}{done}{late})")
    ordered = tuple((s, counts[s]) for s in STATUS_ORDER if s in counts)
    problems = tuple(f.message for f in result.findings if f.level is Level.ERROR)
    return Timescales(ordered, tuple(missed), problems)


def scrubber_for(paths: Iterable[Path]) -> NameScrubber:
    """Every family name and case number of every audit rendered (export-xlsx's redaction,
    ``NameScrubber.add_family``), so a sibling named in another child's evidence is hidden
    too: the child by pseudonym, other family members as "[family member]"."""
    scrubber = NameScrubber()
    for path in paths:
        loaded = load(path)
        if loaded.document is not None and loaded.template is not None:
            scrubber.add_family(loaded.document.get, loaded.template)
    return scrubber


def prepare(path: Path, today: dt.date, *, for_file: bool = False,
            scrubber: NameScrubber | None = None, long_dates: bool = True) -> Prepared:
    """Read, check and lay out one audit. A file that cannot be read gives its finding."""
    loaded = load(path)
    shown = loaded.path
    if loaded.document is None or loaded.template is None:
        return Prepared(path, shown, findings=list(loaded.findings))
    doc, template = loaded.document, loaded.template
    config = config_for(path)
    findings = check_document(doc, template, today, config)
    summary = timescales(doc, template, today, config)
    alias = ""
    scrub = None
    if scrubber is not None:
        case_key = template.role_path("case_number")
        alias = pseudonym(str(doc.get(case_key) or "") if case_key else "")
        scrub = scrubber
    document = build(template, doc.get, status=doc.status, timescales=summary,
                     scrub=scrub or (lambda s: s), child_alias=alias, for_file=for_file,
                     long_dates=long_dates)
    return Prepared(path, shown, document, findings, template)
