"""Findings: what is wrong with an audit, reported rather than raised (yamllint's LintProblem)."""

from __future__ import annotations

from enum import StrEnum

from msgspec import Struct


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


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

    def _place(self) -> tuple[str, int, int]:
        return (self.path, self.line, self.column)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self._place() == other._place()

    def __hash__(self) -> int:
        return hash(self._place())

    def __lt__(self, other: Finding) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self._place() < other._place()

    def __le__(self, other: Finding) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self._place() <= other._place()

    def __gt__(self, other: Finding) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self._place() > other._place()

    def __ge__(self, other: Finding) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self._place() >= other._place()

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
