"""The parts of a template that guide the auditor rather than hold answers: the introduction's
numbered guidance, the grade descriptors, the themes and their expected outcomes.

Read from ``[[template.guidance]]``, ``[[template.descriptors]]`` and ``[[template.themes]]``
(docs/template-format.md). Front-ends show them through ``qaudit.fill.guidance``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from msgspec import Struct

from qaudit.errors import TemplateError
from qaudit.readable import readable


class GuidanceNote(Struct, frozen=True):
    """One numbered point of the introduction. ``heading`` starts a group of points
    ("Completing the audit:"); ``key_lines`` marks the point that lists the audit cycle's key
    lines of enquiry (its bullets are replaced by the cycle's own)."""

    number: int
    text: str
    heading: str = ""
    key_lines: bool = False


class Descriptor(Struct, frozen=True):
    """What a grade means (the team-manager appendix): ``short`` is shown at the grade, ``text``
    in full on request."""

    grade: int
    name: str
    short: str
    text: str


class Theme(Struct, frozen=True):
    """A grouping of sections (Curiosity, Co-production...) with its EXPECTED OUTCOMES."""

    id: str
    title: str
    outcomes: tuple[str, ...] = ()


class CyclePlacement(Struct, frozen=True):
    """Where an audit cycle's questions go (``[template.cycle]``): the key lines of enquiry into
    section ``key_lines_section``, bespoke questions into ``bespoke_section``; either one left
    out goes into a section of its own, "Audit cycle", placed after section ``after`` (default:
    the end)."""

    key_lines_section: str = ""
    bespoke_section: str = ""
    after: str = ""


def _list(head: dict[str, Any], key: str, source: str) -> Sequence[Any]:
    raw = head.get(key, [])
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        raise TemplateError(f"[[template.{key}]] must be an array of tables", path=source)
    return raw


def _text(raw: dict[str, Any], key: str, where: str, source: str) -> str:
    if key not in raw:
        raise TemplateError(f"{where} has no {readable(key)}", path=source)
    return str(raw[key]).strip()


def parse_guidance(head: dict[str, Any], source: str) -> tuple[GuidanceNote, ...]:
    return tuple(
        GuidanceNote(
            number=int(g.get("number", index)),
            text=_text(g, "text", f"guidance {index}", source),
            heading=str(g.get("heading", "")).strip(),
            key_lines=bool(g.get("key_lines", False)),
        )
        for index, g in enumerate(_list(head, "guidance", source), start=1)
    )


def parse_descriptors(head: dict[str, Any], source: str) -> tuple[Descriptor, ...]:
    found = []
    for index, d in enumerate(_list(head, "descriptors", source), start=1):
        where = f"descriptor {index}"
        grade = d.get("grade")
        if not isinstance(grade, int) or isinstance(grade, bool):
            raise TemplateError(f"{where}: grade must be a whole number", path=source)
        text = _text(d, "text", where, source)
        found.append(Descriptor(grade=grade, name=str(d.get("name", "")).strip(),
                                short=str(d.get("short", "")).strip() or text, text=text))
    return tuple(found)


def parse_themes(head: dict[str, Any], source: str) -> tuple[Theme, ...]:
    found = []
    for index, t in enumerate(_list(head, "themes", source), start=1):
        outcomes = t.get("outcomes", [])
        if not isinstance(outcomes, list) or not all(isinstance(o, str) for o in outcomes):
            raise TemplateError(f"theme {index}: outcomes must be a list of text", path=source)
        found.append(Theme(id=_text(t, "id", f"theme {index}", source),
                           title=_text(t, "title", f"theme {index}", source),
                           outcomes=tuple(o.strip() for o in outcomes)))
    return tuple(found)


def parse_placement(head: dict[str, Any], section_ids: set[str], source: str) -> CyclePlacement:
    raw = head.get("cycle", {})
    if not isinstance(raw, dict):
        raise TemplateError("[template.cycle] must be a table", path=source)
    placement = CyclePlacement(
        key_lines_section=str(raw.get("key_lines_section", "")),
        bespoke_section=str(raw.get("bespoke_section", "")),
        after=str(raw.get("after", "")),
    )
    for key in ("key_lines_section", "bespoke_section", "after"):
        named = getattr(placement, key)
        if named and named not in section_ids:
            raise TemplateError(f"[template.cycle] {key} names section {readable(named)}, "
                                f"which the "
                                "template does not have", path=source)
    return placement
