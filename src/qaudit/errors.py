"""The one error family that stops a command. Findings about an audit are not errors.

Every subclass carries the exit code it maps to; the CLI turns them into a message and that
code in one place (``qaudit.cli.app.main``), never a traceback.
"""

from __future__ import annotations

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class QauditError(Exception):
    """Something stops the command: bad usage, an unreadable file, a broken template."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class UsageError(QauditError):
    """The command was asked for something it cannot do (bad option, unknown template)."""


class FileAccessError(QauditError):
    """A file could not be read or written."""


class TemplateError(QauditError):
    """A template data file is broken. Councils edit these, so say where and what."""


class ConflictError(QauditError):
    """The file changed on disk since it was read; writing would lose someone's work."""
