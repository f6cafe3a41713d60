"""What every validation rule sees and returns.

A rule is one small unit: an id, the sentence of the template or guidance it enforces, and a
check that takes an ``AuditContext`` and yields findings. Rules never raise for a problem in
the audit; they report it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Any

import msgspec

from qaudit.audit.kinds import is_blank
from qaudit.audit.reader import AuditDocument
from qaudit.audit.status import FINISHED
from qaudit.config import FolderConfig
from qaudit.findings import Finding, Level
from qaudit.templates.catalogue import Group, Item, Section, Template


class AuditContext(msgspec.Struct):
    doc: AuditDocument
    template: Template
    today: dt.date
    config: FolderConfig
    _memo: dict[str, Any] = msgspec.field(default_factory=dict)

    def memo(self, name: str, compute: Callable[[], Any]) -> Any:
        """Work several rules need from the same file (its events, read once)."""
        if name not in self._memo:
            self._memo[name] = compute()
        return self._memo[name]

    @property
    def status(self) -> str:
        return self.doc.status

    @property
    def finished(self) -> bool:
        """Complete or moderated: every completeness rule applies in full."""
        return self.status in FINISHED

    def get(self, key: str) -> Any:
        return self.doc.get(key)

    def role_value(self, role: str) -> Any:
        path = self.template.role_path(role)
        return self.doc.get(path) if path else None

    def finding(self, key: str, level: Level, rule: str, message: str, *,
                at_value: bool = True) -> Finding:
        return self.doc.finding(key, level, rule, message, at_value=at_value)

    def level_when_finished(self) -> Level:
        """Error in a complete audit, warning in a draft (guidance 7 for evidence)."""
        return Level.ERROR if self.finished else Level.WARNING

    # --- walking the template's values ----------------------------------------------------
    def fields(self) -> Iterator[tuple[Section, Item, str, Any]]:
        """Every section field with its key path and value."""
        data = self.doc.data
        for section, item, key, parts in _field_keys(self.template):
            yield section, item, key, _walk(data, parts)

    def questions(self) -> Iterator[tuple[Section, Item, str, Any]]:
        """Every question with the key path of its answer and the answer."""
        answers = self.doc.data.get("answers")
        for section, item, key in _question_keys(self.template):
            entry = answers.get(item.id) if isinstance(answers, dict) else None
            value = entry.get(item.value_key) if isinstance(entry, dict) else None
            yield section, item, key, value

    def group_records(self) -> Iterator[tuple[Section, Group, int, dict[str, Any]]]:
        for section, group in self.template.groups():
            records = self.doc.get(group.table)
            if isinstance(records, list):
                for index, record in enumerate(records):
                    if isinstance(record, dict):
                        yield section, group, index, record

    def section_excused(self, section: Section) -> bool:
        """A section's questions are excused when its reason field says why (views not got)."""
        for item in section.fields:
            excuses = item.role == "views_not_obtained" or item.id.endswith("not_completed_reason")
            if excuses and not is_blank(self.doc.get(f"{section.table}.{item.id}")):
                return True
        return False


@cache
def _field_keys(template: Template) -> tuple[tuple[Section, Item, str, tuple[str, ...]], ...]:
    """Computed once per template: every field's key path, as text and as parts."""
    return tuple(
        (section, item, f"{section.table}.{item.id}", (*section.table.split("."), item.id))
        for section in template.sections
        for item in section.fields
    )


@cache
def _question_keys(template: Template) -> tuple[tuple[Section, Item, str], ...]:
    return tuple(
        (section, item, f"answers.{item.id}.{item.value_key}")
        for section, item in template.questions()
    )


def _walk(data: dict[str, Any], parts: tuple[str, ...]) -> Any:
    node: Any = data
    for part in parts:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


class Rule(msgspec.Struct, frozen=True):
    id: str
    summary: str
    source: str
    check: Callable[[AuditContext], Iterable[Finding]]
