"""Audit templates as data: load, check and look up the template files.

Shipped templates live in ``qaudit/templates/*.toml`` and are read with ``importlib.resources``;
a council adds its own from folders named in its ``qaudit.toml`` (``template_dirs``).
The format is documented in ``docs/template-format.md``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from qaudit.errors import TemplateError, UsageError
from qaudit.readable import readable
from qaudit.templates.guidance import (
    CyclePlacement,
    Descriptor,
    GuidanceNote,
    Theme,
    parse_descriptors,
    parse_guidance,
    parse_placement,
    parse_themes,
)

BASE_TYPES = ("grade", "choice", "score", "integer", "text", "date", "boolean", "list")
_ID = re.compile(r"^[a-z0-9_]+$")


@dataclass(frozen=True)
class Kind:
    """An answer kind: a base type plus its allowed values and the rule it quotes."""

    name: str
    base: str
    values: tuple[Any, ...] = ()
    names: dict[str, str] = field(default_factory=dict)
    na: bool = False
    minimum: int | None = None
    maximum: int | None = None
    rule: str = ""

    def describe(self) -> str:
        """The allowed answers in words, for prompts and messages."""
        if self.base == "grade":
            parts = [f"{v} {self.names.get(str(v), '')}".strip() for v in self.values]
            return ", ".join(parts) + (', or "N/A"' if self.na else "")
        if self.base == "choice":
            return " / ".join(str(v) for v in self.values)
        if self.base == "score":
            return f"a whole number from {self.minimum} to {self.maximum}"
        if self.base == "integer":
            low = self.minimum if self.minimum is not None else 0
            return f"a whole number, {low} or more"
        if self.base == "date":
            return "a date, YYYY-MM-DD"
        if self.base == "boolean":
            return "true or false"
        if self.base == "list":
            return "a list of text"
        return "text"

    def grade_name(self, value: object) -> str:
        return self.names.get(str(value), "")


@dataclass(frozen=True)
class Item:
    """A question (stored as ``[answers.<id>]``) or a field (a key of its section's table)."""

    id: str
    kind: Kind
    text: str
    number: str = ""
    guidance: str = ""
    prompts: tuple[str, ...] = ()
    required: bool = False
    evidence: str = ""
    evidence_when: tuple[Any, ...] = ()
    role: str = ""
    moderator_only: bool = False
    requires: str = ""

    @property
    def value_key(self) -> str:
        """The key holding the answer inside a question's table."""
        return "grade" if self.kind.base == "grade" else "answer"

    @property
    def label(self) -> str:
        return f"{self.number}. {self.text}" if self.number else self.text


@dataclass(frozen=True)
class Group:
    """A repeatable record, stored as an array of tables (parents' views, actions)."""

    table: str
    label: str
    fields: tuple[Item, ...]
    role: str = ""
    minimum: int = 0
    maximum: int | None = None

    def field(self, field_id: str) -> Item | None:
        return next((f for f in self.fields if f.id == field_id), None)


@dataclass(frozen=True)
class Section:
    id: str
    number: str
    title: str
    table: str
    note: str = ""
    guidance: str = ""
    guidance_label: str = ""
    theme: str = ""
    fields: tuple[Item, ...] = ()
    questions: tuple[Item, ...] = ()
    group: Group | None = None

    @property
    def heading(self) -> str:
        return f"Section {self.number}: {self.title}" if self.number else self.title

    @property
    def guidance_heading(self) -> str:
        """What the section's guidance is, as the form labels it ("What does GOOD look like?
        ..."); "Guidance" when the template gives no label."""
        return self.guidance_label or "Guidance"

    def field(self, field_id: str) -> Item | None:
        return next((f for f in self.fields if f.id == field_id), None)


@dataclass(frozen=True, eq=False)
class Template:
    id: str
    version: str
    title: str
    sections: tuple[Section, ...]
    kinds: dict[str, Kind]
    source: str
    organisation: str = ""
    description: str = ""
    review_months: int = 6
    guidance: tuple[GuidanceNote, ...] = ()
    introduction_title: str = ""
    descriptors: tuple[Descriptor, ...] = ()
    descriptor_kinds: tuple[str, ...] = ()
    themes: tuple[Theme, ...] = ()
    cycle: CyclePlacement = field(default_factory=CyclePlacement)
    cycle_name: str = ""

    # --- guidance (shown by fill, the form and render; see qaudit.fill.guidance) -------------
    def descriptors_for(self, kind: Kind) -> tuple[Descriptor, ...]:
        """The grade descriptors for answers of ``kind`` (none unless a grade kind named by
        ``descriptor_kinds``, or any grade kind when that is not set)."""
        named = not self.descriptor_kinds or kind.name in self.descriptor_kinds
        return self.descriptors if kind.base == "grade" and named else ()

    def descriptor(self, kind: Kind, value: object) -> Descriptor | None:
        """The descriptor of one grade (``3`` -> Good's), or None."""
        return next((d for d in self.descriptors_for(kind) if d.grade == value), None)

    def theme(self, theme_id: str) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)

    def theme_opened_by(self, section: Section) -> Theme | None:
        """The theme whose expected outcomes go above ``section`` (its first section)."""
        first = next((s for s in self.sections if section.theme and s.theme == section.theme),
                     None)
        return self.theme(section.theme) if first is section else None

    # --- look-ups -------------------------------------------------------------------------
    def questions(self) -> Iterator[tuple[Section, Item]]:
        for section in self.sections:
            for question in section.questions:
                yield section, question

    def question(self, question_id: str) -> Item | None:
        return self._question_index().get(question_id)

    @cache  # noqa: B019 - templates are immutable and live for the process
    def _question_index(self) -> dict[str, Item]:
        return {q.id: q for _, q in self.questions()}

    @cache  # noqa: B019
    def tables(self) -> dict[str, tuple[Section, ...]]:
        """Field tables (``case``, ``sections.assessment``...) and the sections storing there."""
        found: dict[str, list[Section]] = {}
        for section in self.sections:
            if section.fields:
                found.setdefault(section.table, []).append(section)
        return {k: tuple(v) for k, v in found.items()}

    def groups(self) -> Iterator[tuple[Section, Group]]:
        for section in self.sections:
            if section.group is not None:
                yield section, section.group

    @cache  # noqa: B019
    def by_role(self) -> dict[str, tuple[str, Item]]:
        """Role -> (dotted key path of the value, item). Groups map to their table name."""
        found: dict[str, tuple[str, Item]] = {}
        for section in self.sections:
            for f in section.fields:
                if f.role:
                    found[f.role] = (f"{section.table}.{f.id}", f)
            for q in section.questions:
                if q.role:
                    found[q.role] = (f"answers.{q.id}.{q.value_key}", q)
        return found

    def role_path(self, role: str) -> str | None:
        hit = self.by_role().get(role)
        return hit[0] if hit else None

    def group_by_role(self, role: str) -> Group | None:
        return next((g for _, g in self.groups() if g.role == role), None)


