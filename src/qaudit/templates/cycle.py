"""The audit cycle as data: the key lines of enquiry and bespoke questions a QA team sets for a
round of audits, per template, in the folder's ``qaudit.toml``:

```toml
[cycle]
name = "Autumn 2026"
[cycle.team-manager]
key_lines = ["How well do we hear the voice of fathers?", "..."]
[[cycle.team-manager.questions]]
id = "cost_of_living"             # optional; stored as answers.cycle_cost_of_living
text = "Has the cost-of-living support offer been discussed with the family?"
kind = "yes_no_na_partially"      # a kind of the template ([kinds])
```

``qaudit new`` copies the cycle into the audit's own ``[cycle]`` table, so an audit keeps the
questions it was made with when the folder moves to the next cycle. ``audit_template`` gives
the template of one audit: its template with the audit's cycle questions as ordinary questions
(``[answers.cycle_...]``), so ``fill``, the form, ``validate``, export and render ask, check
and show them like any other question.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from msgspec import Struct
from msgspec.structs import replace

from qaudit.config import FolderConfig
from qaudit.errors import UsageError
from qaudit.readable import readable
from qaudit.templates.catalogue import Item, Kind, Section, Template

PREFIX = "cycle_"
KEY_LINE, BESPOKE = "key_line", "bespoke"
CYCLE_SECTION = "cycle"
_ID = r"^[a-z0-9_]{1,48}$"  # compiled on first use (re's cache), not at import
TEXT_KIND = Kind(name="text", base="text")


class CycleQuestion(Struct, frozen=True):
    """One question of a cycle, as stored in an audit's ``[[cycle.questions]]``."""

    id: str
    text: str
    kind: str
    type: str = BESPOKE
    required: bool = True
    guidance: str = ""
    evidence: str = ""

    def as_table(self) -> dict[str, Any]:
        table: dict[str, Any] = {"id": self.id, "type": self.type, "text": self.text,
                                 "kind": self.kind, "required": self.required}
        if self.guidance:
            table["guidance"] = self.guidance
        if self.evidence:
            table["evidence"] = self.evidence
        return table


class Cycle(Struct, frozen=True):
    name: str
    questions: tuple[CycleQuestion, ...] = ()

    @property
    def key_lines(self) -> tuple[CycleQuestion, ...]:
        return tuple(q for q in self.questions if q.type == KEY_LINE)

    @property
    def bespoke(self) -> tuple[CycleQuestion, ...]:
        return tuple(q for q in self.questions if q.type == BESPOKE)


# --- the folder's current cycle (qaudit.toml) -----------------------------------------------


def _bad(config: FolderConfig, message: str) -> UsageError:
    return UsageError(f"[cycle] {message}", path=str(config.path) if config.path else None)


def folder_cycle(config: FolderConfig, template: Template) -> Cycle | None:
    """The current cycle's questions for ``template`` from the folder's ``qaudit.toml``, or
    None when it sets none. A mistake stops the command, naming the file and what is allowed."""
    raw = config.raw.get("cycle")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _bad(config, "must be a table")
    name = raw.get("name", "")
    if not isinstance(name, str):
        raise _bad(config, "name must be text in quotes")
    own = raw.get(template.id)
    if own is None:
        return None
    if not isinstance(own, dict):
        raise _bad(config, f"[cycle.{template.id}] must be a table")
    unknown = sorted(set(own) - {"key_lines", "questions"})
    if unknown:
        raise _bad(config, f"[cycle.{template.id}] has unknown key {readable(unknown[0])}; "
                           "allowed: key_lines, questions")
    lines = own.get("key_lines", [])
    if not isinstance(lines, list) or not all(isinstance(t, str) and t.strip() for t in lines):
        raise _bad(config, f"[cycle.{template.id}] key_lines must be a list of text")
    found = [CycleQuestion(f"{PREFIX}kloe_{n}", text.strip(), "text", KEY_LINE)
             for n, text in enumerate(lines, start=1)]
    questions = own.get("questions", [])
    if not isinstance(questions, list) or not all(isinstance(q, dict) for q in questions):
        raise _bad(config, f"[[cycle.{template.id}.questions]] must be tables")
    for n, q in enumerate(questions, start=1):
        found.append(_configured(config, template, q, n))
    ids = [q.id for q in found]
    twice = next((i for i in ids if ids.count(i) > 1), None)
    if twice:
        raise _bad(config, f"question id {readable(twice.removeprefix(PREFIX))} is used twice")
    return Cycle(name.strip(), tuple(found))


