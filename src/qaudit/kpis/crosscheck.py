"""Answers checked against the timescales: for the moderator, never an error.

A template question or KPI grade with the role ``kpi:<name>`` is compared with the records of
the rules whose ``kpi`` (or id) is ``<name>``:

* ``kpi-grade`` (core KPI grades): graded Good or Outstanding while a timescale was missed,
  or Inadequate / Requires Improvement while every timescale was met;
* ``kpi-answer`` (team-manager YES / NO questions such as "Are visits timely?"): YES while a
  timescale was missed, or NO while every timescale was met.

PARTIALLY, N/A and an unanswered question are never flagged; nor is a rule with nothing judged
(only pending or not applicable).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from qaudit.audit.reader import AuditDocument
from qaudit.findings import Finding, Level
from qaudit.kpis.engine import MISSED
from qaudit.templates.catalogue import Item, Template

GOOD_GRADES = (3, 4)
LOW_GRADES = (1, 2)
ROLE = "kpi:"


_NEXT_TABLE = re.compile(r"^\s*\[", re.MULTILINE)


@lru_cache(maxsize=256)
def _patterns(table: str, name: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The table's header line and the key's line, compiled once per run."""
    return (re.compile(rf"\[{re.escape(table)}\]\s*(?:#.*)?$", re.MULTILINE),
            re.compile(rf"^\s*{re.escape(name)}\s*=\s*", re.MULTILINE))


def _value_offset(doc: AuditDocument, key: str, start: int = 0) -> int | None:
    """Where the value of ``answers.<id>.<value>`` starts in the text: found by its table
    header, searched for from ``start`` (where the previous key's was: keys asked for in
    template order are in text order) and from the top if not there; None when the layout
    is unusual."""
    table, _, name = key.rpartition(".")
    header = doc.text.find(f"\n[{table}]", start)
    if header < 0 and start:
        header = doc.text.find(f"\n[{table}]")
    header_pattern, value = _patterns(table, name)
    found = header_pattern.match(doc.text, header + 1) if header >= 0 else None
    if found:
        for match in value.finditer(doc.text, found.end()):
            if _NEXT_TABLE.search(doc.text, found.end(), match.start()):
                break
            return match.end()
    return None


def _positions(doc: AuditDocument, keys: list[str]) -> dict[str, tuple[int, int]]:
    """Line and column of each key's value. Lines are counted once through the text, from
    one value to the next in text order (counting from the top for each key cost more than
    the check itself); a key in an unusual layout goes to the full key index
    (``doc.position``)."""
    text = doc.text
    at: dict[str, tuple[int, int]] = {}
    offsets = []
    start = 0
    for key in keys:
        offset = _value_offset(doc, key, start)
        if offset is None:
            at[key] = doc.position(key)
        else:
            offsets.append((offset, key))
            start = max(0, text.rfind("\n[", 0, offset))
    line, counted = 1, 0
    for offset, key in sorted(offsets):
        line += text.count("\n", counted, offset)
        counted = offset
        at[key] = (line, offset - text.rfind("\n", 0, offset))
    return at


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _verdict(value: object, missed: bool, met: int) -> tuple[str, str] | None:
    """(rule id, what the answer claims) when the answer contradicts the timescales."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if value in GOOD_GRADES and missed:
            return "kpi-grade", "high"
        if value in LOW_GRADES and not missed and met:
            return "kpi-grade", "low"
        return None
    if isinstance(value, str):
        answer = value.strip().upper()
        if answer == "YES" and missed:
            return "kpi-answer", "high"
        if answer == "NO" and not missed and met:
            return "kpi-answer", "low"
    return None


@lru_cache(maxsize=64)
def _kpi_roles(template: Template) -> tuple[tuple[str, str, Item], ...]:
    return tuple((role[len(ROLE):], key, item) for role, (key, item)
                 in template.by_role().items() if role.startswith(ROLE))


@lru_cache(maxsize=64)
def _role_names(template: Template) -> frozenset[str]:
    return frozenset(name for name, _, _ in _kpi_roles(template))


def cross_check(doc: AuditDocument, template: Template,
                tallies: Mapping[tuple[str, str, str, str], int]) -> list[Finding]:
    """Findings for answers the records contradict, from how many records there are of each
    ``(rule, kpi, case status, status)``."""
    roles = _kpi_roles(template)
    if not roles:
        return []
    found: list[Finding] = []
    names = _role_names(template)
    met: dict[str, int] = {}  # name -> records met
    missed: dict[str, dict[str, int]] = {}  # name -> rule -> records missed
    for (rule, kpi, _, status), n in tallies.items():
        if status == "met":
            if kpi in names:
                met[kpi] = met.get(kpi, 0) + n
            if kpi != rule and rule in names:
                met[rule] = met.get(rule, 0) + n
        elif status in MISSED:
            for name in (kpi, rule) if kpi != rule else (kpi,):
                if name in names:
                    rules = missed.setdefault(name, {})
                    rules[rule] = rules.get(rule, 0) + n
    flagged: list[tuple[str, str, str]] = []  # (key, rule, message), template order
    for name, key, item in roles:
        missed_by = missed.get(name, {})
        value = doc.get(key)
        verdict = _verdict(value, bool(missed_by), met.get(name, 0))
        if verdict is None:
            continue
        rule_id, claim = verdict
        shown = f"{value} ({item.kind.grade_name(value)})" if rule_id == "kpi-grade" \
            else f"{value}"
        what = f"KPI {name} graded" if rule_id == "kpi-grade" else \
            f"{item.number + ' ' if item.number else ''}\u201c{item.text}\u201d answered"
        if claim == "high":
            count = sum(missed_by.values())
            why = (f"but {count} {_plural(count, 'timescale was', 'timescales were')} missed "
                   f"({', '.join(sorted(missed_by))})")
        else:
            why = f"but every timescale judged was met ({met.get(name, 0)} met)"
        flagged.append((key, rule_id, f"{what} {shown} at {key}, {why}: for the moderator"))
    if not flagged:
        return found
    at = _positions(doc, [key for key, _, _ in flagged])
    for key, rule_id, message in flagged:
        line, column = at[key]
        found.append(Finding(doc.path, line, column, Level.WARNING, rule_id, message, key))
    return found
