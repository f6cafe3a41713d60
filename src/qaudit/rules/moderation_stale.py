"""moderation-stale: a moderated audit whose grades, evidence or rationale changed after the
panel saw them (the ``[panel_digest]`` ``qaudit moderate`` records no longer matches).

Reopen the audit with a reason (``qaudit fill FILE --reopen "reason"``), make the change and
moderate it again; or undo the change. An audit moderated before qaudit kept a digest has
none, and is not reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from qaudit.audit.status import MODERATED
from qaudit.findings import Finding, Level
from qaudit.rules.base import AuditContext, Rule


def check(ctx: AuditContext) -> Iterator[Finding]:
    if ctx.status != MODERATED:
        return
    # Only a moderated audit has a digest to compare (hashlib, json: imported for it alone).
    from qaudit.moderation.digest import DIGEST_TABLE, recorded_date, stale_sections

    on = recorded_date(ctx.get)
    when = f" on {on.isoformat()}" if on else ""
    headings = {s.id: s.heading for s in ctx.template.sections}
    for section_id in stale_sections(ctx.template, ctx.get):
        yield ctx.finding(
            f"{DIGEST_TABLE}.{section_id}", Level.ERROR, "moderation-stale",
            f"{headings.get(section_id, section_id)}: grades, evidence or rationale changed "
            f"after the panel moderated the audit{when}; reopen it with qaudit fill FILE "
            '--reopen "reason" and moderate it again, or undo the change',
            at_value=False)


RULE = Rule(
    id="moderation-stale",
    summary="A moderated audit whose graded answers no longer match what the panel saw.",
    source="Section 18: the panel's agreement stands on the grades it saw; a changed grade "
    "needs the audit reopened (with the reason) and moderated again.",
    check=check,
)
