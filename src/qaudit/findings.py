"""Findings: what is wrong with an audit, reported rather than raised (yamllint's LintProblem)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from msgspec import Struct


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


Place = tuple[str, int, int]  # path, line, column


def _by_place(compare: Callable[[Place, Place], bool]) -> Callable[[Finding, object], bool]:
    """A comparison of two findings by their places alone (``Finding._place``)."""

    def method(self: Finding, other: object) -> Any:  # a bool, or NotImplemented
        if not isinstance(other, Finding):
            return NotImplemented
        return compare(self._place(), other._place())

    return method


class Finding(Struct, frozen=True):
    """One problem in one file. ``key`` is a dotted path such as ``answers.q4.grade``.

    Findings compare, hash and sort by where they are (path, line, column) only, so a
    stable sort keeps the rules' order for findings at one place (a msgspec Struct compares
    every field, hence the methods below)."""

    path: str
    line: int
    column: int
    level: Level
    rule: str
    message: str
    key: str = ""

    def _place(self) -> Place:
        return (self.path, self.line, self.column)

    def __hash__(self) -> int:
        return hash(self._place())

    __eq__ = _by_place(operator.eq)
    __lt__ = _by_place(operator.lt)
    __le__ = _by_place(operator.le)
    __gt__ = _by_place(operator.gt)
    __ge__ = _by_place(operator.ge)

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "level": self.level.value,
            "rule": self.rule,
            "key": self.key,
            "message": self.message,
        }

    def as_line(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        return f"{where}: {self.level.value} {self.rule} {self.message}"
