"""A short way in for commands pre-commit starts once per commit (``qaudit validate``).

Building a typer command converts every parameter through pydantic (about 50 ms of imports
before a file is read). For a command line made only of what the command declares (paths,
flags, ``--option value`` of a plain type, an enum, an int within its bounds), this module
reads the command's own typer declarations, converts the words itself and calls the command
function directly: the same function, the same options, no second definition. Anything else
(``--help``, an unknown option, a value that does not convert, ``--opt=value``) returns None
and the command line goes through typer as usual, so errors are typer's.
"""

from __future__ import annotations

import importlib
import inspect
import typing
from enum import Enum
from pathlib import Path
from typing import Any

FAST_COMMANDS = {"validate": ("qaudit.cli.validate_cmd", "validate")}
_PLAIN = (str, int, float)


class _NotSimple(Exception):
    """This command line needs typer."""


def _declared(function: Any) -> tuple[list[tuple[str, Any, Any]], dict[str, tuple[str, Any, Any]]]:
    """The function's arguments (name, type, info) in order, and its options by flag."""
    import typer.models

    target = inspect.unwrap(function)
    hints = typing.get_type_hints(target, include_extras=True)
    arguments: list[tuple[str, Any, Any]] = []
    options: dict[str, tuple[str, Any, Any]] = {}
    for name, parameter in inspect.signature(target).parameters.items():
        kind, info = hints.get(name), parameter.default
        if typing.get_origin(kind) is typing.Annotated:
            kind, *extras = typing.get_args(kind)
            info = next((e for e in extras if isinstance(e, typer.models.ParameterInfo)), info)
        if isinstance(info, typer.models.ArgumentInfo):
            arguments.append((name, kind, info))
        elif isinstance(info, typer.models.OptionInfo) and info.param_decls:
            for flag in info.param_decls:
                options[flag] = (name, kind, info)
        else:
            raise _NotSimple(name)
    return arguments, options


def _convert(kind: Any, word: str, info: Any) -> Any:
    if kind is Path:
        return Path(word)
    if isinstance(kind, type) and issubclass(kind, Enum):
        try:
            return kind(word)
        except ValueError:
            raise _NotSimple(word) from None
    if kind in _PLAIN and kind is not bool:
        try:
            value = kind(word)
        except ValueError:
            raise _NotSimple(word) from None
        low, high = getattr(info, "min", None), getattr(info, "max", None)
        if (low is not None and value < low) or (high is not None and value > high):
            raise _NotSimple(word)
        return value
    raise _NotSimple(word)


def _parse(function: Any, words: list[str]) -> dict[str, Any]:
    arguments, options = _declared(function)
    values: dict[str, Any] = {}
    loose: list[str] = []
    index = 0
    only_paths = False
    while index < len(words):
        word = words[index]
        index += 1
        if word == "--" and not only_paths:
            only_paths = True
        elif word.startswith("-") and word != "-" and not only_paths:
            if word not in options:
                raise _NotSimple(word)
            name, kind, info = options[word]
            if kind is bool:
                values[name] = True
            elif index < len(words):
                values[name] = _convert(kind, words[index], info)
                index += 1
            else:
                raise _NotSimple(word)
        else:
            loose.append(word)
    if len(arguments) != 1 or typing.get_origin(arguments[0][1]) is not list or not loose:
        raise _NotSimple("arguments")
    name, kind, _info = arguments[0]
    (item,) = typing.get_args(kind)
    values[name] = [_convert(item, word, None) for word in loose]
    for _name, _kind, info in options.values():
        values.setdefault(_name, info.default)
    return values


def run_fast(argv: list[str]) -> int | None:
    """The exit code of the command run directly, or None when typer must parse it."""
    if not argv or argv[0] not in FAST_COMMANDS:
        return None
    module_name, function_name = FAST_COMMANDS[argv[0]]
    function = getattr(importlib.import_module(module_name), function_name)
    try:
        values = _parse(function, argv[1:])
    except (_NotSimple, TypeError, NameError):
        return None
    from typer import Exit

    try:
        function(**values)
    except Exit as stop:
        return int(stop.exit_code)
    return 0
