"""Find the line and column of a dotted key in TOML text, only when a finding needs one.

Read-only commands parse with a fast reader that keeps no positions; this scanner maps key
paths (``answers.q4.grade``, ``actions[1].due``) to positions on demand. It follows table
headers, arrays of tables and dotted keys, and skips multi-line strings and arrays.
"""

from __future__ import annotations

import re
from functools import cache

_NAME = r"""(?:"[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)"""


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A table header, a key line and one part of a dotted key: compiled by the first
    ``KeyIndex`` (a file without findings needs none, so one-file validate of a clean audit
    does not pay for them)."""
    return (re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$"),
            re.compile(rf"^(\s*)({_NAME}(?:\s*\.\s*{_NAME})*)\s*=\s*"),
            re.compile(r"""\s*("([^"]*)"|'([^']*)'|[A-Za-z0-9_\-]+)\s*"""))


def _split_key(text: str, part: re.Pattern[str]) -> list[str]:
    parts = []
    for match in part.finditer(text):
        token = match.group(1)
        if token.startswith('"'):
            parts.append(match.group(2))
        elif token.startswith("'"):
            parts.append(match.group(3))
        else:
            parts.append(token)
    return parts


def _open_multiline(rest: str) -> str | None:
    """If ``rest`` (a value) opens a multi-line string or array left open, its closer."""
    for quote in ('"""', "'''"):
        if rest.startswith(quote) and rest.count(quote) % 2 == 1:
            return quote
    if rest.startswith("["):
        depth = 0
        in_str: str | None = None
        for ch in rest:
            if in_str:
                if ch == in_str:
                    in_str = None
            elif ch in "\"'":
                in_str = ch
            elif ch == "#":
                break
            elif ch == "[":
                depth += 1
            elif ch == "]":
                depth -= 1
        if depth > 0:
            return "]"
    return None


class KeyIndex:
    """Positions of every table and key in one TOML text (1-based line and column)."""

    def __init__(self, text: str) -> None:
        self.keys: dict[str, tuple[int, int, int]] = {}
        header_line, key_line, part = _patterns()
        array_counts: dict[str, int] = {}
        table = ""
        closer: str | None = None
        depth = 0
        for number, line in enumerate(text.splitlines(), start=1):
            if closer is not None:
                if closer == "]":
                    depth += line.count("[") - line.count("]")
                    if depth <= 0:
                        closer = None
                elif line.count(closer) % 2 == 1:
                    closer = None
                continue
            header = header_line.match(line)
            if header and not line.lstrip().startswith("#"):
                name = ".".join(_split_key(header.group(2), part))
                if header.group(1) == "[[":
                    index = array_counts.get(name, 0)
                    array_counts[name] = index + 1
                    table = f"{name}[{index}]"
                else:
                    table = name
                column = line.index("[") + 1
                self.keys.setdefault(table, (number, column, column))
                continue
            key = key_line.match(line)
            if key:
                path = ".".join(_split_key(key.group(2), part))
                full = f"{table}.{path}" if table else path
                self.keys.setdefault(full, (number, len(key.group(1)) + 1, key.end() + 1))
                rest = line[key.end():]
                closer = _open_multiline(rest)
                if closer == "]":
                    depth = rest.count("[") - rest.count("]")

    def position(self, key: str, *, at_value: bool = True) -> tuple[int, int]:
        """Where ``key`` is; falls back to its nearest enclosing table, then to 1:1."""
        probe = key
        while probe:
            hit = self.keys.get(probe)
            if hit:
                line, key_col, value_col = hit
                exact = probe == key
                return line, (value_col if at_value and exact else key_col)
            probe = _parent(probe)
        return 1, 1


def _parent(key: str) -> str:
    if key.endswith("]") and "[" in key:
        return key[: key.rindex("[")]
    return key.rsplit(".", 1)[0] if "." in key else ""
