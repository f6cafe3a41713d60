"""rationale-missing: a rating that needs a rationale has one (a section's overall rating)."""

from __future__ import annotations

from collections.abc import Iterator

from qaudit.audit.kinds import NA, is_blank
from qaudit.findings import Finding
from qaudit.rules.base import AuditContext, Rule


def check(ctx: AuditContext) -> Iterator[Finding]:
    for section, item, _key, value in ctx.fields():
        if not item.requires or is_blank(value) or value == NA:
            continue
        partner = section.field(item.requires)
        partner_key = f"{section.table}.{item.requires}"
        if partner is not None and is_blank(ctx.get(partner_key)):
            yield ctx.finding(
                partner_key, ctx.level_when_finished(), "rationale-missing",
                f"{section.heading}: {item.text} is given ({value}) but "
                f"{partner.text.lower()} is empty",
            )


RULE = Rule(
    id="rationale-missing",
    summary="A section rating without its rationale: error once complete, warning in a draft.",
    source="Core: 'Evidence and rationale for the overall rating' beside every section's overall "
    "rating; team-manager: auditor's comments with each grade.",
    check=check,
)
