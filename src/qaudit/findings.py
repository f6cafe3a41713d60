"""Findings: what is wrong with an audit, reported rather than raised (yamllint's LintProblem)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in one file. ``key`` is a dotted path such as ``answers.q4.grade``."""

    path: str
    line: int
    column: int
    level: Level = field(compare=False)
    rule: str = field(compare=False)
    message: str = field(compare=False)
    key: str = field(default="", compare=False)

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
