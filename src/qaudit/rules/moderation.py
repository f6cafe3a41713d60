"""moderation-incomplete: a moderated audit carries the panel's record; a changed grade a reason.

The same check ``qaudit moderate`` makes before it marks an audit moderated
(``qaudit.moderation.record.missing_for_moderated``),
so the command and ``validate`` never disagree.
"""

from __future__ import annotations

from collections.abc import Iterator

from qaudit.audit.status import MODERATED
from qaudit.findings import Finding, Level
from qaudit.moderation.record import changed_without_reason, missing_for_moderated
from qaudit.rules.base import AuditContext, Rule


def check(ctx: AuditContext) -> Iterator[Finding]:
    # A changed grade whose field ``requires`` its reason is reported by rationale-missing.
    if ctx.status == MODERATED:
        missing = missing_for_moderated(ctx.template, ctx.get, unless_required=True)
    else:
        missing = changed_without_reason(ctx.template, ctx.get, unless_required=True)
    for key, what in missing:
        yield ctx.finding(key, Level.ERROR, "moderation-incomplete",
                          f"a moderated audit needs {what}" if ctx.status == MODERATED
                          and not what.startswith("the reason") else f"missing {what}")


RULE = Rule(
    id="moderation-incomplete",
    summary="A moderated audit without the panel's record, or a changed grade without a reason.",
    source="Core section 18 (date, A scaling, B change of grade with its reason); team-manager: "
    "moderator, date, and the moderator's grade for the overall evaluation and every area.",
    check=check,
)
