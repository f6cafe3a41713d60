"""``qaudit fill --complete`` by path: the use case is ``qaudit.edit.lifecycle.complete_audit``
(draft -> complete only when the validate rules, run as if complete, find no error)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from qaudit.edit.lifecycle import Completion, complete_audit
from qaudit.edit.session import open_audit

__all__ = ["Completion", "complete"]


def complete(path: Path, today: dt.date, display: str | None = None) -> Completion:
    """Open the audit, check it, and move it to complete if nothing blocks."""
    return complete_audit(open_audit(path, today, display=display))
