"""``qaudit fill --complete`` by path: the use case is ``qaudit.edit.lifecycle.complete_audit``
(draft -> complete only when the validate rules, run as if complete, find no error)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from qaudit.config import config_for
from qaudit.edit.lifecycle import Completion, complete_audit, findings_as_complete
from qaudit.edit.session import open_audit
from qaudit.findings import Finding

__all__ = ["Completion", "complete", "completeness_findings"]


def complete(path: Path, today: dt.date, display: str | None = None) -> Completion:
    """Open the audit, check it, and move it to complete if nothing blocks."""
    return complete_audit(open_audit(path, today, display=display))


def completeness_findings(path: Path, today: dt.date,
                          display: str | None = None) -> tuple[str, list[Finding]]:
    """Read-only (status, what the rules find were it complete), for status and render."""
    from qaudit.validate import load

    result = load(path, display)
    if result.document is None or result.template is None:
        return (result.document.status if result.document else ""), result.findings
    doc = result.document
    return doc.status, findings_as_complete(doc, result.template, today, config_for(path))
