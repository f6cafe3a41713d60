"""Rendering findings: one a line (``path:line:col: level rule-id message``) or JSON."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.markup import escape

from qaudit.findings import Finding, Level

_STYLE = {Level.ERROR: "bold red", Level.WARNING: "yellow"}


def finding_line(finding: Finding, console: Console) -> None:
    """Coloured on a terminal; plain (and parseable) when piped."""
    style = _STYLE[finding.level]
    console.print(
        f"[bold]{escape(finding.path)}[/]:{finding.line}:{finding.column}: "
        f"[{style}]{finding.level.value}[/] [cyan]{escape(finding.rule)}[/] "
        f"{escape(finding.message)}"
    )


def summary(findings: Iterable[Finding], files: int) -> str:
    found = list(findings)
    errors = sum(1 for f in found if f.level is Level.ERROR)
    warnings = len(found) - errors
    touched = len({f.path for f in found})
    if not found:
        return f"{files} file{'s' if files != 1 else ''} checked: no problems"
    return (f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning"
            f"{'s' if warnings != 1 else ''} in {touched} of {files} file"
            f"{'s' if files != 1 else ''}")
