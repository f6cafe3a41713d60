"""``qaudit due DATE --working-days N``: a due date and how it was counted."""

from __future__ import annotations

from pathlib import Path

import typer

from qaudit.cli.common import OutputFormat, dump_json, handle_errors, parse_date, stdout
from qaudit.config import config_for
from qaudit.errors import UsageError
from qaudit.kpis.interval import count
from qaudit.kpis.ruleset import calendar_for


@handle_errors
def due(
    start: str = typer.Argument(..., help="The date counted from, YYYY-MM-DD."),
    working_days: int | None = typer.Option(None, "--working-days", help="N working days."),
    days: int | None = typer.Option(None, "--days", help="N calendar days."),
    weeks: int | None = typer.Option(None, "--weeks", help="N weeks of 7 days."),
    months: int | None = typer.Option(None, "--months",
                                      help="N calendar months, clamped at the month end."),
    folder: Path = typer.Option(Path("."), "--folder",
                                help="Use this folder's qaudit.toml (closure days, "
                                     "count_anchor_day). Default: the current folder."),
    output: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f",
                                        help="text (one line) or json."),
) -> None:
    """The due date N working days (or days, weeks, months) after DATE, with the bank
    holidays and weekends skipped. The date itself is not counted unless the folder's
    qaudit.toml says count_anchor_day = true."""
    day = parse_date(start, "DATE")
    assert day is not None
    given = [(n, unit) for n, unit in ((working_days, "working_days"), (days, "days"),
                                       (weeks, "weeks"), (months, "months")) if n is not None]
    if len(given) != 1:
        raise UsageError("give exactly one of --working-days N, --days N, --weeks N, "
                         "--months N")
    amount, unit = given[0]
    if amount < 0:
        raise UsageError(f"--{unit.replace('_', '-')} must be 0 or more, not {amount}")
    result = count(day, amount, unit, calendar_for(config_for(folder)))
    console = stdout()
    if output is OutputFormat.json:
        console.out(dump_json(result.as_dict()))
    else:
        console.out(result.explanation)


def register(app: typer.Typer) -> None:
    app.command("due")(due)
