"""``qaudit check-kpis PATH...``: timescales met, late, overdue or pending, per audit and rule.

The typer command, built from the options in ``qaudit.cli.kpis_run`` (which also does the
work, without typer, for the short way in: ``qaudit.cli.fastpath``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from qaudit.cli.common import handle_errors
from qaudit.cli.kpis_run import OPTIONS, PATHS_HELP, KpiFormat, run_kpis

__all__ = ["KpiFormat", "check_kpis", "register"]


def _option(name: str) -> Any:
    spec = OPTIONS[name]
    return typer.Option(spec.default, *spec.flags, help=spec.help, min=spec.minimum)


@handle_errors
def check_kpis(
    paths: list[Path] = typer.Argument(..., help=PATHS_HELP),
    output: KpiFormat = _option("output"),
    ruleset: str = _option("ruleset"),
    as_of: str | None = _option("as_of"),
    show_all: bool = _option("show_all"),
    detail: bool = _option("detail"),
    jobs: int = _option("jobs"),
) -> None:
    """Check each audit's chronology against the rule set's timescales.

    For every rule that applies: the anchor date, the due date, the date it was done and
    met / late / overdue / pending / missed / not_applicable, with the counting. A timescale
    counts when its anchor is inside the review window (6 months before the audit date).
    Answers the timescales contradict are flagged for the moderator. Exit 1 when any
    timescale was missed or an audit could not be checked, 0 otherwise, 2 on a usage error.
    """
    raise typer.Exit(run_kpis(paths, output, ruleset=ruleset, as_of=as_of, show_all=show_all,
                              detail=detail, jobs=jobs))


def register(app: typer.Typer) -> None:
    app.command("check-kpis")(check_kpis)