def _configured(config: FolderConfig, template: Template, raw: dict[str, Any],
                n: int) -> CycleQuestion:
    where = f"[[cycle.{template.id}.questions]] {n}"
    allowed = {"id", "text", "kind", "required", "guidance", "evidence"}
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise _bad(config, f"{where} has unknown key {readable(unknown[0])}; allowed: "
                           + ", ".join(sorted(allowed)))
    text, kind = raw.get("text"), raw.get("kind", "text")
    if not isinstance(text, str) or not text.strip():
        raise _bad(config, f"{where} needs text: the question as the auditor reads it")
    if kind not in template.kinds:
        raise _bad(config, f"{where}: kind {readable(kind)} is not a kind of template "
                           f"{template.id}; "
                           f"allowed: {', '.join(sorted(template.kinds))}")
    qid = raw.get("id", f"bespoke_{n}")
    if not isinstance(qid, str) or not re.match(_ID, qid.removeprefix(PREFIX)):
        raise _bad(config, f"{where}: id {readable(qid)} must be letters a-z, digits and _")
    required = raw.get("required", True)
    if not isinstance(required, bool):
        raise _bad(config, f"{where}: required must be true or false")
    extra = {k: raw.get(k, "") for k in ("guidance", "evidence")}
    if not all(isinstance(v, str) for v in extra.values()):
        raise _bad(config, f"{where}: guidance and evidence must be text")
    return CycleQuestion(PREFIX + qid.removeprefix(PREFIX), text.strip(), str(kind), BESPOKE,
                         required, extra["guidance"].strip(), extra["evidence"].strip())


# --- the cycle an audit was made with ([cycle] in the audit) ------------------------------


