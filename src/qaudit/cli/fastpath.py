"""A short way in for commands pre-commit starts once per commit (``qaudit validate``) and
for ``qaudit check-kpis``.

Importing typer and building a command through it costs tens of milliseconds before a file
is read (typer, click, pydantic's conversion of every parameter). For a command line made
only of what the command declares (paths, flags, ``--option value`` of a plain type, an
enum, an int within its bounds), this module reads the command's options from the same
table typer is built from (``qaudit.cli.validate_run.OPTIONS``,
``qaudit.cli.kpis_run.OPTIONS``), converts the words itself and runs the command without
importing typer. A short option's value may follow it in the same word (``-j1``), as click
reads it. Anything else (``--help``, an unknown option, a value that does not convert,
``--opt=value``, no path) returns None and the command line goes through typer as usual, so
errors and help are typer's.
"""

from __future__ import annotations

import gc
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from qaudit.cli.validate_run import OptionSpec

FAST_COMMANDS = ("validate", "check-kpis")
_PLAIN = (str, int, float)


class _NotSimple(Exception):
    """This command line needs typer."""


def _convert(kind: type, word: str, minimum: int | None) -> Any:
    if kind is Path:
        return Path(word)
    if issubclass(kind, Enum):
        try:
            return kind(word)
        except ValueError:
            raise _NotSimple(word) from None
    if kind in _PLAIN:
        try:
            value: Any = kind(word)
        except ValueError:
            raise _NotSimple(word) from None
        if minimum is not None and value < minimum:
            raise _NotSimple(word)
        return value
    raise _NotSimple(word)


def _options(command: str) -> dict[str, OptionSpec]:
    if command == "validate":
        from qaudit.cli.validate_run import OPTIONS
    else:
        from qaudit.cli.kpis_run import OPTIONS
    return OPTIONS


def parse_words(words: list[str], options: dict[str, OptionSpec],
                ) -> tuple[list[Path], dict[str, Any]]:
    """The paths and option values of a command line of these ``options``, or
    ``_NotSimple``."""
    flags = {flag: spec for spec in options.values() for flag in spec.flags}
    values: dict[str, Any] = {}
    paths: list[Path] = []
    index = 0
    only_paths = False
    while index < len(words):
        word = words[index]
        index += 1
        if word == "--" and not only_paths:
            only_paths = True
        elif word.startswith("-") and word != "-" and not only_paths:
            spec = flags.get(word)
            if spec is None and word[1] != "-" and len(word) > 2:  # -j1: -j with 1
                spec = flags.get(word[:2])
                if spec is None or spec.kind is bool:
                    raise _NotSimple(word)
                values[spec.name] = _convert(spec.kind, word[2:], spec.minimum)
                continue
            if spec is None:
                raise _NotSimple(word)
            if spec.kind is bool:
                values[spec.name] = True
            elif index < len(words):
                values[spec.name] = _convert(spec.kind, words[index], spec.minimum)
                index += 1
            else:
                raise _NotSimple(word)
        else:
            paths.append(Path(word))
    if not paths:
        raise _NotSimple("no path")  # typer says what is missing
    for spec in options.values():
        values.setdefault(spec.name, spec.default)
    return paths, values


def started() -> None:
    """The command's code is imported: ``qaudit.cli.app.main`` turned the cycle collector off
    for that (it scanned the new modules and classes again and again, about 30 times for
    one-file validate); what is imported lives as long as the process, so it is moved out of
    the collector's reach (``gc.freeze``: it is not scanned again, nor at exit) and the
    collector is turned back on for the command's own work."""
    gc.freeze()
    gc.enable()


def run_fast(argv: list[str]) -> int | None:
    """The exit code of the command run directly, or None when typer must parse it."""
    if not argv or argv[0] not in FAST_COMMANDS:
        return None
    try:
        paths, values = parse_words(argv[1:], _options(argv[0]))
    except _NotSimple:
        return None
    from qaudit.cli.common import STOPS, report_stop

    run: Callable[..., int]
    if argv[0] == "validate":
        from qaudit.cli.validate_run import run_validate as run
    else:
        from qaudit.cli.kpis_run import run_kpis as run
    started()
    try:
        return run(paths, values.pop("output"), **values)
    except STOPS as exc:
        return report_stop(exc)
