"""An audit's status moves: complete (``fill --complete``) and reopen (``--reopen``).

API::

    completeness_findings(session) -> list[Finding]     what is missing were it complete
    findings_as_complete(doc, template, today, config)  the same for a read-only document
    complete_audit(session) -> Completion
        draft -> complete when the validate rules, run as if it were complete, find no
        error; otherwise nothing is written and ``Completion.missing`` says what is wanted.
    reopen(session, reason, *, save=True) -> list[Finding]
        moderated -> complete, keeping the reason and the date in a ``[[reopened]]`` record;
        [] when done, else the refusal (not moderated, no reason).
    reopen_plan(session, reason) -> (values, records) | Finding    (used by set_values)

Moderating is ``qaudit.edit.moderate``.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from qaudit.audit.kinds import is_blank
from qaudit.audit.reader import AuditDocument
from qaudit.audit.status import COMPLETE, DRAFT, MODERATED, STATUS_KEY
from qaudit.config import FolderConfig
from qaudit.edit.session import AuditSession
from qaudit.errors import UsageError
from qaudit.findings import Finding, Level
from qaudit.readable import readable
from qaudit.templates.catalogue import Template

REOPENED_TABLE = "reopened"


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


def findings_as_complete(doc: AuditDocument, template: Template, today: dt.date,
                         config: FolderConfig) -> list[Finding]:
    """What the rules find in an audit (read or being edited) were it complete."""
    from qaudit.validate import check_document

    data: dict[str, Any] = copy.deepcopy(doc.data)
    audit = data.get("audit")
    if isinstance(audit, dict) and audit.get("status") in (DRAFT, COMPLETE):
        audit["status"] = COMPLETE
    return check_document(AuditDocument(doc.path, doc.text, data), template, today, config)


def completeness_findings(session: AuditSession) -> list[Finding]:
    """What the rules find in the audit open for editing were it complete."""
    base = session.baseline()
    doc = AuditDocument(session.display, base.text, base.data, base.index)
    return findings_as_complete(doc, session.template, session.today, session.config)


def complete_audit(session: AuditSession, *, save: bool = True) -> Completion:
    """Check, then set status = "complete" if nothing blocks. A moderated audit stays so."""
    before = session.status
    if before == MODERATED:
        raise UsageError("the audit is already moderated; its status is left as it is",
                         path=session.display)
    findings = completeness_findings(session)
    outcome = Completion(session.display, before, before, findings)
    if before not in (DRAFT, COMPLETE):
        if not outcome.missing:
            raise UsageError(f"status {readable(before)} is not draft or complete; fix it first",
                             path=session.display)
        return outcome
    if not outcome.missing and before == DRAFT:
        session.set(STATUS_KEY, COMPLETE)
        if save:
            session.save()
        outcome.after = COMPLETE
    return outcome


def _refusal(session: AuditSession, message: str) -> Finding:
    return Finding(session.display, 1, 1, Level.ERROR, "reopen", message, STATUS_KEY)


def reopen_plan(session: AuditSession,
                reason: str) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]] | Finding:
    """The change that reopens a moderated audit, or why it cannot be reopened."""
    if session.status != MODERATED:
        return _refusal(session, f'only a moderated audit is reopened; this one is '
                                 f"{readable(session.status or 'missing')}")
    if is_blank(reason):
        return _refusal(session, 'say why the audit is reopened: --reopen "reason"')
    record = {"date": session.today, "reason": reason.strip()}
    return {STATUS_KEY: COMPLETE}, [(REOPENED_TABLE, record)]


def reopen(session: AuditSession, reason: str, *, save: bool = True) -> list[Finding]:
    """Move a moderated audit back to complete, keeping why; [] when done."""
    planned = reopen_plan(session, reason)
    if isinstance(planned, Finding):
        return [planned]
    values, records = planned
    for table, record in records:
        session.append_record(table, record)
    for key, value in values.items():
        session.set(key, value)
    if save:
        session.save()
    return []
