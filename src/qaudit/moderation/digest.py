"""The moderation digest: what the panel saw when it moderated an audit, so a later change
to it is noticed (``validate``'s ``moderation-stale``) and refused by the editing use cases
unless the audit is reopened with a reason.

The panel saw, per section: every question's answer and evidence, and the section's own
grades and rationale (fields of kind grade, and fields with a ``*_rationale`` or
``*_grade`` role that are not the moderator's own). The digest keeps one short SHA-256 per
section, so a finding can say which section changed, never the text itself::

    [panel_digest]            # written by qaudit moderate; do not edit
    date = 2026-11-10
    assessment = "5be1f0c2a7d9e413"

API::

    panel_keys(template) -> dict[section id, tuple[key, ...]]   the keys the panel saw
    covers(template, key) -> bool                              is a key one of them
    section_digests(template, get) -> dict[section id, str]
    record_digest(editor, template, on) -> None                writes [panel_digest]
    recorded_digest(get) -> dict[section id, str]              {} when there is none
    stale_sections(template, get) -> list[section id]          changed since moderation
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from functools import cache
from typing import Any, Protocol

from qaudit.templates.catalogue import Item, Template

Getter = Callable[[str], Any]
DIGEST_TABLE = "panel_digest"
DATE_KEY = "date"
_LENGTH = 16


class Editor(Protocol):
    def get(self, key: str) -> Any: ...

    def set(self, key: str, value: Any) -> None: ...


def _panel_field(item: Item) -> bool:
    if item.moderator_only:
        return False
    role = item.role
    return item.kind.base == "grade" or role.endswith("_rationale") or (
        role.endswith("_grade") and "moderat" not in role)


@cache
def panel_keys(template: Template) -> dict[str, tuple[str, ...]]:
    """Per section (with anything graded), the keys whose values the panel saw."""
    found: dict[str, tuple[str, ...]] = {}
    for section in template.sections:
        keys: list[str] = []
        for question in section.questions:
            keys.append(f"answers.{question.id}.{question.value_key}")
            if question.evidence:
                keys.append(f"answers.{question.id}.evidence")
        keys.extend(f"{section.table}.{item.id}" for item in section.fields
                    if _panel_field(item))
        if keys:
            found[section.id] = tuple(keys)
    return found


@cache
def _covered(template: Template) -> frozenset[str]:
    return frozenset(k for keys in panel_keys(template).values() for k in keys)


def covers(template: Template, key: str) -> bool:
    return key in _covered(template)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def section_digests(template: Template, get: Getter) -> dict[str, str]:
    """One short SHA-256 per section of what it holds now (blank values count as absent)."""
    digests: dict[str, str] = {}
    for section_id, keys in panel_keys(template).items():
        values = {key: _plain(get(key)) for key in keys if not _blank(get(key))}
        text = json.dumps(values, sort_keys=True, ensure_ascii=True, default=str)
        digests[section_id] = hashlib.sha256(text.encode("ascii")).hexdigest()[:_LENGTH]
    return digests


def record_digest(editor: Editor, template: Template, on: dt.date) -> None:
    """Write ``[panel_digest]`` for the audit as it is now in ``editor`` (not saved)."""
    import tomlkit

    table = tomlkit.table()
    table.comment("what the moderation panel saw; written by qaudit moderate, do not edit")
    table[DATE_KEY] = on
    for section_id, digest in section_digests(template, editor.get).items():
        table[section_id] = digest
    editor.set(DIGEST_TABLE, table)


def recorded_digest(get: Getter) -> dict[str, str]:
    table = get(DIGEST_TABLE)
    if not isinstance(table, dict):
        return {}
    return {k: v for k, v in table.items() if k != DATE_KEY and isinstance(v, str)}


def recorded_date(get: Getter) -> dt.date | None:
    table = get(DIGEST_TABLE)
    day = table.get(DATE_KEY) if isinstance(table, dict) else None
    return day if isinstance(day, dt.date) else None


def stale_sections(template: Template, get: Getter) -> list[str]:
    """Sections whose grades, evidence or rationale changed since the digest was recorded
    ([] when there is no digest: an audit moderated before qaudit kept one)."""
    recorded = recorded_digest(get)
    if not recorded:
        return []
    now = section_digests(template, get)
    return [sid for sid in now if recorded.get(sid) != now[sid]] + [
        sid for sid in recorded if sid not in now]
