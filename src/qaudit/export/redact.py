"""Redaction: stable pseudonyms for the child and the case, and free text (and file names)
with every name the audit records for the family replaced.

* The pseudonyms are ``Child`` and ``Case`` with the first six hex digits of the SHA-256 of
  the case number: the same case gets the same pseudonyms in every export, and nothing of the
  name or number is kept.
* Names are compared word by word after Unicode NFKC normalisation, case folding and the
  removal of accents (``Zoë`` typed decomposed, ``ZOE`` and ``Zoe`` are one name; ``Strauß``
  is ``STRAUSS``; ``İbrahim`` is ``Ibrahim``), with every apostrophe (’ ‘ ʼ ` ´) and hyphen
  (‐ ‑ – — −) variant taken as one, possessives and plurals (``Zoë's``, ``Smiths``,
  ``Joneses'``) and an apostrophe dropped (``ONeill``). Words are split on spaces, hyphens,
  underscores, dots and digits, so ``2026-05-20_zoe_smith.toml`` is matched too.
* The family is everything the audit records (``family_names``): the child (role
  ``child_name``), any field a template marks with a role ending ``_name``, the ``name`` of
  each parent or carer (the group of role ``parents_views``) and any field of role
  ``family_members`` (other family members: a list, or names separated by commas,
  semicolons or new lines). One-letter words (initials) are left alone.
* A child's name becomes the child's pseudonym; other family names ``[family member]``;
  case numbers the case pseudonym.

``NameScrubber`` is the public API (``add_family``, ``add``, ``__call__``, ``leaks``), used by
export-xlsx and ``render --redact``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

FAMILY_MEMBER = "[family member]"
PSEUDONYM_PATTERN = re.compile(r"\b(?:Child|Case) [0-9a-f]{6}\b|\[family member\]")
_APOSTROPHES = "'’‘ʼ`´′＇"
_HYPHENS = "\\-‐‑‒–—―−﹣－"  # escaped for a character class
# A word: letters and combining marks, with apostrophes inside (O'Neill, Zoë's).
_MARK = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD = re.compile(rf"(?:[^\W\d_]|[{_MARK}])(?:[^\W\d_]|[{_MARK}{_APOSTROPHES}])*")
_SPLIT_LIST = re.compile(r"[,;\n]+")
Getter = Callable[[str], Any]


def _digest(case_number: str) -> str:
    return hashlib.sha256(case_number.strip().encode("utf-8")).hexdigest()[:6]


def pseudonym(case_number: str) -> str:
    """``Child 3f9a1c``: stable for a case number, reveals nothing of the child's name."""
    return f"Child {_digest(case_number)}"


def case_pseudonym(case_number: str) -> str:
    """``Case 3f9a1c``: the case number under the same scheme as the child's pseudonym."""
    return f"Case {_digest(case_number)}" if case_number.strip() else ""


def fold(word: str) -> str:
    """The form names are compared in: NFKC, case folded, accents removed, one apostrophe."""
    text = unicodedata.normalize("NFKC", word).casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))
    text = text.replace("ı", "i")
    for apostrophe in _APOSTROPHES[1:]:
        text = text.replace(apostrophe, "'")
    return unicodedata.normalize("NFC", text).strip("'")


def _variants(word: str) -> set[str]:
    """The keys a recorded name word is found by: itself, without its apostrophes, and each
    part either side of an apostrophe (O'Neill: o'neill, oneill, neill)."""
    key = fold(word)
    found = {key, key.replace("'", "")}
    found.update(part for part in key.split("'"))
    return {k for k in found if len(k) >= 2}


def _candidates(word: str) -> Iterable[tuple[str, int]]:
    """(key, characters of ``word`` kept after the pseudonym) for a word of the text: as
    written, then without a possessive (kept: ``Child 3f9a1c's``) or plural ending."""
    yield fold(word), 0
    lower = word.casefold()
    if len(lower) > 2 and lower[-1] == "s" and lower[-2] in _APOSTROPHES:
        yield fold(word[:-2]), 2
    if len(lower) > 2 and lower[-1] in _APOSTROPHES:
        yield from ((k, n + 1) for k, n in _candidates(word[:-1]))
        return
    if len(lower) > 3 and lower.endswith("es"):
        yield fold(word[:-2]), 0  # a plural is replaced whole
    if len(lower) > 2 and lower[-1] == "s":
        yield fold(word[:-1]), 0


