"""status-value: the audit's status is draft, complete or moderated."""

from __future__ import annotations

from collections.abc import Iterator

from qaudit.audit.status import STATUS_KEY, STATUSES
from qaudit.findings import Finding, Level
from qaudit.readable import readable
from qaudit.rules.base import AuditContext, Rule


def check(ctx: AuditContext) -> Iterator[Finding]:
    status = ctx.get(STATUS_KEY)
    if status not in STATUSES:
        yield ctx.finding(
            STATUS_KEY, Level.ERROR, "status-value",
            f"status {readable(status)} is not allowed; allowed: " + ", ".join(STATUSES)
            + " (draft -> complete -> moderated)",
        )


RULE = Rule(
    id="status-value",
    summary="[audit] status is draft, complete or moderated.",
    source="An audit moves draft -> complete -> moderated.",
    check=check,
)