def cycle_problems(template: Template, data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What is wrong with an audit's own ``[cycle]`` table, as (key, message) pairs."""
    return _read(template, data)[1]


def audit_cycle(template: Template, data: Mapping[str, Any]) -> Cycle | None:
    """The cycle an audit was made with (its ``[cycle]``), keeping only well-formed questions."""
    return _read(template, data)[0]


def _read(template: Template, data: Mapping[str, Any]
          ) -> tuple[Cycle | None, list[tuple[str, str]]]:
    raw = data.get("cycle")
    if raw is None:
        return None, []
    if not isinstance(raw, dict):
        return None, [("cycle", "[cycle] must be a table")]
    problems: list[tuple[str, str]] = []
    name = raw.get("name", "")
    if not isinstance(name, str):
        problems.append(("cycle.name", "the cycle's name must be text in quotes"))
        name = ""
    for key in raw:
        if key not in ("name", "questions"):
            problems.append((f"cycle.{key}", f"unknown key {readable(key)} in [cycle]; allowed: "
                                             "name, questions"))
    entries = raw.get("questions", [])
    if not isinstance(entries, list):
        return Cycle(name), [*problems, ("cycle.questions", "[[cycle.questions]] must be "
                                                            "an array of tables")]
    # The audit's template may already hold these questions (``audit_template``): only the
    # template's own questions are taken.
    taken = {q.id for _, q in template.questions() if not q.id.startswith(PREFIX)}
    found: list[CycleQuestion] = []
    for index, entry in enumerate(entries):
        key = f"cycle.questions[{index}]"
        question, message = _stored(template, entry, taken)
        if question is None:
            problems.append((key, f"cycle question {index + 1}: {message}"))
            continue
        taken.add(question.id)
        found.append(question)
    return Cycle(name, tuple(found)), problems


def _stored(template: Template, entry: Any, taken: set[str]) -> tuple[CycleQuestion | None, str]:
    if not isinstance(entry, dict):
        return None, "must be a table with id, type, text and kind"
    qid, text, kind = entry.get("id"), entry.get("text"), entry.get("kind", "text")
    qtype, required = entry.get("type", BESPOKE), entry.get("required", True)
    if not isinstance(qid, str) or not qid.startswith(PREFIX) or not re.match(_ID, qid):
        return None, (f"id {readable(qid)} must start with {readable(PREFIX)} and hold only "
                      f"a-z, 0-9 and _")
    if qid in taken:
        return None, f"id {readable(qid)} is used twice (or by a question of the template)"
    if not isinstance(text, str) or not text.strip():
        return None, "has no text"
    if kind not in template.kinds and kind != "text":
        return None, (f"kind {readable(kind)} is not a kind of template {template.id}; allowed: "
                      f"{', '.join(sorted(template.kinds))}")
    if qtype not in (KEY_LINE, BESPOKE):
        return None, f"type {readable(qtype)} is not allowed; allowed: {KEY_LINE}, {BESPOKE}"
    if not isinstance(required, bool):
        return None, "required must be true or false"
    known = {"id", "type", "text", "kind", "required", "guidance", "evidence"}
    unknown = sorted(set(entry) - known)
    if unknown:
        return None, f"unknown key {readable(unknown[0])}; allowed: {', '.join(sorted(known))}"
    return CycleQuestion(qid, text.strip(), kind, qtype, required,
                         str(entry.get("guidance", "")).strip(),
                         str(entry.get("evidence", "")).strip()), ""


# --- the template of one audit ------------------------------------------------------------


def audit_template(template: Template, data: Mapping[str, Any]) -> Template:
    """The template of one audit: ``template`` plus the questions of the audit's own
    ``[cycle]`` (unchanged when it has none). Audits of one cycle share one object."""
    cycle = audit_cycle(template, data)
    return apply_cycle(template, cycle) if cycle is not None else template


@lru_cache(maxsize=32)
def apply_cycle(template: Template, cycle: Cycle) -> Template:
    """``template`` with ``cycle``'s questions as ordinary questions: key lines of enquiry in
    the template's ``key_lines_section``, bespoke questions in its ``bespoke_section``, either
    otherwise in a section "Audit cycle" (after ``[template.cycle] after``); the
    introduction's key-lines point lists the cycle's key lines."""
    place = template.cycle
    if any(q.id.startswith(PREFIX) for _, q in template.questions()):
        return template  # already the template of an audit with its cycle
    key_lines = tuple(_item(template, q, n) for n, q in enumerate(cycle.key_lines, start=1))
    bespoke = tuple(_item(template, q, n) for n, q in enumerate(cycle.bespoke, start=1))
    extra: dict[str, tuple[Item, ...]] = {}
    for target, items in ((place.key_lines_section, key_lines), (place.bespoke_section, bespoke)):
        extra[target or CYCLE_SECTION] = extra.get(target or CYCLE_SECTION, ()) + items
    sections: list[Section] = []
    own = extra.pop(CYCLE_SECTION, ())
    for section in template.sections:
        added = extra.get(section.id, ())
        sections.append(replace(section, questions=section.questions + added)
                        if added else section)
    if own:
        title = f"Audit cycle: {cycle.name}" if cycle.name else "Audit cycle"
        new = Section(id=CYCLE_SECTION, number="", title=title, table=f"sections.{CYCLE_SECTION}",
                      note="Key lines of enquiry and bespoke questions set for this audit cycle.",
                      questions=own)
        at = next((i + 1 for i, s in enumerate(sections) if s.id == place.after), len(sections))
        sections.insert(at, new)
    guidance = tuple(
        replace(g, text=_key_lines_text(g.text, cycle)) if g.key_lines and
        cycle.key_lines else g for g in template.guidance)
    return replace(template, sections=tuple(sections), guidance=guidance,
                   cycle_name=cycle.name)


def _key_lines_text(text: str, cycle: Cycle) -> str:
    head = [line for line in text.splitlines() if not line.lstrip().startswith("-")]
    return "\n".join([*head, *(f"- {q.text}" for q in cycle.key_lines)])


def _item(template: Template, q: CycleQuestion, n: int) -> Item:
    kind = template.kinds.get(q.kind, TEXT_KIND)
    if q.type == KEY_LINE:
        number = f"KLOE {n}"
        guidance = q.guidance or ("A key line of enquiry for this audit cycle: what did the "
                                  "audit find?")
    else:
        number, guidance = f"Bespoke {n}", q.guidance
    return Item(id=q.id, kind=kind, text=q.text, number=number, guidance=guidance,
                required=q.required, evidence=q.evidence)
