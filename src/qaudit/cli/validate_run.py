"""What ``qaudit validate`` does, without typer or rich: its options as data and the run.

pre-commit starts ``qaudit validate --quiet FILE...`` once per commit, so this module and
what it imports are the whole start-up of that command line (``qaudit.cli.fastpath``):
typer builds the ``validate`` command from ``OPTIONS`` (``qaudit.cli.validate_cmd``) and
the short way in parses the same ``OPTIONS``, so there is one definition of each option.
Piped output is written with ``sys.stdout`` alone; rich is imported only at a terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qaudit.audit.reader import expand_paths
from qaudit.cli.common import exit_code, today
from qaudit.cli.plain import findings_summary, json_line, stdout_is_terminal
from qaudit.findings import Finding, Level
from qaudit.validate import validate_paths

if TYPE_CHECKING:
    from qaudit.cli.reporters import Screen

UNREADABLE = ("file-unreadable",)


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


class OptionSpec:
    """One option: the parameter it fills, its flags, type, default, help and lower bound."""

    __slots__ = ("name", "flags", "kind", "default", "help", "minimum")

    def __init__(self, name: str, flags: tuple[str, ...], kind: type, default: Any,
                 help: str, minimum: int | None = None) -> None:
        self.name, self.flags, self.kind, self.default = name, flags, kind, default
        self.help, self.minimum = help, minimum


PATHS_HELP = "Audit files, or folders to search for *.toml."
OPTIONS: dict[str, OptionSpec] = {spec.name: spec for spec in (
    OptionSpec("output", ("--format", "-f"), ValidateFormat, ValidateFormat.text,
               "text (one finding a line), json (one document) or jsonl (one finding a line)."),
    OptionSpec("strict", ("--strict",), bool, False, "Exit 1 on warnings too."),
    OptionSpec("quiet", ("--quiet", "-q"), bool, False, "No summary line."),
    OptionSpec("jobs", ("--jobs", "-j"), int, 0,
               "Worker processes for large batches (0: one per CPU).", minimum=0),
)}


class _Tally:
    """Counters only: the findings themselves are written as each file is checked."""

    def __init__(self) -> None:
        self.files = self.errors = self.warnings = self.touched = 0
        self.unreadable = False

    def add(self, findings: list[Finding]) -> None:
        self.files += 1
        self.touched += bool(findings)
        for finding in findings:
            if finding.level is Level.ERROR:
                self.errors += 1
            else:
                self.warnings += 1
            self.unreadable |= finding.rule in UNREADABLE

    def as_dict(self) -> dict[str, int]:
        return {"files": self.files, "errors": self.errors, "warnings": self.warnings}


def run_validate(paths: Sequence[Path], output: ValidateFormat = ValidateFormat.text, *,
                 strict: bool = False, quiet: bool = False, jobs: int = 0) -> int:
    """Check the audits under ``paths``, write the findings to stdout as each file is
    checked, and return the exit code: 2 when a file cannot be read, 1 for errors (or
    warnings with ``strict``), 0 otherwise. A ``QauditError`` stops it (the caller reports
    it: ``qaudit.cli.common.report_stop``)."""
    # A missing path is a file-unreadable finding (exit 2) after the others are checked, as
    # pre-commit expects; every other command stops at once (cli.common.existing_paths).
    files = list(expand_paths(paths))
    tally = _Tally()
    out = sys.stdout
    first = True
    screen: Screen | None = None  # rich, at a terminal only: colour and wrapping
    if output is ValidateFormat.text and stdout_is_terminal():
        from qaudit.cli.reporters import Screen

        screen = Screen.stdout()
    if output is ValidateFormat.json:
        out.write('{\n  "findings": [')
    for result in validate_paths(files, today(), jobs):
        tally.add(result.findings)
        for finding in result.findings:
            if output is ValidateFormat.json:
                out.write(("\n    " if first else ",\n    ") + json_line(finding.as_dict()))
                first = False
            elif output is ValidateFormat.jsonl:
                out.write(json_line({"type": "finding", **finding.as_dict()}) + "\n")
            elif screen is not None:
                from qaudit.cli.reporters import finding_line

                finding_line(finding, screen.console)
            else:
                out.write(finding.as_line() + "\n")
    if output is ValidateFormat.json:
        out.write(("\n  ],\n" if not first else "],\n")
                  + "".join(f'  "{k}": {v},\n' for k, v in tally.as_dict().items())[:-2]
                  + "\n}\n")
    elif output is ValidateFormat.jsonl:
        out.write(json_line({"type": "summary", **tally.as_dict()}) + "\n")
    elif not quiet:
        line = findings_summary(tally.errors, tally.warnings, tally.touched, tally.files)
        if screen is not None:
            screen.line(line)
        else:
            out.write(line + "\n")
    blocking = tally.errors > 0 or (strict and tally.warnings > 0)
    return exit_code(usage=tally.unreadable, findings=blocking)
