"""Output that needs no rich: summaries, JSON lines, and whether stdout is a terminal
(decided as rich decides it, without importing rich). A finding's plain line is
``Finding.as_line()``: ``path:line:col: level rule-id message``, as pre-commit and editors
parse it, the path and message exactly as they are.

Piped output (pre-commit, editors, scripts) is plain text, so ``qaudit validate`` writes it
with ``sys.stdout`` alone and never imports rich (about 20 ms at every start); at a terminal
it goes through ``qaudit.cli.reporters`` (colour, wrapping). ``qaudit.cli.reporters``
re-exports everything here.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from qaudit.findings import Finding, Level


def stdout_is_terminal() -> bool:
    """Whether rich would treat stdout as a terminal: ``TTY_COMPATIBLE`` (0 or 1) first,
    then ``FORCE_COLOR`` (set and not empty), then ``isatty()``."""
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force = os.environ.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    try:
        return bool(sys.stdout.isatty())
    except (AttributeError, ValueError):  # no stdout, or a closed one
        return False


def json_line(data: Any) -> str:
    """One compact JSON value, no newline; dates as ISO text. Through orjson (README
    "Dependencies": about ten times the standard encoder's speed on the ~850,000 records of
    10,000 audits), imported on first use: text output never pays for it."""
    return _encoder()(data)


def _encoder() -> Callable[[Any], str]:
    global _ENCODE
    if _ENCODE is None:
        try:
            import orjson

            def encode(data: Any) -> str:
                return orjson.dumps(data).decode("utf-8")

        except ImportError:  # pragma: no cover - orjson is a dependency; kept for odd platforms
            import json

            def encode(data: Any) -> str:
                return json.dumps(data, ensure_ascii=False, default=str)

        _ENCODE = encode
    return _ENCODE


_ENCODE: Callable[[Any], str] | None = None


def findings_summary(errors: int, warnings: int, touched: int, files: int) -> str:
    def n(count: int, word: str) -> str:
        return f"{count:,} {word}{'s' if count != 1 else ''}"

    if not errors and not warnings:
        return f"{n(files, 'file')} checked: no problems"
    return f"{n(errors, 'error')}, {n(warnings, 'warning')} in {touched:,} of {n(files, 'file')}"


def summary(findings: Iterable[Finding], files: int) -> str:
    found = list(findings)
    errors = sum(1 for f in found if f.level is Level.ERROR)
    return findings_summary(errors, len(found) - errors, len({f.path for f in found}), files)


def write(text: str, stream: TextIO | None = None) -> None:
    (stream or sys.stdout).write(text)
