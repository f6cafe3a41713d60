"""A new, blank audit as TOML text: every question with its number, text and guidance as
comments, so it can be filled in any editor, and a ``#:schema`` line for editor checking."""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from pathlib import Path
from typing import Any

from qaudit.audit.kinds import problem
from qaudit.errors import UsageError
from qaudit.fill.guidance import PROMPT_MARK, descriptor_lines, introduction, theme_lines
from qaudit.readable import readable
from qaudit.templates.catalogue import Item, Template
from qaudit.templates.cycle import Cycle, apply_cycle

SAFE_CASE_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
WIDTH = 96


def check_case_number(case_number: str) -> str:
    """A case number becomes part of a file name, so only letters, digits, - and _."""
    if not SAFE_CASE_NUMBER.fullmatch(case_number):
        raise UsageError(
            f"case number {readable(case_number)} is not allowed in a file name; use "
            f"letters, digits, "
            "'-' and '_' only (no '/', '..', spaces or other characters), at most 64"
        )
    return case_number


def audit_filename(template: Template, case_number: str, day: dt.date) -> str:
    return f"{day.isoformat()}_{check_case_number(case_number)}_{template.id}.toml"


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _comment(text: str, prefix: str = "# ") -> list[str]:
    lines: list[str] = []
    for raw in text.strip().splitlines():
        if not raw.strip():
            lines.append("")
            continue
        indent = "  " if raw.lstrip().startswith(("-", "·")) else ""
        lines.extend(textwrap.wrap(raw.strip(), WIDTH - len(prefix), subsequent_indent=indent)
                     or [""])
    return [f"{prefix}{line}".rstrip() for line in lines]


def _allowed(item: Item) -> str:
    return f"# {item.kind.describe()}"


def _value_line(key: str, item: Item, value: Any = "") -> str:
    line = f"{key} = {toml_value(value)}"
    if item.kind.base in ("grade", "choice", "score", "date", "integer", "boolean"):
        line = f"{line:<24} {_allowed(item)}"
    return line


def _hanging(text: str, first: str, rest: str) -> list[str]:
    """One entry (a prompt, a descriptor) however long: its mark on the first line only, so
    a wrapped prompt never looks like two."""
    head, *tail = textwrap.wrap(" ".join(text.split()), WIDTH - len(rest)) or [""]
    return [f"{first}{head}", *(f"{rest}{line}" for line in tail)]


def _item_comments(template: Template, item: Item) -> list[str]:
    out = _comment(item.label)
    if item.guidance:
        out += ["#"] + _comment(item.guidance, "#   ")
    for prompt in item.prompts:
        out += _hanging(prompt, f"#   {PROMPT_MARK}", "#     ")
    descriptors = descriptor_lines(template, item.kind)
    if descriptors:
        out += ["#   Grade descriptors:"] + [c for d in descriptors for c in
                                             _hanging(d, "#     ", "#       ")]
    return out


def _intro_comments(template: Template) -> list[str]:
    """The introduction's guidance, once, at the top of the file."""
    lines = introduction(template)
    if not lines:
        return []
    out = ["", f"# {'-' * (WIDTH - 2)}", *_comment(lines[0].upper())]
    for line in lines[1:]:
        out += _comment(line, "#   " if line.lstrip().startswith("-") else "# ")
    return [*out, f"# {'-' * (WIDTH - 2)}"]


def _cycle_table(cycle: Cycle) -> list[str]:
    """The cycle the audit is made in, kept with it (its questions stay when the folder
    moves on to the next cycle)."""
    out = ["", "# The audit cycle this audit was made in (from the folder's qaudit.toml). Its",
           "# questions are asked below; they stay with this audit when the cycle changes.",
           "[cycle]", f"name = {toml_value(cycle.name)}"]
    for q in cycle.questions:
        out += ["", "[[cycle.questions]]"]
        out += [f"{key} = {toml_value(value)}" for key, value in q.as_table().items()]
    return out


