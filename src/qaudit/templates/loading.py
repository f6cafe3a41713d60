"""Building a ``Template`` from a template file: parsed with rtoml (already loaded to read
audits; about a tenth of the standard library parser's time on a 50 KB template), checked
as it is built, every mistake a ``TemplateError`` naming the file and what is wrong.
The format is documented in ``docs/template-format.md``.
"""

from __future__ import annotations

import re
from typing import Any

import rtoml

from qaudit.errors import TemplateError
from qaudit.readable import readable
from qaudit.templates.guidance import (
    parse_descriptors,
    parse_guidance,
    parse_placement,
    parse_themes,
)
from qaudit.templates.model import BASE_TYPES, Group, Item, Kind, Section, Template

_ID = r"^[a-z0-9_]+$"  # compiled on first use (re's cache), not at import


class _Place:
    """A section (or a part of one) of the file being built, put into words only when a
    message names it: quoting every id up front cost half of building a template."""

    __slots__ = ("section", "part", "item")

    def __init__(self, section: object, part: str = "", item: object = None) -> None:
        self.section, self.part, self.item = section, part, item

    def of(self, item: object) -> _Place:
        """The same place narrowed to one field or question (named by its id)."""
        return _Place(self.section, self.part, item)

    def __str__(self) -> str:
        return f"section {readable(self.section)}" + (f" {self.part}" if self.part else "") \
            + (f" {readable(self.item)}" if self.item is not None else "")


def _require(table: dict[str, Any], key: str, where: str | _Place, source: str) -> Any:
    if key not in table:
        raise TemplateError(f"{where} has no {readable(key)}", path=source)
    return table[key]


def _kind(name: str, raw: dict[str, Any], source: str) -> Kind:
    base = _require(raw, "base", f"kind {readable(name)}", source)
    if base not in BASE_TYPES:
        raise TemplateError(
            f"kind {readable(name)} has base {readable(base)}; allowed: "
            f"{', '.join(BASE_TYPES)}", path=source
        )
    return Kind(
        name=name,
        base=base,
        values=tuple(raw.get("values", ())),
        names={str(k): str(v) for k, v in raw.get("names", {}).items()},
        na=bool(raw.get("na", False)),
        minimum=raw.get("min"),
        maximum=raw.get("max"),
        rule=str(raw.get("rule", "")).strip(),
    )


def _item(raw: dict[str, Any], kinds: dict[str, Kind], where: _Place, source: str, *,
          question: bool) -> Item:
    item_id = _require(raw, "id", where, source)
    if not re.match(_ID, str(item_id)):
        raise TemplateError(f"{where}: id {readable(item_id)} must match [a-z0-9_]+", path=source)
    kind_name = _require(raw, "kind", where.of(item_id), source)
    if kind_name not in kinds:
        raise TemplateError(
            f"{where.of(item_id)} names kind {readable(kind_name)}, which [kinds] "
            f"does not define; "
            f"defined: {', '.join(sorted(kinds))}",
            path=source,
        )
    return Item(
        id=item_id,
        kind=kinds[kind_name],
        text=str(raw.get("text", item_id)).strip(),
        number=str(raw.get("number", "")),
        guidance=str(raw.get("guidance", "")).strip(),
        prompts=tuple(str(p) for p in raw.get("prompts", ())),
        required=bool(raw.get("required", question)),
        evidence=str(raw.get("evidence", "")) if question else "",
        evidence_when=tuple(raw.get("evidence_when", ())),
        role=str(raw.get("role", "")),
        moderator_only=bool(raw.get("moderator_only", False)),
        requires=str(raw.get("requires", "")),
    )


def parse_template(data: dict[str, Any], source: str) -> Template:
    """Build a Template from parsed TOML, raising TemplateError naming what is wrong."""
    head = _require(data, "template", "the file", source)
    kinds = {name: _kind(name, raw, source) for name, raw in data.get("kinds", {}).items()}
    sections: list[Section] = []
    seen_questions: set[str] = set()
    for index, raw in enumerate(data.get("sections", []), start=1):
        sid = _require(raw, "id", f"section {index}", source)
        where = _Place(sid)
        fields = tuple(
            _item(f, kinds, _Place(sid, "field"), source, question=False)
            for f in raw.get("fields", [])
        )
        questions = tuple(
            _item(q, kinds, _Place(sid, "question"), source, question=True)
            for q in raw.get("questions", [])
        )
        for q in questions:
            if q.id in seen_questions:
                raise TemplateError(f"question id {readable(q.id)} is used twice", path=source)
            seen_questions.add(q.id)
        group = None
        if "group" in raw:
            g = raw["group"]
            group = Group(
                table=_require(g, "table", _Place(sid, "group"), source),
                label=str(g.get("label", g["table"])),
                role=str(g.get("role", "")),
                minimum=int(g.get("min", 0)),
                maximum=g.get("max"),
                fields=tuple(
                    _item(f, kinds, _Place(sid, "group field"), source, question=False)
                    for f in g.get("fields", [])
                ),
            )
        sections.append(
            Section(
                id=sid,
                number=str(raw.get("number", "")),
                title=str(_require(raw, "title", where, source)),
                table=str(raw.get("table", f"sections.{sid}")),
                note=str(raw.get("note", "")).strip(),
                guidance=str(raw.get("guidance", "")).strip(),
                guidance_label=str(raw.get("guidance_label", "")).strip(),
                theme=str(raw.get("theme", "")),
                fields=fields,
                questions=questions,
                group=group,
            )
        )
    return Template(
        id=str(_require(head, "id", "[template]", source)),
        version=str(_require(head, "version", "[template]", source)),
        title=str(head.get("title", head["id"])),
        organisation=str(head.get("organisation", "")),
        description=str(head.get("description", "")).strip(),
        review_months=int(head.get("review_months", 6)),
        guidance=parse_guidance(head, source),
        introduction_title=str(head.get("introduction_title", "")).strip(),
        descriptors=parse_descriptors(head, source),
        descriptor_kinds=tuple(str(k) for k in head.get("descriptor_kinds", [])),
        themes=parse_themes(head, source),
        cycle=parse_placement(head, {s.id for s in sections}, source),
        sections=tuple(sections),
        kinds=kinds,
        source=source,
    )


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """A template file's TOML, or a TemplateError saying where it is not valid."""
    try:
        data: dict[str, Any] = rtoml.loads(text)
    except rtoml.TomlParsingError as exc:
        raise TemplateError(f"not valid TOML: {str(exc).strip()}", path=source) from exc
    return data


def template_key(data: dict[str, Any], source: str) -> tuple[str, str]:
    """The id and version a parsed template file declares, before it is built."""
    head = _require(data, "template", "the file", source)
    return (str(_require(head, "id", "[template]", source)),
            str(_require(head, "version", "[template]", source)))


def load_text(text: str, source: str) -> Template:
    return parse_template(parse_toml(text, source), source)
