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


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass
class NameScrubber:
    """Replaces the names of every child of the export in text, each by that child's
    pseudonym (so a sibling named in another child's evidence is hidden too).

    Most text names no child: its words are looked up in a set first, and only the names
    whose words occur are matched with a (small) regular expression."""

    names: dict[str, str] = field(default_factory=dict)  # name part (casefolded) -> pseudonym
    _by_word: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _patterns: dict[frozenset[str], re.Pattern[str]] = field(default_factory=dict, repr=False)

    def add(self, name: str, case_number: str) -> None:
        alias = pseudonym(case_number)
        for part in name_parts(name):
            key = part.casefold()
            self.names.setdefault(key, alias)
            for word in _WORD.findall(key):
                self._by_word.setdefault(word, set()).add(key)
        self._patterns.clear()

    def extend(self, pairs: Iterable[tuple[str, str]]) -> None:
        for name, case_number in pairs:
            self.add(name, case_number)

    def _pattern(self, text: str) -> re.Pattern[str] | None:
        if not self.names or not text:
            return None
        candidates: set[str] = set()
        for word in set(_WORD.findall(text.casefold())):
            candidates |= self._by_word.get(word, set())
        if not candidates:
            return None
        key = frozenset(candidates)
        pattern = self._patterns.get(key)
        if pattern is None:
            alternatives = "|".join(re.escape(p) for p in sorted(key, key=len, reverse=True))
            pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
            if len(self._patterns) < 4096:
                self._patterns[key] = pattern
        return pattern

    def __call__(self, text: str) -> str:
        pattern = self._pattern(text)
        if pattern is None:
            return text
        return pattern.sub(lambda m: self.names.get(m.group(0).casefold(), "[name]"), text)

    def leaks(self, text: str) -> bool:
        pattern = self._pattern(text)
        return bool(pattern and pattern.search(text))
