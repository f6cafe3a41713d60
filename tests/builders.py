"""Build real audit files for tests: a blank draft from the template, or a fully answered one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from qaudit.audit.scaffold import render_audit
from qaudit.audit.writer import AuditEditor
from qaudit.templates.catalogue import Catalogue, Item, Template

MEETING = dt.date(2026, 10, 1)
AUDIT = dt.date(2026, 10, 2)


def template(template_id: str) -> Template:
    return Catalogue().require(template_id)


def answer_for(item: Item) -> Any:
    kind = item.kind
    if kind.base == "grade":
        return 3
    if kind.base == "choice":
        return kind.values[0]
    if kind.base in ("score", "integer"):
        return kind.minimum if kind.minimum is not None else 1
    if kind.base == "date":
        return MEETING
    if kind.base == "boolean":
        return True
    if kind.base == "list":
        return ["Fictional entry"]
    return f"Fictional answer for {item.id}."


def blank_audit(folder: Path, template_id: str = "core", name: str = "audit.toml") -> Path:
    path = folder / name
    path.write_text(render_audit(template(template_id), {"case_number": "T0001"},
                                 "schemas/x.json", AUDIT), encoding="utf-8")
    return path


def complete_audit(folder: Path, template_id: str = "core", name: str = "audit.toml",
                   status: str = "complete") -> Path:
    """An audit with every required answer, evidence and rationale: validates clean."""
    t = template(template_id)
    path = blank_audit(folder, template_id, name)
    editor = AuditEditor(path)
    editor.set("audit.status", status)
    for section in t.sections:
        for q in section.questions:
            editor.set(f"answers.{q.id}.{q.value_key}", answer_for(q))
            if q.evidence:
                editor.set(f"answers.{q.id}.evidence", f"Evidence for {q.id}, seen on file.")
        for f in section.fields:
            if f.moderator_only:
                continue
            if f.required or f.requires:
                editor.set(f"{section.table}.{f.id}", answer_for(f))
    for role, day in (("practitioner_meeting_date", MEETING), ("audit_date", AUDIT)):
        key = t.role_path(role)
        if key:
            editor.set(key, day)
    parents = t.group_by_role("parents_views")
    if parents is not None:
        record = editor.doc[parents.table][0]
        record["name"] = "Fictional Parent"
        record["relationship"] = "Mother"
    editor.save()
    return path
