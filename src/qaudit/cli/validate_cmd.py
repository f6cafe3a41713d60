"""``qaudit validate PATH...``: check audit files, as pre-commit passes them."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from qaudit.audit.reader import expand_paths
from qaudit.cli.common import finish, handle_errors, today
from qaudit.cli.reporters import Screen, finding_line, findings_summary, json_line
from qaudit.findings import Finding, Level
from qaudit.validate import validate_paths

UNREADABLE = ("file-unreadable",)


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


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


@handle_errors
def validate(
    paths: list[Path] = typer.Argument(..., help="Audit files, or folders to search for *.toml."),
    output: ValidateFormat = typer.Option(
        ValidateFormat.text, "--format", "-f",
        help="text (one finding a line), json (one document) or jsonl (one finding a line)."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 on warnings too."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary line."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0,
                             help="Worker processes for large batches (0: one per CPU)."),
) -> None:
    """Check audits: TOML syntax, template, keys, grades, evidence, completeness, dates.

    Exit 0 when no errors (warnings allowed unless --strict), 1 when there are findings that
    block, 2 on a usage error or a file that cannot be read. One bad file never stops the
    others: every file is checked and reported first.
    """
    # A missing path is a file-unreadable finding (exit 2) after the others are checked, as
    # pre-commit expects; every other command stops at once (cli.common.existing_paths).
    files = list(expand_paths(paths))
    screen = Screen.stdout()
    tally = _Tally()
    out = sys.stdout
    first = True
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
            else:
                finding_line(finding, screen.console)
    if output is ValidateFormat.json:
        out.write(("\n  ],\n" if not first else "],\n")
                  + "".join(f'  "{k}": {v},\n' for k, v in tally.as_dict().items())[:-2]
                  + "\n}\n")
    elif output is ValidateFormat.jsonl:
        out.write(json_line({"type": "summary", **tally.as_dict()}) + "\n")
    elif not quiet:
        screen.line(findings_summary(tally.errors, tally.warnings, tally.touched, tally.files))
    blocking = tally.errors > 0 or (strict and tally.warnings > 0)
    raise finish(usage=tally.unreadable, findings=blocking)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
