"""JSON Schema for each template, generated from the template data.

Editors that understand ``#:schema`` (taplo, Even Better TOML) use it to check and complete an
audit while it is typed. ``qaudit schema --write schemas/`` regenerates ``schemas/``; a test
fails when the committed files are stale.
"""

from __future__ import annotations

import json
from typing import Any

from qaudit.audit.status import STATUSES
from qaudit.templates.catalogue import Item, Kind, Template

SCHEMA_DIALECT = "http://json-schema.org/draft-07/schema#"
BLANK = {"const": ""}


def schema_filename(template: Template) -> str:
    return f"{template.id}-{template.version}.schema.json"


def kind_schema(kind: Kind) -> dict[str, Any]:
    base = kind.base
    if base == "grade":
        values: list[Any] = list(kind.values) + (["N/A"] if kind.na else [])
        names = ", ".join(kind.describe().split(", "))
        return {"enum": [*values, ""], "description": f"Allowed: {names}. {kind.rule}".strip()}
    if base == "choice":
        return {"enum": [*kind.values, ""]}
    if base in ("score", "integer"):
        number: dict[str, Any] = {"type": "integer"}
        if kind.minimum is not None:
            number["minimum"] = kind.minimum
        if kind.maximum is not None:
            number["maximum"] = kind.maximum
        return {"anyOf": [number, BLANK]}
    if base == "date":
        return {"anyOf": [{"type": "string", "format": "date"}, BLANK]}
    if base == "boolean":
        return {"anyOf": [{"type": "boolean"}, BLANK]}
    if base == "list":
        return {"type": "array", "items": {"type": "string"}}
    return {"type": "string"}


def _describe(item: Item) -> str:
    parts = [item.label]
    if item.guidance:
        parts.append(item.guidance)
    parts.append(f"Allowed: {item.kind.describe()}.")
    return "\n\n".join(parts)


def _field(item: Item) -> dict[str, Any]:
    schema = kind_schema(item.kind)
    return {**schema, "title": item.text, "description": _describe(item)}


def _object(properties: dict[str, Any], title: str = "") -> dict[str, Any]:
    obj: dict[str, Any] = {"type": "object", "properties": properties,
                           "additionalProperties": False}
    if title:
        obj["title"] = title
    return obj


def template_schema(template: Template) -> dict[str, Any]:
    top: dict[str, Any] = {
        "audit": _object({
            "template": {"const": template.id},
            "template_version": {"const": template.version},
            "status": {"enum": list(STATUSES),
                       "description": "draft -> complete -> moderated"},
            "created": {"type": "string", "format": "date"},
        }, "The audit's template and status"),
        "extra": {"type": "object", "description": "A council's own data; qaudit ignores it."},
        "events": {"type": "array", "items": {"type": "object"},
                   "description": "The case chronology: dated events from the case record."},
        "panel_digest": {"type": "object", "description": "What the moderation panel saw "
                         "(a short SHA-256 per section); written by qaudit moderate."},
        "reopened": {"type": "array", "items": _object({
            "date": {"type": "string", "format": "date"}, "reason": {"type": "string"}}),
            "description": "Why and when a moderated audit was reopened."},
    }
    answers: dict[str, Any] = {}
    sections: dict[str, Any] = {}
    for section in template.sections:
        if section.fields:
            table = _object({f.id: _field(f) for f in section.fields}, section.heading)
            if section.table.startswith("sections."):
                sections[section.table.split(".", 1)[1]] = table
            else:
                top[section.table] = table
        for q in section.questions:
            props = {q.value_key: _field(q), "comment": {"type": "string"}}
            if q.evidence:
                props["evidence"] = {"type": "string", "title": q.evidence}
            answers[q.id] = _object(props, f"{section.heading} - {q.label}")
        if section.group is not None:
            group = section.group
            array: dict[str, Any] = {
                "type": "array",
                "title": group.label,
                "items": _object({f.id: _field(f) for f in group.fields}),
            }
            if group.maximum is not None:
                array["maxItems"] = group.maximum
            top[group.table] = array
    top["answers"] = _object(answers, "Answers to the template's questions")
    # The audit cycle's own questions (ids cycle_...), defined in the audit's [cycle].
    top["answers"]["patternProperties"] = {"^cycle_[a-z0-9_]+$": {"type": "object"}}
    top["cycle"] = {"type": "object", "description": "The audit cycle this audit was made in: "
                    "its name and [[cycle.questions]] (kept with the audit)."}
    if sections:
        top["sections"] = _object(sections, "Each section's own fields and overall rating")
    return {
        "$schema": SCHEMA_DIALECT,
        "title": f"{template.title} (qaudit template {template.id} {template.version})",
        "type": "object",
        "properties": top,
        "required": ["audit"],
        "additionalProperties": False,
    }


def schema_text(template: Template) -> str:
    return json.dumps(template_schema(template), indent=2, ensure_ascii=False) + "\n"
