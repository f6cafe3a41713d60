"""``qaudit fill --complete``: move an audit from draft to complete only when the validate
rules find nothing missing. Pure apart from the one write, made with ``writer.AuditEditor``.

The check reads the file with the fast reader and runs every validate rule as if the status
were already "complete", so the completeness rules (required answers, evidence, rationale)
apply in full. Any error finding blocks; warnings are reported but do not.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from qaudit.audit.reader import AuditDocument
from qaudit.audit.status import COMPLETE, DRAFT, MODERATED, STATUS_KEY
from qaudit.audit.writer import AuditEditor
from qaudit.config import config_for
from qaudit.errors import UsageError
from qaudit.findings import Finding, Level
from qaudit.validate import check_document, load


@dataclass
class Completion:
    """What ``--complete`` found and did."""

    path: str
    before: str
    after: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def missing(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.WARNING]

    @property
    def completed(self) -> bool:
        return self.after == COMPLETE and self.before != COMPLETE


def completeness_findings(path: Path, today: dt.date,
                          display: str | None = None) -> tuple[str, list[Finding]]:
    """The status in the file and what the rules find were it complete."""
    result = load(path, display)
    if result.document is None or result.template is None:
        return (result.document.status if result.document else ""), result.findings
    doc = result.document
    data = copy.deepcopy(doc.data)
    audit = data.get("audit")
    before = doc.status
    if isinstance(audit, dict) and before in (DRAFT, COMPLETE):
        audit["status"] = COMPLETE
    as_complete = AuditDocument(doc.path, doc.text, data)
    return before, check_document(as_complete, result.template, today, config_for(path))


def complete(path: Path, today: dt.date, display: str | None = None) -> Completion:
    """Check, then set status = "complete" if nothing blocks. A moderated audit stays so."""
    shown = display if display is not None else str(path)
    editor = AuditEditor(path)  # read first: a change after this is refused at save
    before, findings = completeness_findings(path, today, shown)
    if before == MODERATED:
        raise UsageError("the audit is already moderated; its status is left as it is",
                         path=shown)
    if before not in (DRAFT, COMPLETE):
        blocking = [f for f in findings if f.level is Level.ERROR]
        if not blocking:
            raise UsageError(f"status {before!r} is not draft or complete; fix it first",
                             path=shown)
        return Completion(shown, before, before, findings)
    outcome = Completion(shown, before, before, findings)
    if not outcome.missing and before == DRAFT:
        editor.set(STATUS_KEY, COMPLETE)
        editor.save()
        outcome.after = COMPLETE
    return outcome
