"""Reporters: commands return results (findings, records, counters); these turn them into
output. Text for a person (coloured only at a terminal, fitted to its width), JSON, JSON Lines
and CSV for programs. Nothing here decides an exit code (``qaudit.cli.common`` does).

What needs no rich (plain finding lines, summaries, JSON lines through orjson) lives in
``qaudit.cli.plain`` and is re-exported here, so piped ``validate`` never imports rich.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from qaudit.cli.plain import findings_summary, json_line, summary, write
from qaudit.cli.reporters.layout import NBSP, wrap
from qaudit.findings import Finding, Level

__all__ = ["Format", "Screen", "finding_line", "finding_markup", "finding_wrapped",
           "findings_summary", "json_line", "summary", "write"]


class Format(StrEnum):
    """Every output format; each command offers the ones that make sense for it."""

    text = "text"
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


_STYLE = {Level.ERROR: "bold red", Level.WARNING: "yellow"}


@dataclass
class Screen:
    """Where text goes: a rich console (colour only at a terminal, NO_COLOR honoured), its
    width (the terminal's, else $COLUMNS, else 80) and whether it is a terminal."""

    console: Console

    @classmethod
    def stdout(cls) -> Screen:
        return cls(Console(highlight=False, soft_wrap=True))

    @classmethod
    def stderr(cls) -> Screen:
        return cls(Console(stderr=True, highlight=False, soft_wrap=True))

    @property
    def width(self) -> int:
        return max(40, self.console.width)

    @property
    def terminal(self) -> bool:
        return self.console.is_terminal

    def line(self, markup: str) -> None:
        self.console.print(markup, soft_wrap=True)

    def plain(self, text: str) -> None:
        """Text printed as it is (no markup read)."""
        self.console.out(text, highlight=False)


def finding_markup(finding: Finding) -> str:
    """``path:line:col: level rule-id message`` with rich markup (colour at a terminal)."""
    style = _STYLE[finding.level]
    return (f"[bold]{escape(finding.path)}[/]:{finding.line}:{finding.column}: "
            f"[{style}]{finding.level.value}[/] [cyan]{escape(finding.rule)}[/] "
            f"{escape(finding.message)}")


def finding_line(finding: Finding, console: Console) -> None:
    """Piped or to a file: one finding a line, as pre-commit and editors parse it (never
    wrapped). At a terminal: wrapped to its width at spaces, the ``path:line:col: level
    rule`` head kept whole on the first line and the message's further lines indented."""
    if not console.is_terminal:
        console.print(finding_markup(finding), soft_wrap=True)
        return
    where = f"{finding.path}:{finding.line}:{finding.column}:"
    head = f"{where} {finding.level.value} {finding.rule} "
    width = max(40, console.width)
    if len(head) <= width:
        lines = wrap(head.rstrip().replace(" ", NBSP) + " " + finding.message, width, indent="    ",
                     first="")
        level_at = len(where) + 1
    else:  # a long path: the location on its own line, never split
        console.print(Text(where, style="bold"), soft_wrap=True)
        tail = f"{finding.level.value}{NBSP}{finding.rule} "
        lines = wrap(tail + finding.message, width, indent="    ", first="    ")
        level_at = 4
    for index, line in enumerate(lines):
        shown = Text(line)
        if index == 0:
            rule_at = level_at + len(finding.level.value) + 1
            if level_at > 4:
                shown.stylize("bold", 0, len(finding.path))
            shown.stylize(_STYLE[finding.level], level_at, rule_at - 1)
            shown.stylize("cyan", rule_at, rule_at + len(finding.rule))
        console.print(shown, soft_wrap=True)


def finding_wrapped(finding: Finding, screen: Screen) -> None:
    """One finding, wrapped to the screen's width with its message indented (for commands
    whose output is read on screen rather than parsed: check-kpis)."""
    head = f"{finding.path}:{finding.line}:{finding.column}:"
    body = f"{finding.level.value} {finding.rule} {finding.message}"
    lines = wrap(body, screen.width, indent="    ", first="    ")
    style = _STYLE[finding.level]
    screen.line(f"[bold]{escape(head)}[/]")
    for index, text in enumerate(lines):
        if index == 0:
            level, _, rest = text.strip().partition(" ")
            rule, _, message = rest.partition(" ")
            screen.line(f"    [{style}]{escape(level)}[/] [cyan]{escape(rule)}[/] "
                        f"{escape(message)}")
        else:
            screen.line(escape(text))
