"""``qaudit due DATE --working-days N``: a due date and how it was counted."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qaudit.cli.common import (
    OutputFormat,
    dump_json,
    handle_errors,
    parse_date,
    say_fitted,
    stdout,
)
from qaudit.config import config_for
from qaudit.errors import UsageError
from qaudit.kpis.interval import count
from qaudit.kpis.ruleset import calendar_for
from qaudit.readable import readable


@handle_errors
def due(
    ctx: typer.Context,
    start: Annotated[str, typer.Argument(metavar="DATE",
                                         help="The date counted from, YYYY-MM-DD.")],
    working_days: Annotated[int | None, typer.Option("--working-days",
                                                     help="N working days.")] = None,
    days: Annotated[int | None, typer.Option("--days", help="N calendar days.")] = None,
    weeks: Annotated[int | None, typer.Option("--weeks", help="N weeks of 7 days.")] = None,
    months: Annotated[int | None, typer.Option(
        "--months", help="N calendar months, clamped at the month end.")] = None,
    folder: Annotated[Path, typer.Option(
        "--folder", help="Use this folder's qaudit.toml (closure days, count_anchor_day). "
        "Default: the current folder.")] = Path("."),
    output: Annotated[OutputFormat, typer.Option(
        "--format", "-f", help="text (one line) or json.")] = OutputFormat.text,
) -> None:
    """The due date N working days (or days, weeks, months) after DATE, with the bank
    holidays and weekends skipped. The date itself is not counted unless the folder's
    qaudit.toml says count_anchor_day = true."""
    if ctx.args:  # allowed through only to say what was probably meant
        extra = ctx.args[0]
        hint = (f"; did you mean --working-days {extra}?" if extra.strip().isdigit()
                else "; give the amount as --working-days N, --days N, --weeks N or --months N")
        raise UsageError(f"unexpected extra argument {readable(extra)}{hint}")
    day = parse_date(start, "DATE")
    assert day is not None
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "no such folder"
        raise UsageError(f"--folder {folder}: {what}")
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
        for line in result.explanation.splitlines():  # wrapped at a terminal only
            say_fitted(console, line)


def register(app: typer.Typer) -> None:
    app.command("due", context_settings={"allow_extra_args": True})(due)
