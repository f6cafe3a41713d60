"""Redaction for the panel's workbook: a stable pseudonym for each child, and free text with
the children's names replaced by it.

The pseudonym is ``Child`` and the first six hex digits of the SHA-256 of the case number, so
the same case gets the same pseudonym in every export and nothing of the name is kept. Names
are replaced as whole words, case-insensitively, every part of a name (first, middle, last)
on its own as well as the whole name; a part of one letter (an initial) is left alone.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_NAME_PART = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-])*[^\W\d_]|[^\W\d_]", re.UNICODE)


def pseudonym(case_number: str) -> str:
    """``Child 3f9a1c``: stable for a case number, reveals nothing of the child's name."""
    digest = hashlib.sha256(case_number.strip().encode("utf-8")).hexdigest()
    return f"Child {digest[:6]}"


def name_parts(name: str) -> list[str]:
    """The parts of a name worth hiding: the whole name, and each word of two letters or more
    (hyphenated names also by their halves)."""
    words = _NAME_PART.findall(name)
    parts = {name.strip()} if len(words) > 1 else set()
    for word in words:
        for piece in {word, *re.split(r"[-']", word)}:
            if len(piece) >= 2:
                parts.add(piece)
    return sorted((p for p in parts if p), key=len, reverse=True)


@dataclass
class NameScrubber:
    """Replaces the names of every child of the export in text, each by that child's
    pseudonym (so a sibling named in another child's evidence is hidden too)."""

    names: dict[str, str] = field(default_factory=dict)  # name part (casefolded) -> pseudonym
    _pattern: re.Pattern[str] | None = field(default=None, repr=False)

    def add(self, name: str, case_number: str) -> None:
        alias = pseudonym(case_number)
        for part in name_parts(name):
            self.names.setdefault(part.casefold(), alias)
        self._pattern = None

    def extend(self, pairs: Iterable[tuple[str, str]]) -> None:
        for name, case_number in pairs:
            self.add(name, case_number)

    def _compiled(self) -> re.Pattern[str] | None:
        if self._pattern is None and self.names:
            alternatives = "|".join(re.escape(p) for p in sorted(self.names, key=len,
                                                                 reverse=True))
            self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
        return self._pattern

    def __call__(self, text: str) -> str:
        pattern = self._compiled()
        if pattern is None or not text:
            return text
        return pattern.sub(lambda m: self.names.get(m.group(0).casefold(), "[name]"), text)

    def leaks(self, text: str) -> bool:
        pattern = self._compiled()
        return bool(pattern and pattern.search(text))