def render_audit(template: Template, values: dict[str, Any], schema_ref: str,
                 created: dt.date, cycle: Cycle | None = None) -> str:
    """The text of a new draft audit. ``values`` maps field ids of field tables to values;
    ``cycle`` (the folder's current one) is written into the audit and its questions asked.
    The introduction's guidance goes once at the top, each theme's expected outcomes above
    its first area, grade descriptors at every grade."""
    if cycle is not None:
        template = apply_cycle(template, cycle)
    out: list[str] = [f"#:schema {schema_ref}"]
    out += _comment(f"{template.title}" + (f" - {template.organisation}" if template.organisation
                                           else ""))
    out += [
        "# Made by `qaudit new`. Fill it in with `qaudit fill FILE` or any editor, and check it",
        "# with `qaudit validate FILE`. A blank answer is \"\". Dates are written 2026-05-04,",
        "# without quotes. Comments and keys you add are kept by every qaudit command.",
        *_intro_comments(template),
        "",
        "[audit]",
        f"template = {toml_value(template.id)}",
        f"template_version = {toml_value(template.version)}",
        'status = "draft"        # draft -> complete -> moderated',
        f"created = {created.isoformat()}",
    ]
    if cycle is not None:
        out += _cycle_table(cycle)
    for section in template.sections:
        themed = theme_lines(template, section)
        if themed:
            out += ["", "", f"# {'#' * (WIDTH - 2)}", *_comment(themed[0])]
            out += [c for line in themed[1:] for c in
                    _comment(line, "#   " if line.startswith("- ") else "# ")]
            out.append(f"# {'#' * (WIDTH - 2)}")
        out += ["", "", f"# {'=' * (WIDTH - 2)}"]
        out += _comment(section.heading.upper())
        if section.note:
            out += _comment(section.note)
        if section.guidance:
            out += ["#", *_comment(f"{section.guidance_heading}:")]
            out += _comment(section.guidance, "#   ")
        out.append(f"# {'=' * (WIDTH - 2)}")
        for q in section.questions:
            out.append("")
            out += _item_comments(template, q)
            out.append(f"[answers.{q.id}]")
            out.append(_value_line(q.value_key, q))
            if q.evidence:
                out.append(f'{"evidence = " + chr(34) * 2:<24} # {q.evidence}')
        if section.fields:
            out += ["", f"[{section.table}]"]
            for f in section.fields:
                if f.guidance or f.prompts or template.descriptors_for(f.kind):
                    out += _item_comments(template, f)
                else:
                    out += _comment(f.label + (" (moderation panel)" if f.moderator_only else ""))
                out.append(_value_line(f.id, f, values.get(f.id, "")))
        if section.group is not None:
            group = section.group
            limit = f" (up to {group.maximum})" if group.maximum else ""
            out += ["", f"# {group.label} records{limit}: "
                    f"copy the [[{group.table}]] block for each."]
            commented = group.role in ("actions", "learning_actions") or group.minimum == 0 and \
                group.role != "parents_views"
            if commented:
                out.append("# Uncomment and fill in, or add with `qaudit fill`:")
            lines = [f"[[{group.table}]]"]
            for f in group.fields:
                lines += _comment(f.label)
                lines.append(_value_line(f.id, f, "open" if f.id == "status" else ""))
            out += [(line if line.startswith("#") else f"# {line}") if commented else line
                    for line in lines]
    out += ["", "", f"# {'=' * (WIDTH - 2)}", "# CASE CHRONOLOGY",
            "# Dated events from the case record for the review window; see the README.",
            '# [[events]]', '# date = 2026-03-02', '# kind = "visit"', '# seen_alone = true', ""]
    return "\n".join(out) + "\n"


def initial_values(template: Template, by_role: dict[str, Any]) -> dict[str, Any]:
    """Map role -> value (from command-line options) to field id -> value, checked."""
    values: dict[str, Any] = {}
    roles = template.by_role()
    for role, value in by_role.items():
        if value is None:
            continue
        hit = roles.get(role)
        if hit is None:
            raise UsageError(f"template {template.id} has no field for {role.replace('_', ' ')}")
        _, item = hit
        message = problem(item.kind, value)
        if message:
            raise UsageError(f"{item.text}: {message}")
        values[item.id] = value
    return values


def schema_ref_for(folder: Path, template_schema_name: str) -> Path | None:
    """The nearest ``schemas/<name>`` at or above ``folder``, if there is one."""
    for candidate in (folder, *folder.parents):
        found = candidate / "schemas" / template_schema_name
        if found.is_file():
            return found
    return None
