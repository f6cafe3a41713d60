"""Reading audit files fast, for commands that only read (validate, check-kpis, export).

rtoml parses a 25 KB audit in well under a millisecond; the round-trip parser (tomlkit) is
kept for commands that write a file back (``qaudit.audit.writer``). Problems that stop a file being
read at all (empty, binary, unreadable, bad TOML) come back as a Finding, never an exception,
so one bad file never stops a batch.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import rtoml

from qaudit.audit.locate import KeyIndex
from qaudit.audit.status import STATUS_KEY
from qaudit.findings import Finding, Level

_AT = re.compile(r"at line (\d+) column (\d+)")
_KEY_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@lru_cache(maxsize=65536)
def split_key(key: str) -> tuple[str | int, ...]:
    """``actions[1].due`` -> ``("actions", 1, "due")``."""
    return tuple(int(m.group(2)) if m.group(2) else m.group(1) for m in _KEY_PART.finditer(key))


def lookup(data: Any, key: str) -> Any:
    """The value at a dotted key, or None where any part is missing."""
    node = data
    for part in split_key(key):
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return None
            node = node[part]
        else:
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
    return node


@dataclass
class AuditDocument:
    """One audit file as read: its path as the user gave it, its text and its data."""

    path: str
    text: str
    data: dict[str, Any]
    _index: KeyIndex | None = field(default=None, repr=False)

    def get(self, key: str) -> Any:
        return lookup(self.data, key)

    def position(self, key: str, *, at_value: bool = True) -> tuple[int, int]:
        if self._index is None:
            self._index = KeyIndex(self.text)
        return self._index.position(key, at_value=at_value)

    def finding(self, key: str, level: Level, rule: str, message: str, *,
                at_value: bool = True) -> Finding:
        line, column = self.position(key, at_value=at_value)
        return Finding(self.path, line, column, level, rule, message, key)

    @property
    def template_id(self) -> str:
        value = self.get("audit.template")
        return value if isinstance(value, str) else ""

    @property
    def template_version(self) -> str:
        value = self.get("audit.template_version")
        return str(value) if isinstance(value, str | int | float) else ""

    @property
    def status(self) -> str:
        value = self.get(STATUS_KEY)
        return value if isinstance(value, str) else ""


def _failure(path: str, rule: str, message: str, line: int = 1, column: int = 1) -> Finding:
    return Finding(path, line, column, Level.ERROR, rule, message)


def parse_text(text: str, display: str) -> AuditDocument | Finding:
    """Parse TOML text; a syntax error becomes a ``toml-syntax`` finding with its position."""
    try:
        data = rtoml.loads(text)
    except rtoml.TomlParsingError as exc:
        message = str(exc).strip()
        where = _AT.search(message)
        line, column = (int(where.group(1)), int(where.group(2))) if where else (1, 1)
        message = _AT.sub("", message).strip().rstrip(",")
        return _failure(display, "toml-syntax", f"not valid TOML: {message}", line, column)
    return AuditDocument(display, text, data)


def read_audit(path: Path, display: str | None = None) -> AuditDocument | Finding:
    """Read one audit file. Every way it can fail is returned as a finding."""
    shown = display if display is not None else str(path)
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        return _failure(shown, "file-unreadable", "is a folder, not an audit file")
    except OSError as exc:
        return _failure(shown, "file-unreadable", f"cannot be read: {exc.strerror or exc}")
    if not raw.strip():
        return _failure(shown, "file-empty", "the file is empty; an audit starts with [audit]")
    if b"\x00" in raw[:8192]:
        return _failure(shown, "file-binary", "is a binary file, not a TOML audit")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return _failure(shown, "file-encoding",
                        "is not UTF-8 text; save it as UTF-8", line, column)
    if text.startswith("\ufeff"):
        text = text[1:]
    return parse_text(text, shown)


def expand_paths(paths: Iterable[Path], *, suffix: str = ".toml",
                 skip_names: frozenset[str] = frozenset({"qaudit.toml"})) -> Iterator[Path]:
    """Files as given, and every ``*.toml`` under folders (sorted; hidden folders skipped).

    ``qaudit.toml`` is a folder's settings file, not an audit, so it is skipped in folders.
    A path that does not exist is yielded as it is, so the caller reports it.
    """
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.endswith(suffix) and name not in skip_names:
                        yield Path(root) / name
        else:
            yield path
