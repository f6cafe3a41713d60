"""``qaudit validate PATH...``: check audit files, as pre-commit passes them.

The typer command, built from the options in ``qaudit.cli.validate_run`` (which also does
the work, without typer, for the short way in: ``qaudit.cli.fastpath``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from qaudit.cli.common import handle_errors
from qaudit.cli.validate_run import OPTIONS, PATHS_HELP, ValidateFormat, run_validate

__all__ = ["ValidateFormat", "register", "validate"]


def _option(name: str) -> Any:
    spec = OPTIONS[name]
    return typer.Option(spec.default, *spec.flags, help=spec.help, min=spec.minimum)


@handle_errors
def validate(
    paths: list[Path] = typer.Argument(..., help=PATHS_HELP),
    output: ValidateFormat = _option("output"),
    strict: bool = _option("strict"),
    quiet: bool = _option("quiet"),
    jobs: int = _option("jobs"),
) -> None:
    """Check audits: TOML syntax, template, keys, grades, evidence, completeness, dates.

    Exit 0 when no errors (warnings allowed unless --strict), 1 when there are findings that
    block, 2 on a usage error or a file that cannot be read. One bad file never stops the
    others: every file is checked and reported first.
    """
    raise typer.Exit(run_validate(paths, output, strict=strict, quiet=quiet, jobs=jobs))


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
