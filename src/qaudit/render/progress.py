"""What is still missing before an audit can be complete, by section: the findings
``fill --complete`` would report (validate's rules, as if the audit were complete), placed
under the section their key belongs to, in template order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from qaudit.fill.complete import completeness_findings
from qaudit.findings import Level
from qaudit.templates.catalogue import Template

OTHER = "Other"


def section_of_key(template: Template) -> dict[str, str]:
    """Key prefix (``answers.q4``, ``sections.assessment.grade``, ``parents``) -> heading."""
    found: dict[str, str] = {}
    for section in template.sections:
        for question in section.questions:
            found[f"answers.{question.id}"] = section.heading
        for item in section.fields:
            found[f"{section.table}.{item.id}"] = section.heading
        found.setdefault(section.table, section.heading)
        if section.group is not None:
            found[section.group.table] = section.heading
    return found


def _heading(key: str, index: dict[str, str]) -> str:
    parts = key.replace("[", ".[").split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end]).replace(".[", "[")
        prefix = prefix.split("[")[0]
        if prefix in index:
            return index[prefix]
    return OTHER


def missing_by_section(path: Path, template: Template, today: dt.date) -> dict[str, list[str]]:
    """Section heading -> what is missing there (the finding's message), template order."""
    _, findings = completeness_findings(path, today)
    index = section_of_key(template)
    order = {heading: n for n, heading in enumerate(dict.fromkeys(index.values()))}
    grouped: dict[str, list[str]] = {}
    for finding in findings:
        if finding.level is not Level.ERROR:
            continue
        heading = _heading(finding.key, index)
        message = finding.message
        if message.startswith(heading + ": "):
            message = message[len(heading) + 2:]
        grouped.setdefault(heading, []).append(f"line {finding.line}: {message}")
    return dict(sorted(grouped.items(), key=lambda kv: order.get(kv[0], len(order))))
