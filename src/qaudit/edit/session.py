"""Open an audit for editing: the round-trip editor, the audit's template and folder settings,
and the date to judge "in the future" against. Every use case in ``qaudit.edit`` takes one.

API::

    open_audit(path, today, *, display=None) -> AuditSession
    AuditSession.get(key) -> Any            the value as it will be saved (changes included)
    AuditSession.status -> str              draft / complete / moderated ("" when missing)
    AuditSession.changed_on_disk -> bool    someone else wrote the file since it was opened
    AuditSession.reload() -> None           read the file again, dropping unsaved changes
    AuditSession.save() -> None             the one write path (writer.AuditEditor.save)

A session is cheap; a long-lived front-end (the form) keeps one per open audit and checks
``changed_on_disk`` before it saves; ``save`` refuses (``ConflictError``) when the file
changed, so nothing anyone else wrote is overwritten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qaudit.audit.status import status_of
from qaudit.audit.writer import AuditEditor
from qaudit.config import FolderConfig, config_for
from qaudit.errors import FileAccessError, UsageError
from qaudit.templates.catalogue import Template


@dataclass
class AuditSession:
    """One audit open for editing."""

    path: Path
    display: str
    editor: AuditEditor
    template: Template
    config: FolderConfig
    today: dt.date

    def get(self, key: str) -> Any:
        return self.editor.get(key)

    @property
    def status(self) -> str:
        return status_of(self.editor.get)

    @property
    def changed_on_disk(self) -> bool:
        return self.editor.changed_on_disk

    def reload(self) -> None:
        self.editor = AuditEditor(self.path)

    def save(self) -> None:
        self.editor.save()


def open_audit(path: Path, today: dt.date, *, display: str | None = None) -> AuditSession:
    """Open ``path`` for editing. Refuses a folder, a missing file, a file that is not TOML
    and an audit whose template qaudit cannot find (each with a one-line reason)."""
    from qaudit.validate import load

    shown = display if display is not None else str(path)
    if path.is_dir():
        raise UsageError("is a folder; give one audit file", path=shown)
    if not path.exists():
        raise FileAccessError("no such audit file", path=shown)
    editor = AuditEditor(path)  # read first: any later change on disk is refused at save
    result = load(path, shown)
    if result.template is None:
        problem = result.findings[0] if result.findings else None
        where = f"{problem.line}:{problem.column}: " if problem else ""
        message = problem.message if problem else "cannot be read"
        raise UsageError(f"{where}{message}", path=shown)
    return AuditSession(path, shown, editor, result.template, config_for(path), today)