def name_parts(name: str) -> list[str]:
    """The words of a name worth hiding (two letters or more), as compared."""
    parts: set[str] = set()
    for word in _WORD.findall(name):
        parts |= _variants(word)
    return sorted(parts, key=len, reverse=True)


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def family_names(get: Getter, template: Any) -> tuple[str, list[str], list[str]]:
    """(case number, the child's names, the other family names) an audit records."""
    def role(name: str) -> Any:
        path = template.role_path(name)
        return get(path) if path else None

    case = role("case_number")
    child = _texts(role("child_name"))
    others: list[str] = []
    for section in template.sections:
        for item in section.fields:
            if item.role.endswith("_name") and item.role != "child_name":
                others += _texts(get(f"{section.table}.{item.id}"))
            elif item.role == "family_members":
                for text in _texts(get(f"{section.table}.{item.id}")):
                    others += _SPLIT_LIST.split(text)
        group = section.group
        if group is None:
            continue
        records = get(group.table)
        for record in records if isinstance(records, list) else []:
            if not isinstance(record, dict):
                continue
            for item in group.fields:
                named = item.role.endswith("_name") or (
                    group.role == "parents_views" and item.id == "name")
                if named or item.role == "family_members":
                    for text in _texts(record.get(item.id)):
                        others += _SPLIT_LIST.split(text) if not named else [text]
    return (case.strip() if isinstance(case, str) else ""), child, others


@dataclass
class NameScrubber:
    """Replaces the family names and case numbers of every audit added, in any text."""

    names: dict[str, str] = field(default_factory=dict)  # folded word -> replacement
    cases: dict[str, str] = field(default_factory=dict)  # case number (folded) -> pseudonym
    _case_pattern: re.Pattern[str] | None = field(default=None, repr=False)

    def add(self, name: str, case_number: str, replacement: str | None = None) -> None:
        """Hide each word of ``name`` (by the child's pseudonym unless told otherwise)."""
        alias = replacement or pseudonym(case_number)
        for part in name_parts(name):
            self.names.setdefault(part, alias)

    def add_case(self, case_number: str) -> None:
        if case_number.strip():
            self.cases[case_number.strip().casefold()] = case_pseudonym(case_number)
            self._case_pattern = None

    def add_family(self, get: Getter, template: Any) -> None:
        """Every name the audit records for the family, and its case number."""
        case, child, others = family_names(get, template)
        for name in child:
            self.add(name, case)
        self.add_case(case)
        for name in others:
            self.add(name, case, FAMILY_MEMBER)

    def extend(self, pairs: Iterable[tuple[str, str]]) -> None:
        for name, case_number in pairs:
            self.add(name, case_number)

    def merge(self, other: NameScrubber) -> None:
        for key, alias in other.names.items():
            self.names.setdefault(key, alias)
        self.cases.update(other.cases)
        self._case_pattern = None

    def _cases(self, text: str) -> str:
        if not self.cases:
            return text
        if self._case_pattern is None:
            alternatives = "|".join(re.escape(c) for c in sorted(self.cases, key=len,
                                                                 reverse=True))
            self._case_pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])",
                                            re.IGNORECASE)
        return self._case_pattern.sub(lambda m: self.cases[m.group(0).casefold()], text)

    def _hits(self, text: str) -> list[tuple[int, int, str]]:
        hits: list[tuple[int, int, str]] = []
        for match in _WORD.finditer(text):
            word = match.group(0)
            for key, suffix in _candidates(word):
                alias = self.names.get(key)
                if alias is not None:
                    hits.append((match.start(), match.end() - suffix, alias))
                    break
        return hits

    def __call__(self, text: str) -> str:
        """``text`` with every family name and case number replaced."""
        if not text or not (self.names or self.cases):
            return text
        return self.hide_names(self._cases(text))

    def names_in(self, text: str) -> bool:
        """Does ``text`` name anyone of the families (case numbers aside)?"""
        return bool(self.names) and bool(self._hits(unicodedata.normalize("NFC", text)))

    def hide_names(self, text: str) -> str:
        """``text`` with the family names replaced, case numbers left as they are."""
        text = unicodedata.normalize("NFC", text)
        hits = self._hits(text) if self.names else []
        if not hits:
            return text
        out, at = [], 0
        for start, end, alias in hits:
            out.append(text[at:start])
            out.append(alias)
            at = end
        out.append(text[at:])
        return _collapse("".join(out))

    def leaks(self, text: str) -> bool:
        return self(text) != unicodedata.normalize("NFC", text)


def _collapse(text: str) -> str:
    """``Child 3f9a1c Child 3f9a1c`` (a first name then a last name) as one pseudonym."""
    return re.sub(rf"((?:Child|Case) [0-9a-f]{{6}}|\[family member\])(?:[\s_{_HYPHENS}]+\1)+",
                  r"\1", text)


def matches_redacted(typed: str, original: str) -> bool:
    """Is ``typed`` the ``original`` as a redacted workbook showed it (each pseudonym standing
    for whatever it replaced)?"""
    parts = PSEUDONYM_PATTERN.split(typed)
    if len(parts) == 1:
        return typed == original
    pattern = ".+?".join(re.escape(p) for p in parts)
    return re.fullmatch(pattern, unicodedata.normalize("NFC", original), re.DOTALL) is not None
