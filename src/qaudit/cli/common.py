"""What every command shares: error handling mapped to exit codes in one place, today's date,
and the console.

typer and rich are imported where they are used, not here: pre-commit's ``validate`` uses
this module without either (``qaudit.cli.validate_run``)."""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from qaudit.errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, QauditError, UsageError
from qaudit.readable import readable

if TYPE_CHECKING:
    import typer
    from rich.console import Console

P = ParamSpec("P")
R = TypeVar("R")

TODAY_ENV = "QAUDIT_TODAY"


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def existing_paths(paths: Iterable[Path]) -> list[Path]:
    """The paths a command was given, each checked to exist: a missing one stops every
    command the same way (exit 2, ``qaudit: error: PATH: no such file or folder``)."""
    given = list(paths)
    for path in given:
        if not path.exists() and not path.is_symlink():
            raise UsageError("no such file or folder", path=str(path))
    return given


def exit_code(*, usage: bool = False, findings: bool = False) -> int:
    """The one mapping to exit codes: 2 a usage or I/O problem (a file that cannot be read),
    1 findings that block (errors, or warnings with --strict; timescales missed), 0 clean."""
    if usage:
        return EXIT_USAGE
    return EXIT_FINDINGS if findings else EXIT_CLEAN


def finish(*, usage: bool = False, findings: bool = False) -> typer.Exit:
    """The exit to raise at the end of a command (see ``exit_code``)."""
    import typer

    return typer.Exit(exit_code(usage=usage, findings=findings))


def stdout() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def today() -> dt.date:
    """Today, or the date in $QAUDIT_TODAY (YYYY-MM-DD) for reproducible runs and tests."""
    fixed = os.environ.get(TODAY_ENV)
    if fixed:
        from qaudit.audit.values import Mode, parse_date_text  # the one date parser

        day = parse_date_text(fixed, Mode.STRICT)
        if day is None:
            raise QauditError(f"${TODAY_ENV} is {readable(fixed)}; write it as "
                              f"YYYY-MM-DD (a real day, 1900 to 2099)")
        return day
    return dt.date.today()


def parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    from qaudit.audit.values import (  # the one date parser
        FIRST_YEAR,
        LAST_YEAR,
        is_out_of_range_date,
        parse_date_text,
    )

    day = parse_date_text(value)
    if day is None and is_out_of_range_date(value):
        raise UsageError(f"{option} {readable(value)} is out of the range qaudit counts: a date "
                         f"from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31")
    if day is None:
        raise UsageError(f"{option} {readable(value)} is not a real date; write it as YYYY-MM-DD "
                          "or DD/MM/YYYY")
    return day


def say_fitted(console: Console, text: str, *, indent: str = "    ", head: str = "",
        head_style: str | None = None, style: str | None = None) -> None:
    """Print ``head + text`` for a person to read. At a terminal it is wrapped to the
    terminal's width at spaces only (never inside a word, a date, an id or a path; ``head``
    is kept whole), with following lines indented by ``indent``; piped or written to a
    file it stays one line, as it was. No markup is read; colour comes from the styles."""
    from rich.text import Text

    from qaudit.cli.reporters.layout import NBSP, wrap

    whole = (head.rstrip().replace(" ", NBSP) + head[len(head.rstrip()):]) + text
    if console.is_terminal:
        lines = wrap(whole, max(40, console.width), indent=indent, first="")
    else:
        lines = [whole.replace(NBSP, " ")]
    for index, line in enumerate(lines):
        shown = Text(line, style=style or "")
        if index == 0 and head and head_style:
            shown.stylize(head_style, 0, len(head.rstrip()))
        console.print(shown, soft_wrap=True)


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    """Print an error the user can act on, and the exit to raise: wrapped at word
    boundaries to the terminal's width at a terminal, one line when piped."""
    import typer

    say_error(message)
    return typer.Exit(code)


def say_error(message: str) -> None:
    """``qaudit: error: MESSAGE`` on stderr, fitted to a terminal (see ``fail``)."""
    say_fitted(stderr(), message, head="qaudit: error: ", head_style="bold red", indent="  ")


STOPS = (QauditError, KeyboardInterrupt, BrokenPipeError)


def report_stop(exc: QauditError | KeyboardInterrupt | BrokenPipeError) -> int:
    """What a command that stops says, and its exit code: a QauditError's one-line message
    (its own code), an interrupt (130), a closed pipe (0, silently). Never a traceback."""
    if isinstance(exc, QauditError):
        say_error(str(exc))
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        stderr().print("qaudit: interrupted")
        return 130
    sys.stderr.close()
    return 0


def handle_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a QauditError into a one-line message and its exit code; never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except STOPS as exc:
            import typer

            raise typer.Exit(report_stop(exc)) from None

    return wrapper


def is_terminal() -> bool:
    """Whether stdout is a terminal, as rich decides it (TTY_COMPATIBLE / FORCE_COLOR)."""
    return stdout().is_terminal


def dump_json(data: Any) -> str:
    import json

    return json.dumps(data, indent=2, ensure_ascii=False, default=str)
