"""group-limit: no more records than the template allows (two parents/carers)."""

from __future__ import annotations

from collections.abc import Iterator

from qaudit.findings import Finding, Level
from qaudit.rules.base import AuditContext, Rule


def check(ctx: AuditContext) -> Iterator[Finding]:
    for section, group in ctx.template.groups():
        records = ctx.get(group.table)
        if group.maximum is not None and isinstance(records, list) and len(records) > group.maximum:
            yield ctx.finding(
                f"{group.table}[{group.maximum}]", Level.ERROR, "group-limit",
                f"{section.heading} has room for {group.maximum} {group.label} record(s); "
                f"found {len(records)}", at_value=False,
            )


RULE = Rule(
    id="group-limit",
    summary="More records than the template has room for.",
    source="Core section 13: the form records the feedback of two parents separately.",
    check=check,
)
