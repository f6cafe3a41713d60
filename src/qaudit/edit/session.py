"""Open an audit for editing: the round-trip editor, the audit's template and folder settings,
and the date to judge "in the future" against. Every use case in ``qaudit.edit`` takes one.

API::

    open_audit(path, today, *, display=None) -> AuditSession
    held_audit(path, today, *, display=None)   the same, holding the audit's lock from the
                                            read to the end of the block (a one-shot writer:
                                            a second one waits, then reads this one's result)
    AuditSession.get(key) -> Any            the value as it will be saved (changes included)
    AuditSession.status -> str              draft / complete / moderated ("" when missing)
    AuditSession.changed_on_disk -> bool    someone else wrote the file since it was opened
    AuditSession.set(key, value) / append_record(table, record)   in memory, not saved
    AuditSession.reload() -> None           read the file again, dropping unsaved changes
    AuditSession.save() -> None             the one write path (writer.AuditEditor.save)
    AuditSession.baseline() -> Baseline     the audit as it stands (text, data, key index,
                                            its findings), computed once per change

A session is cheap; a long-lived front-end (the form) keeps one per open audit and checks
``changed_on_disk`` before it saves; ``save`` refuses (``ConflictError``) when the file
changed, so nothing anyone else wrote is overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qaudit.audit.locate import KeyIndex
from qaudit.audit.locking import exclusive
from qaudit.audit.status import status_of
from qaudit.audit.writer import AuditEditor, real_target
from qaudit.config import FolderConfig, config_for
from qaudit.errors import FileAccessError, UsageError
from qaudit.templates.catalogue import Template


@dataclass
class Baseline:
    """The audit as it stands in the session: what every check compares a change against."""

    text: str
    data: dict[str, Any]
    index: KeyIndex
    finding_keys: frozenset[tuple[str, str, str]] | None = None


@dataclass
class AuditSession:
    """One audit open for editing. Change it through ``set`` / ``append_record`` (or call
    ``touch`` after editing ``editor`` directly) so the cached baseline follows."""

    path: Path
    display: str
    editor: AuditEditor
    template: Template
    config: FolderConfig
    today: dt.date
    _generation: int = field(default=0, repr=False)
    _baseline: tuple[tuple[int, int, str], Baseline] | None = field(default=None, repr=False)

    def get(self, key: str) -> Any:
        return self.editor.get(key)

    def set(self, key: str, value: Any) -> None:
        self.editor.set(key, value)
        self.touch()

    def append_record(self, table: str, record: dict[str, Any]) -> int:
        index = self.editor.append_record(table, record)
        self.touch()
        return index

    def touch(self) -> None:
        self._generation += 1

    def baseline(self) -> Baseline:
        # A save through the editor itself changes its content hash: that is noticed too.
        token = (id(self.editor), self._generation, str(getattr(self.editor, "_hash", "")))
        if self._baseline is None or self._baseline[0] != token:
            text = self.editor.text()
            data: dict[str, Any] = self.editor.doc.unwrap()
            self._baseline = (token, Baseline(text, data, KeyIndex(text)))
        return self._baseline[1]

    @property
    def status(self) -> str:
        return status_of(self.editor.get)

    @property
    def changed_on_disk(self) -> bool:
        return self.editor.changed_on_disk

    def reload(self) -> None:
        self.editor = AuditEditor(self.path)
        self.touch()

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


@contextmanager
def held_audit(path: Path, today: dt.date, *,
               display: str | None = None) -> Iterator[AuditSession]:
    """``open_audit`` holding the audit's lock from the read until the block ends."""
    with exclusive(real_target(path)):
        yield open_audit(path, today, display=display)
