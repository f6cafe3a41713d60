"""``qaudit validate PATH...``: check audit files, as pre-commit passes them."""

from __future__ import annotations

from pathlib import Path

import typer

from qaudit.cli.common import OutputFormat, dump_json, handle_errors, stdout, today
from qaudit.cli.report import finding_line, summary
from qaudit.errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE
from qaudit.findings import Level
from qaudit.validate import validate_paths


@handle_errors
def validate(
    paths: list[Path] = typer.Argument(..., help="Audit files, or folders to search for *.toml."),
    output: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f",
                                        help="text (one finding a line) or json."),
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
    console = stdout()
    results = list(validate_paths(paths, today(), jobs))
    findings = [f for r in results for f in r.findings]
    if output is OutputFormat.json:
        console.out(dump_json({
            "files": len(results),
            "errors": sum(r.errors for r in results),
            "warnings": sum(r.warnings for r in results),
            "findings": [f.as_dict() for f in findings],
        }))
    else:
        for finding in findings:
            finding_line(finding, console)
        if not quiet:
            console.print(summary(findings, len(results)))
    if any(f.rule == "file-unreadable" for f in findings):
        raise typer.Exit(EXIT_USAGE)
    blocking = any(f.level is Level.ERROR or strict for f in findings)
    raise typer.Exit(EXIT_FINDINGS if blocking else EXIT_CLEAN)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