# --- loading ------------------------------------------------------------------------------


def _require(table: dict[str, Any], key: str, where: str, source: str) -> Any:
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


def _item(raw: dict[str, Any], kinds: dict[str, Kind], where: str, source: str, *,
          question: bool) -> Item:
    item_id = _require(raw, "id", where, source)
    if not _ID.match(str(item_id)):
        raise TemplateError(f"{where}: id {readable(item_id)} must match [a-z0-9_]+", path=source)
    kind_name = _require(raw, "kind", f"{where} {readable(item_id)}", source)
    if kind_name not in kinds:
        raise TemplateError(
            f"{where} {readable(item_id)} names kind {readable(kind_name)}, which [kinds] "
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
        where = f"section {readable(sid)}"
        fields = tuple(
            _item(f, kinds, f"{where} field", source, question=False)
            for f in raw.get("fields", [])
        )
        questions = tuple(
            _item(q, kinds, f"{where} question", source, question=True)
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
                table=_require(g, "table", f"{where} group", source),
                label=str(g.get("label", g["table"])),
                role=str(g.get("role", "")),
                minimum=int(g.get("min", 0)),
                maximum=g.get("max"),
                fields=tuple(
                    _item(f, kinds, f"{where} group field", source, question=False)
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


def _load_text(text: str, source: str) -> Template:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"not valid TOML: {exc}", path=source) from exc
    return parse_template(data, source)


@cache
def shipped_templates() -> tuple[Template, ...]:
    folder = resources.files("qaudit").joinpath("templates")
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            text = entry.read_text(encoding="utf-8")
            found.append(_load_text(text, f"qaudit/templates/{entry.name}"))
    return tuple(found)


Listing = tuple[tuple[str, int, int, int], ...]


def _listing(folder: Path) -> Listing:
    """The folder's template files with their inode, modification time and size."""
    found = []
    for p in sorted(folder.glob("*.toml")):
        try:
            st = p.stat()
        except OSError:
            continue
        found.append((p.name, st.st_ino, st.st_mtime_ns, st.st_size))
    return tuple(found)


@lru_cache(maxsize=64)
def _load_folder(folder: str, listing: Listing) -> tuple[Template, ...]:
    path = Path(folder)
    return tuple(_load_text((path / name).read_text(encoding="utf-8"), str(path / name))
                 for name, *_ in listing)


def _folder_templates(folder: str) -> tuple[Template, ...]:
    """A council's templates, read again when a file in the folder is added or changed."""
    path = Path(folder)
    if not path.is_dir():
        raise UsageError(f"template folder {folder} does not exist")
    return _load_folder(folder, _listing(path))


def catalogue_for_dirs(template_dirs: tuple[Path, ...]) -> Catalogue:
    """The catalogue for a folder's template folders, rebuilt only when one of their
    template files changed (a long-lived front-end sees an edited template)."""
    stamps = tuple(_listing(d) if d.is_dir() else () for d in template_dirs)
    return _catalogue(template_dirs, stamps)


@lru_cache(maxsize=64)
def _catalogue(template_dirs: tuple[Path, ...], stamps: tuple[Listing, ...]) -> Catalogue:
    return Catalogue(template_dirs)


class Catalogue:
    """The templates available to a command: shipped ones plus a folder's own."""

    def __init__(self, extra_dirs: Iterable[Path] = ()) -> None:
        templates: dict[tuple[str, str], Template] = {}
        for t in shipped_templates():
            templates[(t.id, t.version)] = t
        for folder in extra_dirs:
            for t in _folder_templates(str(folder.resolve())):
                templates[(t.id, t.version)] = t
        self._templates = templates

    def all(self) -> list[Template]:
        return sorted(self._templates.values(), key=lambda t: (t.id, t.version))

    def ids(self) -> list[str]:
        return sorted({t.id for t in self._templates.values()})

    def versions(self, template_id: str) -> list[str]:
        return sorted(v for (i, v) in self._templates if i == template_id)

    def get(self, template_id: str, version: str | None = None) -> Template | None:
        if version is not None:
            return self._templates.get((template_id, version))
        versions = self.versions(template_id)
        return self._templates[(template_id, versions[-1])] if versions else None

    def require(self, template_id: str, version: str | None = None) -> Template:
        found = self.get(template_id, version)
        if found is None:
            if template_id not in self.ids():
                raise UsageError(
                    f"unknown template {readable(template_id)}; available: {', '.join(self.ids())}"
                )
            raise UsageError(
                f"template {readable(template_id)} has no version {readable(version)}; "
                f"available: {', '.join(self.versions(template_id))}"
            )
        return found
