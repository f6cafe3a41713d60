"""escalation-incomplete: every escalation names who it was raised with and when.

A group with role ``escalations`` holds them (team-manager: "Please note who it has been
escalated to and the date of escalation as well as any immediate actions agreed"; core
guidance 10: a serious concern about the child's safety raised with the Team Manager). Its
fields with roles ``escalated_to`` and ``escalation_date`` must be filled in every record that
holds anything. The date itself is checked like every date (``value-kind``, ``date-future``).
"""

from __future__ import annotations

from collections.abc import Iterator

from qaudit.audit.kinds import is_blank
from qaudit.findings import Finding, Level
from qaudit.readable import readable
from qaudit.rules.base import AuditContext, Rule

NEEDED = ("escalated_to", "escalation_date")


def check(ctx: AuditContext) -> Iterator[Finding]:
    for _, group, index, record in ctx.group_records():
        if group.role != "escalations" or all(is_blank(v) for v in record.values()):
            continue
        for role in NEEDED:
            item = next((f for f in group.fields if f.role == role), None)
            if item is None or not is_blank(record.get(item.id)):
                continue
            key = f"{group.table}[{index}].{item.id}"
            at_value = record.get(item.id) is not None
            yield ctx.finding(key if at_value else f"{group.table}[{index}]", Level.ERROR,
                              "escalation-incomplete",
                              f"{group.label} {index + 1}: {readable(item.text)} is blank; every "
                              "escalation needs a name and a date", at_value=at_value)


RULE = Rule(
    id="escalation-incomplete",
    summary="An escalation (or safety concern raised) without a name or a date.",
    source="Team-manager guidance 4: note who it has been escalated to and the date of "
    "escalation; core guidance 10: raise serious concerns with the Team Manager immediately.",
    check=check,
)
