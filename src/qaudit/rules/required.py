"""required-missing: a complete audit has every required answer.

Every question (guidance 3: a grading for every question; N/A where not relevant), each
section's overall rating and rationale, the auditor's and practitioner's overall gradings,
and the family's views or the reason they could not be obtained. Moderator-only fields are
never required here: the panel fills them later.
"""

from __future__ import annotations

from collections.abc import Iterator

from qaudit.audit.kinds import is_blank
from qaudit.findings import Finding, Level
from qaudit.rules.base import AuditContext, Rule


def check(ctx: AuditContext) -> Iterator[Finding]:
    if not ctx.finished:
        return
    status = ctx.status
    for section, item, key, value in ctx.fields():
        if item.required and not item.moderator_only and is_blank(value):
            yield ctx.finding(key, Level.ERROR, "required-missing",
                              f"{section.heading}: {item.text} is required in a {status} audit")
    for section, item, key, value in ctx.questions():
        if item.required and is_blank(value) and not ctx.section_excused(section):
            hint = ' (write "N/A" if it does not apply)' if item.kind.na else ""
            yield ctx.finding(
                key, Level.ERROR, "required-missing",
                f"{section.heading}: question {item.number or item.id} is not answered{hint}",
            )
    for section, group in ctx.template.groups():
        if group.role != "parents_views" and group.minimum == 0:
            continue
        records = ctx.get(group.table)
        filled = [
            r for r in (records if isinstance(records, list) else [])
            if isinstance(r, dict) and any(not is_blank(v) for v in r.values())
        ]
        if group.role == "parents_views" and not filled and not ctx.section_excused(section):
            yield ctx.finding(
                section.table, Level.ERROR, "required-missing",
                f"{section.heading}: record the views of at least one parent/carer in "
                f"[[{group.table}]], or give the reason they could not be obtained",
                at_value=False,
            )
        elif len(filled) < group.minimum:
            yield ctx.finding(group.table, Level.ERROR, "required-missing",
                              f"{section.heading}: at least {group.minimum} {group.label} "
                              f"record(s) are needed", at_value=False)


RULE = Rule(
    id="required-missing",
    summary="A complete or moderated audit is missing a required answer.",
    source="Core guidance 3 and 8: a grading for every question, and overall gradings with a "
    "rationale from practitioner (q46) and auditor (q59); section 13: parents' views or why not.",
    check=check,
)
